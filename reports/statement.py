"""The month statement: spend by provider, agent, project and day, top requests, templates reused.

Built from the call ledger (every money figure is a ledger cost) for the month's local bounds in
Q2O_TIMEZONE, rendered to HTML and PDF under ``Q2O_HOME/reports``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from reports.render import render_html, write_html_and_pdf
from storage.budget import SpendRow
from storage.templates import TemplateRecord


class TemplateSaving(BaseModel):
    template_id: str
    name: str
    uses: int
    source_cost_usd: float | None
    saved_usd: float | None = Field(description="uses x source generation cost; None when that cost is unknown.")


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
    templates: list[TemplateSaving] = Field(description="Templates used at least once (cumulative uses).")
    templates_reused: int
    dollars_saved_usd: float
    created_at: datetime


def build_statement(month: str, timezone: str, budget_usd: float, rows: list[SpendRow],
                    templates: list[TemplateRecord]) -> MonthStatement:
    zone = ZoneInfo(timezone)
    groups: dict[str, dict[str, float]] = {k: defaultdict(float) for k in ("provider", "agent", "project", "day",
                                                                          "request")}
    for row in rows:
        cost = row.cost_usd or 0.0
        groups["provider"][row.provider] += cost
        groups["agent"][row.agent] += cost
        groups["project"][row.project] += cost
        groups["day"][row.created_at.astimezone(zone).strftime("%Y-%m-%d")] += cost
        groups["request"][row.request_id] += cost
    used = [t for t in templates if t.usage_count > 0]
    savings = [TemplateSaving(template_id=t.id, name=t.name, uses=t.usage_count, source_cost_usd=t.source_cost_usd,
                              saved_usd=None if t.source_cost_usd is None
                              else round(t.usage_count * t.source_cost_usd, 6))
               for t in sorted(used, key=lambda t: -t.usage_count)]

    def rounded(values: dict[str, float]) -> dict[str, float]:
        return {k: round(v, 6) for k, v in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))}

    top = sorted(groups["request"].items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return MonthStatement(
        month=month, timezone=timezone, budget_usd=budget_usd,
        spent_usd=round(sum(r.cost_usd or 0.0 for r in rows), 6), calls=len(rows),
        calls_with_unknown_cost=sum(r.cost_usd is None for r in rows),
        by_provider=rounded(groups["provider"]), by_agent=rounded(groups["agent"]),
        by_project=rounded(groups["project"]), by_day=dict(sorted(groups["day"].items())),
        top_requests=[(k, round(v, 6)) for k, v in top], templates=savings, templates_reused=len(savings),
        dollars_saved_usd=round(sum(s.saved_usd or 0.0 for s in savings), 6), created_at=datetime.now(UTC),
    )


def write_statement(statement: MonthStatement, folder: Path) -> tuple[Path, Path]:
    """``statement-YYYY-MM.html`` and ``.pdf`` in ``folder``."""
    html = render_html("statement.html.j2", s=statement)
    return write_html_and_pdf(html, folder, f"statement-{statement.month}")


def statement_markdown(statement: MonthStatement, html_path: str) -> str:
    """A short markdown summary for a Prefect artifact."""
    lines = [f"# Budget statement {statement.month} ({statement.timezone})", "",
             f"Spent **${statement.spent_usd:,.4f}** of ${statement.budget_usd:,.2f} in {statement.calls} calls; "
             f"{statement.templates_reused} templates reused, ${statement.dollars_saved_usd:,.4f} saved.", "",
             "| provider | dollars |", "|---|---|"]
    lines += [f"| {k} | ${v:,.4f} |" for k, v in statement.by_provider.items()]
    lines += ["", f"Statement: `{html_path}`"]
    return "\n".join(lines)
