"""Budget alerts: 50, 70, 80, 90, 95, 99 and 100 % of each budget, each fired once per period; a refused call
is its scope's 100 %.

The unique row in ``budget_alerts`` decides who fires, so two processes (or a restart) never send one
alert twice. This module only decides and words alerts; channels (log, e-mail, webhook, Prefect) send them.
"""

from __future__ import annotations

import math
from datetime import datetime

from pydantic import BaseModel, Field

from budget.periods import local_text
from budget.scopes import DAILY_CALLS, DAILY_COST, blocks, changed_with, figures_text, usd_text
from storage import BudgetStore

LEVELS: tuple[int, ...] = (50, 70, 80, 90, 95, 99, 100)


class BudgetAlert(BaseModel):
    """One alert that fired: this process won the right to send it."""

    scope: str = Field(description="month, agent:<name>, agent:*, project:<name>, daily-calls or daily-cost.")
    period: str = Field(description="YYYY-MM (YYYY-MM-DD for daily-calls and daily-cost) in Q2O_TIMEZONE.")
    level: int = Field(description="Percent of the budget crossed: one of LEVELS.")
    spent_usd: float = Field(description="Dollars settled (daily-calls: calls made; a refusal: held too).")
    budget_usd: float = Field(description="The limit in dollars (daily-calls: calls).")
    timezone: str = Field(default="UTC", description="Q2O_TIMEZONE, in which resets_at is worded.")
    resets_at: datetime | None = Field(default=None, description="When the scope's period ends (UTC).")
    refused_usd: float | None = Field(
        default=None, description="Set when a refused call fired it: that call's worst case in dollars."
    )
    fired_at: datetime | None = None

    @property
    def resource(self) -> str:
        """The Prefect event resource: ``q2o.budget.month``, ``q2o.budget.agent.coder``, ..."""
        return "q2o.budget." + self.scope.replace(":", ".")

    @property
    def text(self) -> str:
        return alert_text(self)


def alert_text(alert: BudgetAlert) -> str:
    """The alert in words; the wording escalates with the level and says what lifts a used-up scope."""
    what = {"month": "Monthly budget", DAILY_COST: "Daily cost alert level", DAILY_CALLS: "Daily call limit"}.get(
        alert.scope, f"Budget {alert.scope}"
    )
    figures = figures_text(alert.scope, alert.spent_usd, alert.budget_usd)
    # A settle or a new budget can jump several levels: each says where spending really is, not just its level.
    now = math.floor(alert.spent_usd / alert.budget_usd * 100 + 1e-9) if alert.budget_usd > 0 else 100
    used = f"{alert.level}% used" if now <= alert.level else f"past {alert.level}% ({now}% used)"
    head = f"{what} {alert.period}: {used} ({figures})"
    when = local_text(alert.resets_at, alert.timezone) if alert.resets_at else "the end of its period"
    if alert.scope == DAILY_COST:  # an alert level, not a limit: nothing is refused
        return f"WARNING: {head}. An alert only, calls go on; the day ends {when} ({changed_with(alert.scope)})."
    if alert.scope == DAILY_CALLS and alert.level >= 100:
        return (
            f"DAILY CALL LIMIT REACHED. {head}. Provider calls are off for {blocks(alert.scope)}: only template "
            f"matches are served until the limit resets at {when}; change it with {changed_with(alert.scope)}."
        )
    lift = f"raise it with {changed_with(alert.scope)}, or wait until it resets at {when}"
    if alert.refused_usd is not None:
        return (
            f"BUDGET REACHED. {what} {alert.period}: a call of up to {usd_text(alert.refused_usd)} was refused at "
            f"{figures} used or held. Provider calls that would cross it are off for {blocks(alert.scope)}; {lift}."
        )
    if alert.level >= 100:
        return (
            f"BUDGET EXHAUSTED. {head}. Provider calls are off for {blocks(alert.scope)}: only template matches "
            f"are served; {lift}."
        )
    if alert.level >= 99:
        return f"CRITICAL: {head}. Provider calls stop at 100%."
    if alert.level >= 95:
        return f"URGENT: {head}. Approaching the limit."
    if alert.level >= 90:
        return f"WARNING: {head}. Consider template-only mode for the rest of the period."
    if alert.level >= 80:
        return f"Warning: {head}."
    return f"Notice: {head}."


def crossed_levels(spent: float, budget: float) -> list[int]:
    """The levels ``spent`` has reached; a zero budget is used up at once (100 %: "70 % of $0" says nothing)."""
    if budget <= 0:
        return [LEVELS[-1]]
    percent = spent / budget * 100
    # A hair of tolerance: 99.9999999 % of floating point is 100 %.
    return [level for level in LEVELS if percent + 1e-9 >= level]


def fire_alerts(
    store: BudgetStore,
    scope: str,
    period: str,
    spent: float,
    budget: float,
    levels: tuple[int, ...] = LEVELS,
    *,
    timezone: str = "UTC",
    resets_at: datetime | None = None,
) -> list[BudgetAlert]:
    """Record every newly crossed level of one budget and return those this process fired.

    Cheap when nothing is new: one indexed read of the levels already fired.
    """
    reached = [lv for lv in crossed_levels(spent, budget) if lv in levels]
    if not reached:
        return []
    done = store.fired_levels(scope, period)
    fired = []
    for level in reached:
        if level not in done and store.try_fire(scope, period, level, spent, budget):
            fired.append(
                BudgetAlert(
                    scope=scope,
                    period=period,
                    level=level,
                    spent_usd=round(spent, 6),
                    budget_usd=round(budget, 6),
                    timezone=timezone,
                    resets_at=resets_at,
                )
            )
    return fired


def fire_refusal(
    store: BudgetStore,
    scope: str,
    period: str,
    used: float,
    budget: float,
    refused_usd: float | None,
    *,
    timezone: str,
    resets_at: datetime,
) -> list[BudgetAlert]:
    """A refusal is its scope's 100 %: calls that would cross it are off. Fired once per scope and period, like
    the level itself (a scope that spent its way to 100 % first has said so already)."""
    if 100 in store.fired_levels(scope, period) or not store.try_fire(scope, period, 100, used, budget):
        return []
    alert = BudgetAlert(
        scope=scope,
        period=period,
        level=100,
        spent_usd=round(used, 6),
        budget_usd=round(budget, 6),
        timezone=timezone,
        resets_at=resets_at,
        refused_usd=None if refused_usd is None else round(refused_usd, 6),
    )
    return [alert]
