"""Costs at a glance: the month's budget and spend, today, spend by provider, agent and project, savings, a trend.

Every money figure is a ledger cost (``calls.cost_usd``); only "reserved" comes from the budget's live holds,
since no ledger row carries a call still in flight. Days and the month are local to Q2O_TIMEZONE. The
aggregates are pandas group-bys over the ledger rows of the month and of the trend's window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from pydantic import BaseModel, Field

from budget.guard import budget_status
from budget.periods import local_now, month_bounds
from reports.chart import daily_cost_chart_svg, svg_data_uri
from reports.failure import markdown_text
from reports.render import render_html, write_html_and_pdf
from settings import Settings
from storage import CallLedger, TemplateStore, open_database
from storage.calls import CostRow
from storage.templates import TemplateUses

MAX_DAYS = 366
REFUSED = "budget_exhausted"  # a row the guard refused: no call was made


class GroupSpend(BaseModel):
    """Calls and dollars of one provider, agent or project this month."""

    name: str
    calls: int
    cost_usd: float
    share_percent: float = Field(description="Of the month's spend; 0 when nothing was spent.")


class DaySpend(BaseModel):
    """One local day of the trend."""

    day: str = Field(description="YYYY-MM-DD in Q2O_TIMEZONE.")
    calls: int
    cost_usd: float


class Savings(BaseModel):
    """What requests served without a provider call saved this month."""

    template_requests: int = Field(description="Requests served from a template.")
    template_saved_usd: float = Field(
        description="Per use, the cost its template's source generation had in the ledger (booked at the use)."
    )
    template_uses_unknown: int = Field(description="Uses of templates whose source cost is unknown (not counted).")
    cache_requests: int = Field(description="Exact repeats served from the result cache.")
    cache_saved_usd: float = Field(description="Per repeat, the ledger cost of the request whose answer it got.")
    cache_hits_unknown: int = Field(description="Repeats whose source request has a cost the ledger does not know.")
    total_usd: float


class CostReport(BaseModel):
    """Costs at a glance, as ``q2o report costs --json`` prints it and the cost-report flow publishes it."""

    created_at: datetime
    timezone: str
    month: str
    today: str
    days: int = Field(description="Days in the trend, today included.")
    budget_usd: float
    spent_usd: float = Field(description="Known ledger costs of the month's finished calls.")
    reserved_usd: float = Field(description="Held by calls still in flight (the budget's live reservations).")
    remaining_usd: float = Field(description="budget - spent - reserved, never below 0.")
    used_percent: float = Field(description="(spent + reserved) / budget x 100; 100 for a budget of 0.")
    month_calls: int = Field(description="Provider calls made this month (cache hits and refused calls excluded).")
    calls_with_unknown_cost: int = Field(description="Calls of the month whose cost is unknown (not in the sums).")
    today_calls: int
    today_cost_usd: float
    today_average_usd: float | None = Field(description="today_cost / today_calls; None with no call today.")
    by_provider: list[GroupSpend]
    by_agent: list[GroupSpend]
    by_project: list[GroupSpend]
    savings: Savings
    trend: list[DaySpend] = Field(description="Oldest first, one entry per day, days with no call at 0.")


def _frame(rows: list[CostRow], timezone: str) -> pd.DataFrame:
    """Provider calls only, with their local day and month; unknown costs stay NaN (summed as 0, counted)."""
    frame = pd.DataFrame(
        [r.model_dump() for r in rows],
        columns=["request_id", "created_at", "provider", "agent", "project", "purpose", "error_kind", "cost_usd"],
    )
    frame = frame[(frame["purpose"] != "cache") & (frame["error_kind"].fillna("") != REFUSED)].copy()
    local = pd.to_datetime(frame["created_at"], utc=True).dt.tz_convert(timezone)
    frame["day"] = local.dt.strftime("%Y-%m-%d")
    frame["month"] = local.dt.strftime("%Y-%m")
    frame["cost_usd"] = pd.to_numeric(frame["cost_usd"], errors="coerce").astype("float64")
    return frame


def _groups(month_rows: pd.DataFrame, column: str, spent: float) -> list[GroupSpend]:
    if month_rows.empty:
        return []
    totals = month_rows.groupby(column).agg(calls=("cost_usd", "size"), cost_usd=("cost_usd", "sum"))
    totals = totals.reset_index().sort_values(["cost_usd", column], ascending=[False, True])
    return [
        GroupSpend(
            name=str(row[column]),
            calls=int(row["calls"]),
            cost_usd=round(float(row["cost_usd"]), 6),
            share_percent=round(float(row["cost_usd"]) / spent * 100, 1) if spent > 0 else 0.0,
        )
        for _, row in totals.iterrows()
    ]


def _trend(frame: pd.DataFrame, today: datetime, days: int) -> list[DaySpend]:
    wanted = [(today - timedelta(days=back)).strftime("%Y-%m-%d") for back in range(days - 1, -1, -1)]
    daily = frame.groupby("day").agg(calls=("cost_usd", "size"), cost_usd=("cost_usd", "sum"))
    daily = daily.reindex(wanted, fill_value=0)
    return [
        DaySpend(day=str(day), calls=int(row["calls"]), cost_usd=round(float(row["cost_usd"]), 6))
        for day, row in daily.iterrows()
    ]


def build_cost_report(
    *,
    now: datetime,
    timezone: str,
    days: int,
    budget_usd: float,
    reserved_usd: float,
    rows: list[CostRow],
    template_uses: list[TemplateUses],
    cache_hits: list[float | None],
) -> CostReport:
    """The report from the ledger ``rows`` of the month and the trend's window, the month's template uses and
    the month's cache hits (each hit's source cost, None when unknown). Pure: no clock, no database."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}, not {days}")
    local = local_now(timezone, now)
    month, today = local.strftime("%Y-%m"), local.strftime("%Y-%m-%d")
    frame = _frame(rows, timezone)
    this_month = frame[frame["month"] == month]
    on_today = frame[frame["day"] == today]
    spent = round(float(this_month["cost_usd"].sum()), 6)
    today_cost = round(float(on_today["cost_usd"].sum()), 6)
    used = spent + reserved_usd
    template_saved = sum(u.saved_usd or 0.0 for u in template_uses)
    cache_saved = sum(cost or 0.0 for cost in cache_hits)
    return CostReport(
        created_at=now.astimezone(UTC),
        timezone=timezone,
        month=month,
        today=today,
        days=days,
        budget_usd=budget_usd,
        spent_usd=spent,
        reserved_usd=round(reserved_usd, 6),
        remaining_usd=round(max(budget_usd - used, 0.0), 6),
        used_percent=round(used / budget_usd * 100, 2) if budget_usd > 0 else 100.0,
        month_calls=len(this_month),
        calls_with_unknown_cost=int(this_month["cost_usd"].isna().sum()),
        today_calls=len(on_today),
        today_cost_usd=today_cost,
        today_average_usd=round(today_cost / len(on_today), 6) if len(on_today) else None,
        by_provider=_groups(this_month, "provider", spent),
        by_agent=_groups(this_month, "agent", spent),
        by_project=_groups(this_month, "project", spent),
        savings=Savings(
            template_requests=sum(u.uses for u in template_uses),
            template_saved_usd=round(template_saved, 6),
            template_uses_unknown=sum(u.uses for u in template_uses if u.saved_usd is None),
            cache_requests=len(cache_hits),
            cache_saved_usd=round(cache_saved, 6),
            cache_hits_unknown=sum(cost is None for cost in cache_hits),
            total_usd=round(template_saved + cache_saved, 6),
        ),
        trend=_trend(frame, local, days),
    )


