"""Secrets never leave: not in logs (ours, the SDKs', Prefect's), ledger rows, reports (files and the database's
copy), artifacts or results."""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    FlowRunFilter,
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.logging.handlers import APILogHandler
from pypdf import PdfReader

from contracts import CodeRequest
from flows.generate_code import run_request
from simulator import Fail
from storage import CallLedger, ReportStore, open_database
from tests.conftest import FAKE_KEYS

pytestmark = pytest.mark.usefixtures("prefect_server")


def _leaks(text: str) -> list[str]:
    found = []
    for key in FAKE_KEYS.values():
        if key in text or key[-16:] in text:
            found.append(key)
    return found


async def test_no_key_appears_anywhere(sim, database, caplog):
    caplog.set_level(logging.DEBUG)
    for provider in ("gemini", "openai", "anthropic"):
        sim.script(provider, [Fail(401), Fail(403), Fail(500)])
    sim.default["anthropic"] = Fail(500)
    request = CodeRequest(task="Write a greeting script for the Vega service", stack=["python"])
    result = await run_request(request)
    assert result.status == "failed"
    # the simulator really echoed the keys back in its 401/403 bodies
    assert {r.api_key for r in sim.requests} >= set(FAKE_KEYS.values())

    assert not _leaks(result.model_dump_json())
    assert not _leaks("\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records))
    rows = CallLedger(open_database(database)).for_request(request.request_id)
    assert rows and not _leaks("\n".join(r.model_dump_json() for r in rows))
    html_path, pdf_path = result.report_paths
    assert "auth" in open(html_path, encoding="utf-8").read()
    assert not _leaks(open(html_path, encoding="utf-8").read())
    assert not _leaks(" ".join(p.extract_text() for p in PdfReader(pdf_path).pages))
    kept = ReportStore(open_database(database)).get(Path(html_path).stem)  # the copy the report endpoint serves
    assert kept is not None and "auth" in kept.html and not _leaks(kept.html)
    assert not _leaks(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(kept.pdf)).pages))

    flow_run_id = rows[0].flow_run_id
    await APILogHandler.aflush()  # logs are shipped in batches; make sure this run's have landed
    async with get_client() as client:
        logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
        # The server records task runs in batches (flows/__init__.py): wait for this run's to land.
        for _ in range(150):
            task_runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(id={"any_": [flow_run_id]}))
            failed = [t for t in task_runs if t.state and t.state.is_failed() and t.state.message]
            if len(task_runs) >= 5 and failed:  # match, three failed generate runs, report; states land late too
                break
            await asyncio.sleep(0.1)
    assert logs and artifacts and len(task_runs) >= 5
    assert any(t.state and t.state.is_failed() and t.state.message for t in task_runs)  # messages were read
    assert not _leaks("\n".join(log.message for log in logs))
    assert not _leaks("\n".join(str(a.data) + str(a.description) for a in artifacts))
    assert not _leaks("\n".join(str(t.state.message if t.state else "") for t in task_runs))
