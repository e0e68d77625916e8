"""Budget tasks: the monthly close (statement, the close recorded through the guard, artifacts).

The Prefect alert channel is ``tasks/alerts.py``.
"""

from __future__ import annotations

from prefect.artifacts import acreate_link_artifact, acreate_markdown_artifact
from pydantic import BaseModel, Field

from budget.guard import BudgetGuard, monthly_budget
from budget.periods import month_bounds, month_of
from reports.statement import build_statement, statement_markdown, write_statement
from settings import UsageError, load_settings
from storage import TemplateStore, open_database
from storage.budget import BudgetStore
from tasks.defaults import forge_task


class ClosedMonth(BaseModel):
    """A month's close: its statement files and what it cost."""

    month: str
    html_path: str
    pdf_path: str
    spent_usd: float
    already_closed: bool = Field(description="True when an earlier run closed it (nothing was changed).")


@forge_task("close-month", "close {month}")
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
    html, pdf = write_statement(statement, settings.reports_dir)
    # The guard records the close, expires the month's holds left by crashed processes (nothing of a closed
    # month stays held) and fires any level the month crossed that no settle fired.
    record = BudgetGuard(settings, store).close_month(month, str(html), str(pdf), statement.spent_usd)
    await acreate_markdown_artifact(
        key="budget-statement",
        markdown=statement_markdown(statement, record.html_path),
        description=f"Budget statement {month}",
    )
    await acreate_link_artifact(
        key="budget-statement-file",
        link=f"file://{record.pdf_path}",
        link_text=f"statement {month} (PDF)",
        description="Month statement",
    )
    return ClosedMonth(
        month=month,
        html_path=record.html_path,
        pdf_path=record.pdf_path,
        spent_usd=record.spent_usd,
        already_closed=False,
    )
