"""A failure report as an e-mail for the consultant: the HTML report as the body, the PDF attached."""

from __future__ import annotations

from pathlib import Path

from notify import Attachment, send_mail
from reports.failure import FailureReport
from settings import Settings


def mail_failure_report(settings: Settings, report: FailureReport, html_path: Path, pdf_path: Path) -> list[str]:
    """Send ``report`` to the project's recipients; return who it went to ([] when nobody is configured).
    Raises what SMTP raises: the caller logs it, and the request's outcome does not change."""
    recipients = settings.report_recipients(report.project)
    if not recipients or not settings.smtp_host:
        return []
    send_mail(
        settings,
        to=recipients,
        subject=f"[Q2O Forge] failure report {report.report_id}: {report.project} / {report.agent}",
        text=(
            f"A request of project {report.project} (agent {report.agent}) produced no code.\n"
            f"Why: {report.final_error}\n\nThe report is attached as a PDF; this message's HTML part is the same.\n"
        ),
        html=html_path.read_text(encoding="utf-8"),
        attachments=[Attachment(pdf_path.name, pdf_path.read_bytes(), "application/pdf")],
    )
    return recipients
