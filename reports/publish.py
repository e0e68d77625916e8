"""Publishing a report: its files under ``Q2O_HOME/reports`` for people who read them from disk, its bytes in the
database so that any machine on it can serve it (``reports.server``), and the http links Prefect artifacts carry.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from pydantic import BaseModel, Field

from reports.render import RenderedReport, without_secrets, write_report_files
from services.report_links import reports_base_url
from settings import Settings
from storage import ReportKind, ReportStore, StoredReport, open_database

ReportFormat = Literal["html", "pdf"]


class PublishedReport(BaseModel):
    """Where a published report is: its files on this machine and its URLs on the report endpoint."""

    report_id: str
    html_path: str
    pdf_path: str
    html_url: str = Field(description="<base>/reports/<id>.html: Q2O_REPORTS_URL, else this home's endpoint")
    pdf_url: str = Field(description="<base>/reports/<id>.pdf")


def report_url(base_url: str, report_id: str, fmt: ReportFormat) -> str:
    """The URL of one form of a report on the endpoint at ``base_url`` (``services.reports_base_url``)."""
    return f"{base_url.rstrip('/')}/reports/{quote(report_id, safe='')}.{fmt}"


def publish_report(
    settings: Settings,
    rendered: RenderedReport,
    *,
    report_id: str,
    kind: ReportKind,
    title: str,
    request_id: str | None = None,
    month: str | None = None,
) -> PublishedReport:
    """Write the report's files, keep its bytes in the configured database, and say where both are."""
    rendered = without_secrets(rendered, settings.secret_values())
    html_path, pdf_path = write_report_files(rendered, settings.reports_dir, report_id)
    store = ReportStore(open_database(settings.resolved_database_url))
    store.put(
        StoredReport(
            id=report_id,
            kind=kind,
            title=title,
            request_id=request_id,
            month=month,
            html=rendered.html,
            pdf=rendered.pdf,
        )
    )
    base_url = reports_base_url(settings)
    return PublishedReport(
        report_id=report_id,
        html_path=str(html_path),
        pdf_path=str(pdf_path),
        html_url=report_url(base_url, report_id, "html"),
        pdf_url=report_url(base_url, report_id, "pdf"),
    )
