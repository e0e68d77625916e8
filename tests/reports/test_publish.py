"""Publishing a report: the files under Q2O_HOME/reports and the database's copy are the same bytes, its URLs
are on Q2O_REPORTS_URL, and a secret that reached the page (a key pasted into a task) is in neither."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from contracts import CodeRequest
from reports.failure import build_failure_report, publish_failure_report
from reports.publish import report_url
from settings import load_settings
from storage import ReportStore, open_database

KEY = "sk-q2o-test-pasted-key-0123456789abcdef"


def test_the_files_and_the_database_hold_the_same_report(monkeypatch) -> None:
    monkeypatch.setenv("Q2O_REPORTS_URL", "https://forge.example.internal/q2o/")
    settings = load_settings()
    request = CodeRequest(task="Export Orion invoices", stack=["python"], agent="coder", project="acme")
    report = build_failure_report(request, [], "no provider answered", "all_providers_failed")
    published = publish_failure_report(report, settings)
    assert published.html_url == f"https://forge.example.internal/q2o/reports/{report.report_id}.html"
    assert published.pdf_url == f"https://forge.example.internal/q2o/reports/{report.report_id}.pdf"
    assert Path(published.html_path).parent == settings.reports_dir
    kept = ReportStore(open_database(settings.resolved_database_url)).get(report.report_id)
    assert kept is not None and (kept.kind, kept.title, kept.request_id) == (
        "failure",
        "Export Orion invoices",
        request.request_id,
    )
    assert kept.html == Path(published.html_path).read_text(encoding="utf-8")
    assert kept.pdf == Path(published.pdf_path).read_bytes()


def test_a_secret_in_the_page_is_in_no_copy_of_the_report(monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    settings = load_settings()
    request = CodeRequest(task=f"Call the API with key {KEY} and list Orion invoices", stack=["python"])
    published = publish_failure_report(build_failure_report(request, [], "failed"), settings)
    kept = ReportStore(open_database(settings.resolved_database_url)).get(published.report_id)
    assert kept is not None
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(kept.pdf)).pages)
    for text in (kept.html, Path(published.html_path).read_text(encoding="utf-8"), pdf_text):
        assert KEY not in text and KEY[-8:] not in text
        assert "Call the API with key *** and list Orion invoices" in " ".join(text.split())
    assert Path(published.pdf_path).read_bytes() == kept.pdf


def test_report_urls_quote_the_id() -> None:
    assert report_url("http://h:1/", "FR-1", "pdf") == "http://h:1/reports/FR-1.pdf"
    assert report_url("http://h:1", "a b/c", "html") == "http://h:1/reports/a%20b%2Fc.html"
