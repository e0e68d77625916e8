"""Budget tasks: the monthly close, and the Prefect alert channel (event + markdown artifact).

``register_prefect_alerts()`` adds the channel that turns each fired budget alert into a Prefect event
``q2o.budget.threshold`` (resource ``q2o.budget.<scope>``, routable by automations) and a markdown
artifact. It only acts inside a flow or task run, so plain scripts never start a Prefect server.
"""

from __future__ import annotations

from prefect import task
from prefect.artifacts import acreate_link_artifact, acreate_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.events import emit_event
from pydantic import BaseModel, Field

from budget import BudgetAlert, register_channel
from budget.guard import monthly_budget
from budget.periods import month_bounds, month_of
from providers.base import redact
from reports.statement import build_statement, publish_statement, statement_markdown
from settings import Settings, UsageError, load_settings
from storage import TemplateStore, open_database
from storage.budget import BudgetStore

ALERT_EVENT = "q2o.budget.threshold"


async def prefect_alert(alert: BudgetAlert, settings: Settings) -> None:
    """Emit the alert as a Prefect event and a markdown artifact (inside a run only)."""
    try:
        get_run_context()
    except Exception:  # noqa: BLE001 - not in a run: no Prefect API to talk to
        return
    emit_event(
        ALERT_EVENT,
        resource={"prefect.resource.id": alert.resource, "prefect.resource.name": alert.scope},
        payload={
            "spent": alert.spent_usd,
            "budget": alert.budget_usd,
            "level": alert.level,
            "period": alert.period,
            "scope": alert.scope,
        },
    )
    await acreate_markdown_artifact(
        key=f"budget-alert-{alert.scope.replace(':', '-').replace('*', 'other').lower()}"[:100],
        markdown=f"## Budget alert: {alert.level}%\n\n{redact(alert.text, settings.secret_values())}\n",
        description=f"Budget {alert.scope} {alert.period} at {alert.level}%",
    )


def register_prefect_alerts() -> None:
    """Send fired budget alerts to Prefect too (call once in a flow module)."""
    register_channel("prefect", prefect_alert)


class ClosedMonth(BaseModel):
    """A month's close: its statement files and what it cost."""

    month: str
    html_path: str
    pdf_path: str
    spent_usd: float
    already_closed: bool = Field(description="True when an earlier run closed it (nothing was changed).")


@task(name="close-month", task_run_name="close {month}", cache_policy=NO_CACHE)
async def close_month_books(month: str) -> ClosedMonth:
    """Write the month's statement (HTML and PDF) and record the close, once per month."""
    settings = load_settings()
    settings.ensure_home()
    db = open_database(settings.resolved_database_url)
    store = BudgetStore(db)
    done = store.get_close(month)
    if done is not None:
        return ClosedMonth(
            month=month, html_path=done.html_path, pdf_path=done.pdf_path, spent_usd=done.spent_usd, already_closed=True
        )
    start, end = month_bounds(month, settings.timezone)
    if month >= month_of(settings.timezone):
        raise UsageError(f"{month} has not ended yet in {settings.timezone}; close a past month")
    statement = build_statement(
        month,
        settings.timezone,
        monthly_budget(settings, store),
        store.spend_rows(start, end),
        TemplateStore(db).uses_between(start, end),
    )
    published = publish_statement(statement, settings)
    record = store.record_close(month, published.html_path, published.pdf_path, statement.spent_usd)
    # Expire the month's holds left by crashed processes: nothing of a closed month stays held.
    store.expire(end)
    await acreate_markdown_artifact(
        key="budget-statement",
        markdown=statement_markdown(statement, published),
        description=f"Budget statement {month}",
    )
    await acreate_link_artifact(
        key="budget-statement-html",
        link=published.html_url,
        link_text=f"statement {month} (HTML)",
        description="Month statement",
    )
    await acreate_link_artifact(
        key="budget-statement-pdf",
        link=published.pdf_url,
        link_text=f"statement {month} (PDF)",
        description="Month statement, as a PDF",
    )
    return ClosedMonth(
        month=month,
        html_path=record.html_path,
        pdf_path=record.pdf_path,
        spent_usd=record.spent_usd,
        already_closed=False,
    )
