"""Budget alerts: 50, 70, 80, 90, 95, 99 and 100 % of each budget, each fired once per period.

The unique row in ``budget_alerts`` decides who fires, so two processes (or a restart) never send one
alert twice. This module only decides and words alerts; channels (log, e-mail, webhook, Prefect) send them.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from storage import BudgetStore

LEVELS: tuple[int, ...] = (50, 70, 80, 90, 95, 99, 100)


class BudgetAlert(BaseModel):
    """One alert that fired: this process won the right to send it."""

    scope: str = Field(description="month, agent:<name>, agent:*, project:<name> or daily-cost.")
    period: str = Field(description="YYYY-MM (YYYY-MM-DD for daily-cost) in Q2O_TIMEZONE.")
    level: int = Field(description="Percent of the budget crossed: one of LEVELS.")
    spent_usd: float
    budget_usd: float
    fired_at: datetime | None = None

    @property
    def resource(self) -> str:
        """The Prefect event resource: ``q2o.budget.month``, ``q2o.budget.agent.coder``, ..."""
        return "q2o.budget." + self.scope.replace(":", ".")

    @property
    def text(self) -> str:
        return alert_text(self)


def alert_text(alert: BudgetAlert) -> str:
    """The alert in words; the wording escalates with the level."""
    what = "Monthly budget" if alert.scope == "month" else f"Budget {alert.scope}"
    if alert.scope == "daily-cost":
        what = "Daily cost alert level"
    head = f"{what} {alert.period}: {alert.level}% used ({usd_text(alert.spent_usd)} of {usd_text(alert.budget_usd)})"
    if alert.level >= 100:
        return (
            f"BUDGET EXHAUSTED. {head}. Provider calls are off: only template matches are served "
            f"until the budget is raised (q2o budget set) or the month is closed."
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


def usd_text(value: float) -> str:
    """Dollars with the digits a small budget needs: $1,000.00, $0.4550, $0.000176."""
    digits = 2 if abs(value) >= 10 or value == 0 else 4 if abs(value) >= 0.01 else 6
    return f"${value:,.{digits}f}"


def crossed_levels(spent: float, budget: float) -> list[int]:
    """The levels ``spent`` has reached; a zero budget is fully used at once."""
    if budget <= 0:
        return list(LEVELS)
    percent = spent / budget * 100
    # A hair of tolerance: 99.9999999 % of floating point is 100 %.
    return [level for level in LEVELS if percent + 1e-9 >= level]


def fire_alerts(
    store: BudgetStore, scope: str, period: str, spent: float, budget: float, levels: tuple[int, ...] = LEVELS
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
                    scope=scope, period=period, level=level, spent_usd=round(spent, 6), budget_usd=round(budget, 6)
                )
            )
    return fired
