"""Cost-report tasks: the costs at a glance (HTML, PDF and the ``q2o-costs`` markdown artifact) and the template
library as the ``q2o-templates`` table artifact. Keyed artifacts are versioned: each run adds the next version,
so the UI's Artifacts page shows the latest figures and keeps their history."""

from __future__ import annotations

import asyncio

from prefect.artifacts import acreate_link_artifact, acreate_markdown_artifact, acreate_table_artifact
from pydantic import BaseModel

from learning.catalog import CatalogTotals, catalog, catalog_totals
from learning.library import seed_starters
from reports.costs import CostReport, cost_report_markdown, gather_cost_report, write_cost_report
from settings import load_settings
from storage import TemplateStore, open_database
from tasks.defaults import forge_task

COSTS_KEY = "q2o-costs"
COSTS_FILE_KEY = "q2o-costs-file"
TEMPLATES_KEY = "q2o-templates"
TAGS = ["q2o", "costs"]  # of the run (flows.cost_report.report_costs, prefect.yaml); its task runs inherit them


class PublishedCosts(BaseModel):
    """The report and where it was written."""

    report: CostReport
    html_path: str
    pdf_path: str


def _usd(value: float | None) -> str:
    return "-" if value is None else f"${value:,.4f}"


@forge_task("publish-costs", "costs: last {days} days")
async def publish_costs(days: int) -> PublishedCosts:
    """Build the report from the ledger, write its HTML and PDF, and publish it as the ``q2o-costs`` artifact."""
    settings = load_settings()
    settings.ensure_home()
    # Off the event loop (database reads, the chart, the PDF): the template library is published meanwhile.
    report = await asyncio.to_thread(gather_cost_report, settings, days)
    html, pdf = await asyncio.to_thread(write_cost_report, report, settings.reports_dir)
    await acreate_markdown_artifact(
        key=COSTS_KEY,
        markdown=cost_report_markdown(report, str(pdf)),
        description=f"Costs {report.month}, as of {report.created_at:%Y-%m-%d %H:%M} UTC",
    )
    await acreate_link_artifact(
        key=COSTS_FILE_KEY,
        link=pdf.resolve().as_uri(),
        link_text=f"costs {report.today} (PDF)",
        description="Costs at a glance, with the trend chart",
    )
    return PublishedCosts(report=report, html_path=str(html), pdf_path=str(pdf))


@forge_task("publish-templates", "template library")
async def publish_templates() -> CatalogTotals:
    """Publish every template (name, origin, source provider and model, uses, failures, quality, dollars saved)
    as the ``q2o-templates`` table artifact, a totals row last."""
    db = open_database(load_settings().resolved_database_url)
    seed_starters(db)  # the library as the CLI shows it: the starters are there from the first use
    rows = catalog(TemplateStore(db).list())
    totals = catalog_totals(rows)
    table = [
        {
            "name": r.name,
            "id": r.id,
            "origin": r.origin,
            "source provider": r.source_provider or "-",
            "source model": r.source_model or "-",
            "uses": r.uses,
            "failures": r.failures,
            "quality": r.quality,
            "enabled": "yes" if r.enabled else "no",
            "dollars saved": _usd(r.dollars_saved_usd),
        }
        for r in rows
    ]
    table.append(
        {
            "name": f"TOTAL ({totals.templates} templates, {totals.enabled} enabled)",
            "id": "",
            "origin": "",
            "source provider": "",
            "source model": "",
            "uses": totals.uses,
            "failures": totals.failures,
            "quality": "",
            "enabled": "",
            "dollars saved": _usd(totals.dollars_saved_usd),
        }
    )
    unknown = (
        f"; {totals.uses_with_unknown_cost} uses of unknown source cost not counted"
        if totals.uses_with_unknown_cost
        else ""
    )
    await acreate_table_artifact(
        key=TEMPLATES_KEY,
        table=table,
        description=(
            f"Template library: {totals.templates} templates ({totals.enabled} enabled), {totals.uses} uses, "
            f"{totals.failures} failures, {_usd(totals.dollars_saved_usd)} saved (source generation cost x uses"
            f"{unknown})."
        ),
    )
    return totals