def gather_cost_report(settings: Settings, days: int = 30, now: datetime | None = None) -> CostReport:
    """Read the ledger, the template uses, the cache hits and the live holds, and build the report."""
    now = now or datetime.now(UTC)
    local = local_now(settings.timezone, now)
    month_start, month_end = month_bounds(local.strftime("%Y-%m"), settings.timezone)
    first_day = (local - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    # The trend's first local midnight, computed in the zone (a DST change between then and now shifts it).
    trend_start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=ZoneInfo(settings.timezone))
    db = open_database(settings.resolved_database_url)
    ledger = CallLedger(db, secrets=settings.secret_values())
    rows = ledger.cost_rows(min(month_start, trend_start.astimezone(UTC)), month_end)
    sources = ledger.cache_hit_sources(month_start, month_end)
    costs = ledger.request_costs(sources)
    cache_hits = [
        None if (cost := costs.get(source)) is None or cost.unknown_rows else cost.cost_usd for source in sources
    ]
    status = budget_status(settings)  # the budget in force and what live reservations hold
    return build_cost_report(
        now=now,
        timezone=settings.timezone,
        days=days,
        budget_usd=status.budget_usd,
        reserved_usd=status.reserved_usd,
        rows=rows,
        template_uses=TemplateStore(db).uses_between(month_start, month_end),
        cache_hits=cache_hits,
    )


