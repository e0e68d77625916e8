"""The report endpoint: reports seeded in the database (SQLite, then PostgreSQL when one answers) served as HTML
and PDF with their content types, an index of the newest, 404s, the health URL, and only on loopback by default."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pypdf import PdfReader

from reports.render import render_report
from reports.server import REPORT_ID
from settings import load_settings
from storage import ReportStore, StoredReport, open_database
from tests.reports.endpoint import running_endpoint

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def rendered():
    """One real report page and its PDF (WeasyPrint takes most of a second: once for the module)."""
    from reports.statement import build_statement

    statement = build_statement("2026-11", "UTC", 100.0, [], [])
    return render_report("statement.html.j2", s=statement)


@pytest.fixture
def store(database: str, rendered) -> ReportStore:
    store = ReportStore(open_database(database))
    store.put(
        StoredReport(
            id="statement-2026-11",
            kind="statement",
            title="Budget statement 2026-11",
            month="2026-11",
            created_at=T0,
            html=rendered.html,
            pdf=rendered.pdf,
        )
    )
    store.put(
        StoredReport(
            id="FR-20261201-a1b2c3",
            kind="failure",
            title="CRUD API for <script>alert(1)</script> Invoice",
            request_id="req-1",
            created_at=T0 + timedelta(days=1),
            html="<!DOCTYPE html><title>Failure report FR-20261201-a1b2c3</title><h1>failed</h1>",
            pdf=rendered.pdf,
        )
    )
    return store


def test_html_and_pdf_are_served_with_their_content_types(store: ReportStore, rendered) -> None:
    with running_endpoint(store) as base, httpx.Client(base_url=base, timeout=10) as http:
        page = http.get("/reports/statement-2026-11.html")
        assert page.status_code == 200
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.text == rendered.html and "<title>Budget statement 2026-11</title>" in page.text
        # the page may show user and LLM text: the browser is told it loads nothing and runs no script
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "script-src" not in page.headers["content-security-policy"]

        pdf = http.get("/reports/statement-2026-11.pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["content-disposition"] == 'inline; filename="statement-2026-11.pdf"'
        assert pdf.content == rendered.pdf
        assert "Budget statement 2026-11" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()

        head = http.head("/reports/FR-20261201-a1b2c3.html")
        assert head.status_code == 200 and head.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/reports/FR-20261201-ffffff.html",  # no such report
        "/reports/FR-20261201-ffffff.pdf",
        "/reports/statement-2026-11.txt",  # no such form
        "/reports/statement-2026-11",
        "/reports/..%2Fq2o.db",  # not a report id: never a path on disk
        "/reports/a/b.html",
        "/elsewhere",
    ],
)
def test_anything_else_is_a_404(store: ReportStore, path: str) -> None:
    with running_endpoint(store) as base:
        answer = httpx.get(base + path, timeout=10)
    assert answer.status_code == 404 and "No such report" in answer.text


def test_the_index_lists_the_newest_first_escaped_with_relative_links(store: ReportStore) -> None:
    with running_endpoint(store) as base:
        index = httpx.get(base + "/", timeout=10, follow_redirects=True)
    assert index.status_code == 200 and str(index.url) == base + "/reports/"
    text = index.text
    assert text.index("FR-20261201-a1b2c3") < text.index("statement-2026-11")  # newest first
    assert '<a href="FR-20261201-a1b2c3.html">HTML</a>' in text and '<a href="statement-2026-11.pdf">PDF</a>' in text
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "req-1" in text and "2026-11" in text


def test_health_counts_the_reports_and_a_dead_database_is_a_503(store: ReportStore) -> None:
    with running_endpoint(store) as base:
        assert httpx.get(base + "/healthz", timeout=10).json() == {"status": "ok", "reports": 2}
    dead = ReportStore(open_database(f"sqlite:///{load_settings().home / 'gone.db'}"))
    with dead.db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE reports")
    with running_endpoint(dead) as base:
        answer = httpx.get(base + "/healthz", timeout=10)
    assert answer.status_code == 503 and answer.json() == {"status": "error", "error": "database unreachable"}


def test_a_replaced_report_is_served_as_written_last(store: ReportStore) -> None:
    store.put(
        StoredReport(id="statement-2026-11", kind="statement", title="again", html="<p>second</p>", pdf=b"%PDF-x")
    )
    with running_endpoint(store) as base:
        assert httpx.get(base + "/reports/statement-2026-11.html", timeout=10).text == "<p>second</p>"


def test_report_ids_the_endpoint_accepts() -> None:
    for good in ("FR-20261202-0a1b2c", "statement-2026-11"):
        assert REPORT_ID.fullmatch(good)
    for bad in ("", "../x", ".hidden", "a/b", "x" * 65, "FR 1"):
        assert not REPORT_ID.fullmatch(bad)
