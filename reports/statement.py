"""The month statement: spend by provider, agent, project and day, top requests, templates reused.

Built from the call ledger (every money figure is a ledger cost) for the month's local bounds in
Q2O_TIMEZONE, rendered to HTML and PDF under ``Q2O_HOME/reports`` and kept in the database (``reports.publish``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from reports.publish import PublishedReport, publish_report
from reports.render import render_report
from settings import Settings
from storage.budget import SpendRow
from storage.templates import TemplateUses


class MonthStatement(BaseModel):
    """What the month cost, and what templates saved."""

    month: str
    timezone: str
    budget_usd: float
    spent_usd: float = Field(description="Sum of known ledger costs of the month.")
    calls: int
    calls_with_unknown_cost: int
    by_provider: dict[str, float]
    by_agent: dict[str, float]
    by_project: dict[str, float]
    by_day: dict[str, float]
    top_requests: list[tuple[str, float]] = Field(description="The 10 dearest requests: (request id, dollars).")
    templates: list[TemplateUses] = Field(description="Templates that served requests this month, most used first.")
    templates_reused: int = Field(description="How many templates served at least one request this month.")
    template_requests: int = Field(description="Requests served from a template this month (no provider call).")
    dollars_saved_usd: float = Field(
        description="Sum over those requests of their template's source generation "
        "cost; uses of a template whose cost is unknown count 0."
    )
    created_at: datetime


def build_statement(
    month: str, timezone: str, budget_usd: float, rows: list[SpendRow], uses: list[TemplateUses]
) -> MonthStatement:
    """The month's books from its ledger ``rows`` and the template ``uses`` booked in it."""
    zone = ZoneInfo(timezone)
    groups: dict[str, dict[str, float]] = {
        k: defaultdict(float) for k in ("provider", "agent", "project", "day", "request")
    }
    for row in rows:
        cost = row.cost_usd or 0.0
        groups["provider"][row.provider] += cost
        groups["agent"][row.agent] += cost
        groups["project"][row.project] += cost
        groups["day"][row.created_at.astimezone(zone).strftime("%Y-%m-%d")] += cost
        groups["request"][row.request_id] += cost

    def rounded(values: dict[str, float]) -> dict[str, float]:
        return {k: round(v, 6) for k, v in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))}

    top = sorted(groups["request"].items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return MonthStatement(
        month=month,
        timezone=timezone,
        budget_usd=budget_usd,
        spent_usd=round(sum(r.cost_usd or 0.0 for r in rows), 6),
        calls=len(rows),
        calls_with_unknown_cost=sum(r.cost_usd is None for r in rows),
        by_provider=rounded(groups["provider"]),
        by_agent=rounded(groups["agent"]),
        by_project=rounded(groups["project"]),
        by_day=dict(sorted(groups["day"].items())),
        top_requests=[(k, round(v, 6)) for k, v in top],
        templates=uses,
        templates_reused=len(uses),
        template_requests=sum(u.uses for u in uses),
        dollars_saved_usd=round(sum(u.saved_usd or 0.0 for u in uses), 6),
        created_at=datetime.now(UTC),
    )


def statement_id(month: str) -> str:
    """The statement's report id, also its files' name: one statement a month."""
    return f"statement-{month}"


def publish_statement(statement: MonthStatement, settings: Settings) -> PublishedReport:
    """Write the statement's files under ``Q2O_HOME/reports`` and keep it in the database for the report endpoint."""
    return publish_report(
        settings,
        render_report("statement.html.j2", s=statement),
        report_id=statement_id(statement.month),
        kind="statement",
        title=f"Budget statement {statement.month}",
        month=statement.month,
    )


def statement_markdown(statement: MonthStatement, published: PublishedReport) -> str:
    """A short markdown summary for a Prefect artifact."""
    lines = [
        f"# Budget statement {statement.month} ({statement.timezone})",
        "",
        f"Spent **${statement.spent_usd:,.4f}** of ${statement.budget_usd:,.2f} in {statement.calls} calls; "
        f"{statement.template_requests} requests served by {statement.templates_reused} templates, "
        f"${statement.dollars_saved_usd:,.4f} saved.",
        "",
        "| provider | dollars |",
        "|---|---|",
    ]
    lines += [f"| {k} | ${v:,.4f} |" for k, v in statement.by_provider.items()]
    lines += ["", f"Statement: [HTML]({published.html_url}) · [PDF]({published.pdf_url})"]
    lines += ["", f"On disk where it was written: `{published.html_path}`"]
    return "\n".join(lines)
