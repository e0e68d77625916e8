"""The budget (floor 3, plain Python): reserve before a call, settle after, alerts, periods.

``BudgetGuard`` reserves a call's worst case and settles its actual cost; ``budget_status`` and
``is_exhausted`` tell the flow where the month stands (template-only mode at 100 %).
"""

from budget.alerts import LEVELS, BudgetAlert, alert_text
from budget.channels import register_channel, send_alerts, unregister_channel
from budget.guard import (
    BudgetExhausted,
    BudgetGuard,
    BudgetStatus,
    Reservation,
    budget_status,
    exhausted_reason,
    is_exhausted,
)

__all__ = [
    "LEVELS",
    "BudgetAlert",
    "BudgetExhausted",
    "BudgetGuard",
    "BudgetStatus",
    "Reservation",
    "alert_text",
    "budget_status",
    "exhausted_reason",
    "is_exhausted",
    "register_channel",
    "send_alerts",
    "unregister_channel",
]
