"""The ``cost-report`` flow (hourly in ``prefect.yaml``, and on demand: ``q2o report costs``): costs at a glance
as HTML, PDF and the ``q2o-costs`` artifact, and the template library as the ``q2o-templates`` table artifact.

Its result (the report and its files) is persisted, so a deployed or scheduled run's figures can be read back.
"""

from __future__ import annotations

import asyncio

from prefect import flow, tags
from prefect.runtime import flow_run
from pydantic import BaseModel

from flows.logs import forward_q2o_logs
from learning.catalog import CatalogTotals
from reports.costs import MAX_DAYS, CostReport
from settings import UsageError
from tasks.costs import TAGS, publish_costs, publish_templates

forward_q2o_logs()


class CostReportRun(BaseModel):
    """What a cost-report run published."""

    report: CostReport
    html_path: str
    pdf_path: str
    templates: CatalogTotals


def _run_name() -> str:
    return f"cost-report: last {flow_run.get_parameters().get('days', 30)} days"


@flow(name="cost-report", flow_run_name=_run_name, persist_result=True, result_serializer="json")
async def cost_report(days: int = 30) -> CostReportRun:
    """Publish the costs (``days`` of daily trend, today included) and the template library."""
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(f"--days: a number of days from 1 to {MAX_DAYS}, not {days}")
    costs, templates = await asyncio.gather(publish_costs(days), publish_templates())
    return CostReportRun(report=costs.report, html_path=costs.html_path, pdf_path=costs.pdf_path, templates=templates)


async def report_costs(days: int = 30) -> CostReportRun:
    """Run the flow on demand, its run tagged like the deployed one (a flow takes its tags from the caller)."""
    with tags(*TAGS):
        return await cost_report(days)
