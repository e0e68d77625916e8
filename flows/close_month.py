"""The ``close-month`` flow (cron ``0 0 1 * *`` in Q2O_TIMEZONE): statement, close, a clean new month.

Its result (the closed month) is persisted, so a deployed or scheduled run's outcome can be read back.
Alerts and reservations are kept per month, so the new month starts with no alert fired and nothing
spent: template-only mode ends by itself. Closing a month twice changes nothing the second time.
"""

from __future__ import annotations

from prefect import flow
from prefect.runtime import flow_run

from budget.periods import parse_month, previous_month
from flows.logs import forward_q2o_logs
from settings import UsageError, load_settings
from tasks.budget import ClosedMonth, close_month_books

forward_q2o_logs()


def _run_name() -> str:
    """``close-month 2026-11`` in the UI, also when the month is left to its default."""
    month = flow_run.get_parameters().get("month") or previous_month(load_settings().timezone)
    return f"close-month {month}"


@flow(name="close-month", flow_run_name=_run_name, persist_result=True, result_serializer="json")
async def close_month(month: str | None = None) -> ClosedMonth:
    """Close ``month`` (YYYY-MM; default: the month that just ended in Q2O_TIMEZONE)."""
    settings = load_settings()
    month = month or previous_month(settings.timezone)
    try:
        parse_month(month)
    except ValueError as exc:
        raise UsageError(f"--month: {exc}") from None
    return await close_month_books(month)
