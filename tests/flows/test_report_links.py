"""A failed request's report opens from the Prefect UI: its link artifacts are http URLs on the report endpoint
(Q2O_REPORTS_URL) that answer with the report, from the database, and a headless browser opens them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import httpx
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from pypdf import PdfReader

from contracts import CodeRequest
from flows.generate_code import run_request
from simulator import Fail
from storage import CallLedger, ReportStore, open_database
from tests.reports.endpoint import browse, chromium, running_endpoint

pytestmark = pytest.mark.usefixtures("prefect_server")


async def _failed_run_artifacts(sim, database: str, monkeypatch: pytest.MonkeyPatch, base_url: str):
    monkeypatch.setenv("Q2O_REPORTS_URL", base_url)
    for provider in ("gemini", "openai", "anthropic"):
        sim.script(provider, [Fail(500)] * 3)
    request = CodeRequest(task="Sync <b>Vega</b> invoices to the ledger", stack=["python"], agent="coder")
    result = await run_request(request)
    assert result.status == "failed" and result.error == "all_providers_failed"
    flow_run_id = CallLedger(open_database(database)).for_request(request.request_id)[0].flow_run_id
    async with get_client() as client:
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return result, {a.key: a for a in artifacts}


def _link(artifact) -> str:
    """The URL a link artifact points at: Prefect keeps it as the markdown link ``[text](url)`` the UI shows."""
    found = re.fullmatch(r"\[[^\]]*\]\((\S+)\)", artifact.data)
    assert found, artifact.data
    return found.group(1)


async def test_the_failure_reports_links_are_http_urls_that_answer(sim, database, monkeypatch, tmp_path: Path):
    store = ReportStore(open_database(database))
    with running_endpoint(store) as base_url:
        result, artifacts = await _failed_run_artifacts(sim, database, monkeypatch, base_url)
        report_id = Path(result.report_paths[0]).stem
        html_link, pdf_link = _link(artifacts["failure-report-html"]), _link(artifacts["failure-report-pdf"])
        assert html_link == f"{base_url}/reports/{report_id}.html"
        assert pdf_link == f"{base_url}/reports/{report_id}.pdf"
        # the markdown summary links both too, and still names the file for people on the worker
        summary = artifacts["failure-report"].data
        assert f"]({html_link})" in summary and f"]({pdf_link})" in summary and result.report_paths[1] in summary

        page = httpx.get(html_link, timeout=10)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.text == open(result.report_paths[0], encoding="utf-8").read()  # the file, from the database
        assert f"<title>Failure report {report_id}</title>" in page.text
        assert "&lt;b&gt;Vega&lt;/b&gt;" in page.text and "<b>Vega</b>" not in page.text
        pdf = httpx.get(pdf_link, timeout=10)
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content == Path(result.report_paths[1]).read_bytes()
        assert report_id in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()

    # The files on disk are a copy for people; the endpoint serves the database's, so another machine can too.
    for path in result.report_paths:
        Path(path).unlink()
    with running_endpoint(ReportStore(open_database(database))) as other_machine:
        assert httpx.get(f"{other_machine}/reports/{report_id}.html", timeout=10).status_code == 200


@pytest.mark.skipif(chromium() is None, reason="no headless Chromium: apt-get install chromium")
async def test_the_failure_report_opens_in_a_browser_from_its_link(sim, database, monkeypatch, tmp_path: Path):
    store = ReportStore(open_database(database))
    with running_endpoint(store) as base_url:
        result, artifacts = await _failed_run_artifacts(sim, database, monkeypatch, base_url)
        report_id = Path(result.report_paths[0]).stem
        dom, screenshot = browse(_link(artifacts["failure-report-html"]), tmp_path / "browser")
    assert f"<title>Failure report {report_id}</title>" in dom
    assert "Sync &lt;b&gt;Vega&lt;/b&gt; invoices to the ledger" in dom  # the page Chromium built shows the task
    assert "Recommendations" in dom
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 10_000
