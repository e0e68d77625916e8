"""The report step: a failed request's result, its failure report and the Prefect artifacts linking it.

The failure report (HTML and PDF under ``Q2O_HOME/reports``) is recorded as Prefect markdown and
link artifacts so admins find it in the UI. A succeeded request needs no report: every call it made
is in the ledger already, and the flow assembles its result without a task run of its own.
"""

from __future__ import annotations

import logging
import smtplib
from pathlib import Path

from prefect.artifacts import acreate_link_artifact, acreate_markdown_artifact

from codegen.result import final_error_text, llm_result, request_attempts
from contracts import CodeRequest, CodeResult, ReviewSummary
from providers.base import redact
from reports.failure import FailureReport, build_failure_report, failure_summary_markdown, write_failure_report
from reports.mailing import mail_failure_report
from settings import Settings, load_settings
from tasks.defaults import forge_task

logger = logging.getLogger("q2o.reports")


@forge_task("report", "report")
async def report(request: CodeRequest, error: str, *, review: ReviewSummary | None = None) -> CodeResult:
    """The failed request's result (``error`` says why); write and link a failure report for it. The
    attempts, and which answers validation or review rejected, are read from the ledger."""
    settings = load_settings()
    attempts = request_attempts(settings, request)
    result = llm_result(request, attempts, None, None, error, review=review)
    # No provider configured and no template fits: a configuration problem the caller is told about (the CLI
    # names the keys to set, exit 2), not a generation that failed, so no report for the consultant.
    if error != "no_provider_configured":
        failure = build_failure_report(request, attempts, final_error_text(attempts, error), error)
        paths = write_failure_report(failure, settings.reports_dir)
        result.report_paths = [str(p) for p in paths]
        await acreate_markdown_artifact(
            key="failure-report",
            markdown=failure_summary_markdown(failure),
            description=f"Failure report {failure.report_id}",
        )
        await acreate_link_artifact(
            key="failure-report-file",
            link=paths[-1].resolve().as_uri(),
            link_text=f"{failure.report_id} (PDF)",
            description="Failure report for the consultant",
        )
        _mail(settings, failure, paths)
    return result


def _mail(settings: Settings, failure: FailureReport, paths: list[Path]) -> None:
    """Mail the report where recipients are configured; a mail server that fails is logged, nothing else."""
    try:
        sent_to = mail_failure_report(settings, failure, paths[0], paths[-1])
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning(
            "failure report %s not mailed: %s", failure.report_id, redact(str(exc), settings.secret_values())
        )
        return
    if sent_to:
        logger.info("failure report %s mailed to %d recipient(s)", failure.report_id, len(sent_to))
