"""The Prefect alert channel: each fired budget alert as an event ``q2o.budget.threshold`` (resource
``q2o.budget.<scope>``, routable by automations) and a markdown artifact.

``tasks/__init__.py`` registers it, so every process that runs a flow or a task has it, whatever the flow;
the CLI adds it for the commands that change the budget outside a flow. The event goes out inside a flow or
task run, or when a Prefect API is configured (``PREFECT_API_URL``); the artifact inside a run only. With
neither it does nothing, so a plain script never starts Prefect's embedded server for an alert.
"""

from __future__ import annotations

from prefect.artifacts import acreate_markdown_artifact
from prefect.context import get_run_context
from prefect.events import emit_event
from prefect.settings import get_current_settings

from budget import BudgetAlert, register_channel
from providers.base import redact
from settings import Settings

ALERT_EVENT = "q2o.budget.threshold"


def _in_a_run() -> bool:
    try:
        get_run_context()
        return True
    except Exception:  # noqa: BLE001 - not in a run (Prefect raises MissingContextError)
        return False


async def prefect_alert(alert: BudgetAlert, settings: Settings) -> None:
    """Emit the alert as a Prefect event (in a run, or with an API configured) and, in a run, a markdown artifact
    (Prefect deprecates artifacts outside a run)."""
    in_a_run = _in_a_run()
    if not in_a_run and not get_current_settings().api.url:
        return
    text = redact(alert.text, settings.secret_values())
    emit_event(
        ALERT_EVENT,
        resource={"prefect.resource.id": alert.resource, "prefect.resource.name": alert.scope},
        payload={
            "spent": alert.spent_usd,
            "budget": alert.budget_usd,
            "level": alert.level,
            "period": alert.period,
            "scope": alert.scope,
            "text": text,
        },
    )
    if in_a_run:
        await acreate_markdown_artifact(
            key=f"budget-alert-{alert.scope.replace(':', '-').replace('*', 'other').lower()}"[:100],
            markdown=f"## Budget alert: {alert.level}%\n\n{text}\n",
            description=f"Budget {alert.scope} {alert.period} at {alert.level}%",
        )


def register_prefect_alerts() -> None:
    """Send fired budget alerts to Prefect too (``tasks/__init__.py`` calls it once per process)."""
    register_channel("prefect", prefect_alert)