def text_bar(percent: float, width: int = 20) -> str:
    """``████████░░░░░░░░░░░░ 42 %``: the share of the budget used, full at 100 % and beyond."""
    filled = min(width, max(0, round(percent / 100 * width)))
    return "█" * filled + "░" * (width - filled) + f" {percent:.0f} %"


def counted(count: int, noun: str = "call") -> str:
    """``1 call``, ``3 calls``, ``1 request``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _usd(value: float | None) -> str:
    return "unknown" if value is None else f"${value:,.4f}"


def _group_lines(title: str, groups: list[GroupSpend]) -> list[str]:
    if not groups:
        return [f"**{title}**: no calls this month", ""]
    lines = [f"| {title} | calls | dollars | share |", "|---|---:|---:|---:|"]
    # Agent and project names come from requests: escaped, so a name cannot break the table or add markup.
    lines += [
        f"| {markdown_text(g.name, 80)} | {g.calls} | {_usd(g.cost_usd)} | {g.share_percent:.1f} % |" for g in groups
    ]
    return [*lines, ""]


def cost_report_markdown(report: CostReport, pdf_path: str | None = None) -> str:
    """The report as the markdown of the ``q2o-costs`` Prefect artifact."""
    s = report.savings
    average = "-" if report.today_average_usd is None else _usd(report.today_average_usd)
    lines = [
        f"# Costs {report.month} ({report.timezone})",
        "",
        f"`{text_bar(report.used_percent)}`",
        "",
        f"Budget **${report.budget_usd:,.2f}** · spent **{_usd(report.spent_usd)}** · reserved "
        f"{_usd(report.reserved_usd)} · remaining **{_usd(report.remaining_usd)}**",
        "",
        f"Today ({report.today}): {counted(report.today_calls)}, {_usd(report.today_cost_usd)}, {average} per call. "
        f"This month: {counted(report.month_calls)}"
        + (
            f", {report.calls_with_unknown_cost} of unknown cost (not in the sums)"
            if report.calls_with_unknown_cost
            else ""
        )
        + ".",
        "",
        f"Saved this month: **{_usd(s.total_usd)}**: {counted(s.template_requests, 'request')} from templates "
        f"({_usd(s.template_saved_usd)}), {counted(s.cache_requests, 'exact repeat')} from the cache "
        f"({_usd(s.cache_saved_usd)}).",
        "",
    ]
    for title, groups in (("provider", report.by_provider), ("agent", report.by_agent), ("project", report.by_project)):
        lines += _group_lines(title, groups)
    lines += [f"**Last {report.days} days**", "", "| day | calls | dollars |", "|---|---:|---:|"]
    lines += [f"| {d.day} | {d.calls} | {_usd(d.cost_usd)} |" for d in reversed(report.trend) if d.calls]
    if not any(d.calls for d in report.trend):
        lines.append("| (no calls) | 0 | $0.0000 |")
    if pdf_path:
        lines += ["", f"Report: `{pdf_path}`"]
    return "\n".join(lines) + "\n"


def render_cost_report_html(report: CostReport) -> str:
    """The report as HTML (the trend as a chart), ready for ``write_html_and_pdf``."""
    chart = daily_cost_chart_svg(
        [d.day for d in report.trend], [d.cost_usd for d in report.trend], [d.calls for d in report.trend]
    )
    return render_html(
        "costs.html.j2", r=report, chart_uri=svg_data_uri(chart), bar_percent=min(report.used_percent, 100)
    )


def write_cost_report(report: CostReport, folder: Path) -> tuple[Path, Path]:
    """``costs-YYYY-MM-DD.html`` and ``.pdf`` in ``folder``: one pair a local day, the latest run's figures."""
    return write_html_and_pdf(render_cost_report_html(report), folder, f"costs-{report.today}")
