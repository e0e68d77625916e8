"""The budgets' scopes in words: what each one blocks, when it resets and what changes it.

One vocabulary for every message (a refusal, template-only mode, an alert, ``q2o budget status``), so none
of them tells a user to raise a daily call limit with ``q2o budget set``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from budget.periods import day_end, local_text, month_end

DAILY_CALLS = "daily-calls"
DAILY_COST = "daily-cost"


def unit_of(scope: str) -> Literal["usd", "calls"]:
    return "calls" if scope == DAILY_CALLS else "usd"


def scope_name(scope: str) -> str:
    """``the monthly budget``, ``the agent coder's share``, ``the daily call limit``, ..."""
    if scope == "month":
        return "the monthly budget"
    if scope == "agent:*":
        return "the share of the agents not named in Q2O_AGENT_SHARES"
    if scope.startswith("agent:"):
        return f"the agent {scope.removeprefix('agent:')}'s share"
    if scope.startswith("project:"):
        return f"the project {scope.removeprefix('project:')}'s budget"
    if scope == DAILY_CALLS:
        return "the daily call limit"
    if scope == DAILY_COST:
        return "the daily cost alert level"
    return f"the {scope} budget"


def blocks(scope: str) -> str:
    """Whose provider calls a used-up scope turns off ("every agent and project", "agent coder", ...)."""
    if scope in ("month", DAILY_CALLS):
        return "every agent and project"
    if scope == "agent:*":
        return "the agents not named in Q2O_AGENT_SHARES"
    if scope.startswith("agent:"):
        return f"agent {scope.removeprefix('agent:')}"
    if scope.startswith("project:"):
        return f"project {scope.removeprefix('project:')}"
    return "nobody (an alert only)"


def changed_with(scope: str) -> str:
    """What raises (or changes) the scope's limit."""
    if scope == "month":
        return "q2o budget set AMOUNT"
    if scope.startswith("agent:"):
        return "Q2O_AGENT_SHARES or the monthly budget it is a percent of (q2o budget set AMOUNT)"
    if scope.startswith("project:"):
        return "Q2O_PROJECT_BUDGETS"
    if scope == DAILY_CALLS:
        return "Q2O_DAILY_CALL_LIMIT (q2o budget set does not change it)"
    if scope == DAILY_COST:
        return "Q2O_DAILY_COST_ALERT_USD"
    return "its setting"


def resets_at(scope: str, timezone: str, now: datetime | None = None) -> datetime:
    """When the scope's period ends and its count starts again from zero (a UTC moment)."""
    return day_end(timezone, now) if scope in (DAILY_CALLS, DAILY_COST) else month_end(timezone, now)


def lift_text(scope: str, timezone: str, now: datetime | None = None) -> str:
    """How a used-up scope turns calls back on, e.g. ``it resets at 2026-12-03 00:00 UTC; change it with ...``."""
    when = local_text(resets_at(scope, timezone, now), timezone)
    if scope == DAILY_CALLS:
        return f"it resets at {when} (the next day in Q2O_TIMEZONE); change it with {changed_with(scope)}"
    return f"raise it with {changed_with(scope)}, or wait until it resets at {when}"


def usd_text(value: float) -> str:
    """Dollars with the digits a small budget needs: $1,000.00, $0.4550, $0.000176."""
    digits = 2 if abs(value) >= 10 or value == 0 else 4 if abs(value) >= 0.01 else 6
    return f"${value:,.{digits}f}"


def figures_text(scope: str, used: float, limit: float) -> str:
    """``$0.97 of $1.00`` or, for the daily call limit, ``100 of 100 calls``."""
    if unit_of(scope) == "calls":
        return f"{int(used)} of {int(limit)} calls"
    return f"{usd_text(used)} of {usd_text(limit)}"


class ScopeState(BaseModel):
    """One limit in force and where it stands: what ``q2o budget status`` lists and a refusal names."""

    scope: str = Field(description="month, agent:<name>, agent:*, project:<name>, daily-calls or daily-cost.")
    unit: Literal["usd", "calls"]
    used: float = Field(description="Dollars settled and held this month (this day for daily-*), or calls today.")
    limit: float
    percent: float
    blocking: bool = Field(description="True: used up, so the calls it counts (see blocks) are refused.")
    blocks: str = Field(description="Whose provider calls it turns off when used up.")
    resets_at: datetime = Field(description="When its period ends (UTC): the next month, or the next day.")
    changed_with: str = Field(description="What raises or changes the limit.")
    text: str = Field(description="The state in one sentence.")


def scope_state(
    scope: str, period: str, used: float, limit: float, timezone: str, *, blocking: bool, now: datetime | None = None
) -> ScopeState:
    """Where one limit stands in ``period`` (YYYY-MM, or YYYY-MM-DD for the daily ones), in figures and words."""
    percent = round(used / limit * 100, 2) if limit > 0 else 100.0
    figures = figures_text(scope, used, limit)
    if blocking:
        verb = "is reached" if scope == DAILY_CALLS else "is used up"
        text = (
            f"{scope_name(scope)} of {period} {verb} ({figures}): provider calls are off for {blocks(scope)}; "
            f"{lift_text(scope, timezone, now)}"
        )
    else:
        text = f"{scope_name(scope)} of {period}: {figures} ({percent:g}%)"
    return ScopeState(
        scope=scope,
        unit=unit_of(scope),
        used=round(used, 6),
        limit=round(limit, 6),
        percent=percent,
        blocking=blocking,
        blocks=blocks(scope),
        resets_at=resets_at(scope, timezone, now),
        changed_with=changed_with(scope),
        text=text,
    )
