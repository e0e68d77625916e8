"""The generate-code flow end to end: real SDKs against the simulator, Prefect retries and failover."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from contracts import CodeRequest
from flows.generate_code import run_request
from providers.pricing import cost_usd
from settings import load_settings
from simulator import Fail, Hang, Malformed, Reply, code_answer
from storage import CallLedger, open_database

pytestmark = pytest.mark.usefixtures("prefect_server")
TASK = "Write a greeting script for the Orion service"


def _request(**kw) -> CodeRequest:
    return CodeRequest(task=kw.pop("task", TASK), stack=["python"], agent="coder", project="acme", **kw)


def _ledger(database: str) -> CallLedger:
    return CallLedger(open_database(database))


async def test_first_provider_answers(sim, database):
    result = await run_request(_request())
    assert result.status == "succeeded" and result.source == "llm"
    assert result.provider == "gemini" and result.files[0].path == "app/main.py"
    assert result.quality_score == 100
    [attempt] = result.attempts
    assert (attempt.provider, attempt.attempt, attempt.status) == ("gemini", 1, "succeeded")
    assert attempt.input_tokens == 120 and attempt.output_tokens == 80
    assert attempt.cost_usd == pytest.approx(cost_usd("gemini-2.5-flash", 120, 80))
    assert result.cost_usd == pytest.approx(attempt.cost_usd)
    [row] = _ledger(database).for_request(result.request_id)
    assert row.flow_run_id and row.prompt and "Orion" in row.prompt and row.response_text


async def test_failover_order_attempt_counts_and_backoff(sim, database, monkeypatch):
    monkeypatch.setenv("Q2O_BACKOFF_SECONDS", "0.2")
    sim.script("gemini", [Fail(500), Fail(503), Fail(500)])
    sim.script("openai", [Malformed("json"), Reply(text="Sorry, I cannot write code today."), Fail(500)])
    result = await run_request(_request())
    assert result.status == "succeeded" and result.provider == "anthropic"
    assert [(a.provider, a.attempt, a.status) for a in result.attempts] == [
        ("gemini", 1, "failed"),
        ("gemini", 2, "failed"),
        ("gemini", 3, "failed"),
        ("openai", 1, "failed"),
        ("openai", 2, "failed"),
        ("openai", 3, "failed"),
        ("anthropic", 1, "succeeded"),
    ]
    assert [a.error_kind for a in result.attempts[3:6]] == ["malformed_response", "invalid_output", "unavailable"]
    times = [r.at for r in sim.requests_for("gemini")]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert 0.2 <= gaps[0] < 0.4 + 0.3 and gaps[1] >= 0.4  # 0.2 s, then doubled (plus Prefect's own latency)
    errors_cost = [a.cost_usd for a in result.attempts[:3]]
    assert errors_cost == [0.0, 0.0, 0.0]  # error answers are not billed


async def test_auth_error_is_not_retried(sim, database):
    sim.script("gemini", [Fail(401)])
    result = await run_request(_request())
    assert len(sim.requests_for("gemini")) == 1
    assert result.provider == "openai"
    assert result.attempts[0].error_kind == "auth"


async def test_retry_after_is_honoured_when_longer_than_the_backoff(sim, database):
    sim.script("gemini", [Fail(429, headers={"Retry-After": "1"})])
    result = await run_request(_request())
    first, second = sim.requests_for("gemini")[:2]
    assert second.at - first.at >= 1.0
    assert result.provider == "gemini" and result.attempts[0].error_kind == "rate_limited"


async def test_unconfigured_provider_is_skipped_and_recorded(sim, database, monkeypatch):
    monkeypatch.delenv("GEMINI_API_KEY")
    result = await run_request(_request())
    assert not sim.requests_for("gemini")
    skip = result.attempts[0]
    assert (skip.provider, skip.status, skip.error_kind) == ("gemini", "skipped", "not_configured")
    assert "GEMINI_API_KEY" in skip.error
    assert result.provider == "openai"


async def test_truncated_and_invalid_python_count_as_failed_attempts(sim, database):
    sim.script(
        "gemini",
        [Reply(finish="length"), Reply(text=code_answer({"app/main.py": "def broken(:\n    pass\n"})), Reply()],
    )
    result = await run_request(_request())
    assert [a.error_kind for a in result.attempts] == ["invalid_output", "invalid_output", None]
    assert result.attempts[0].cost_usd is not None  # an answer with tokens is paid for, even if unusable


async def test_request_chain_override(sim, database):
    result = await run_request(_request(chain=["anthropic"]))
    assert result.provider == "anthropic" and not sim.requests_for("gemini")


async def test_timeout_is_retried(sim, database, monkeypatch):
    monkeypatch.setenv("Q2O_TIMEOUT_SECONDS", "0.5")
    sim.script("gemini", [Hang(3)])
    result = await run_request(_request())
    assert result.attempts[0].error_kind == "timeout" and result.attempts[0].cost_usd is None
    assert result.status == "succeeded" and result.provider == "gemini"
    assert result.cost_usd is None  # the timed-out request may still be billed: unknown, never a partial sum


async def test_all_failing_gives_a_failure_report(sim, database):
    for provider in ("gemini", "openai", "anthropic"):
        sim.script(provider, [Fail(500)] * 3)
    sim.script("anthropic", [Fail(529), Fail(429, headers={"Retry-After": "0"}), Fail(500)])
    result = await run_request(_request(task="Write a greeting script for the <b>Orion</b> service"))
    assert result.status == "failed" and result.error == "all_providers_failed" and result.source is None
    assert len(result.attempts) == 9
    html_path, pdf_path = result.report_paths
    assert html_path.endswith(".html") and pdf_path.endswith(".pdf")
    assert str(load_settings().reports_dir) in pdf_path
    html = open(html_path, encoding="utf-8").read()
    assert "<b>Orion</b>" not in html and "&lt;b&gt;Orion&lt;/b&gt;" in html
    text = " ".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    for provider in ("gemini", "openai", "anthropic"):
        assert provider in text
    assert text.count("unavailable") >= 7 and "rate_limited" in text


EVAL_CODE = code_answer(
    {
        "app/calc.py": '"""Calculator."""\n\n\ndef calc(expr: str) -> object:\n'
        '    """Evaluate."""\n    return eval(expr)\n'
    }
)


async def test_code_that_fails_static_validation_is_a_failed_attempt_with_its_findings(sim, database):
    sim.script("gemini", [Reply(text=EVAL_CODE)])
    result = await run_request(_request())
    assert result.status == "succeeded" and result.provider == "openai"
    first = result.attempts[0]
    assert (first.provider, first.status, first.error_kind) == ("gemini", "failed", "failed_validation")
    assert "dangerous-call:eval" in first.error and "minimum 95" in first.error
    row = _ledger(database).get(first.call_id)  # the ledger tells the same story as the result
    assert row.status == "succeeded" and row.verdict == "failed_validation" and row.outcome == "rejected"
    assert row.verdict_reason == first.error and row.cost_usd == first.cost_usd


async def test_the_next_provider_is_told_the_findings_an_earlier_answer_was_refused_for(sim, database):
    # The same prompt again would earn the same findings: the next attempt's prompt says what not to repeat.
    sim.script("gemini", [Reply(text=EVAL_CODE)])
    result = await run_request(_request())
    assert result.status == "succeeded" and result.provider == "openai"
    rows = {r.provider: r for r in _ledger(database).for_request(result.request_id)}
    told = rows["openai"].prompt
    assert "refused by static validation" in told and "dangerous-call:eval at app/calc.py:6" in told
    assert "refused by static validation" not in rows["gemini"].prompt
    [request] = [r for r in sim.requests_for("openai") if "messages" in (r.body or {})]
    assert "dangerous-call:eval" in str(request.body["messages"])  # what the provider got, not only the ledger


async def test_every_answer_failing_validation_fails_with_a_report_that_says_why(sim, database):
    for provider in ("gemini", "openai", "anthropic"):
        sim.default[provider] = Reply(text=EVAL_CODE)
    result = await run_request(_request())
    assert result.status == "failed" and result.error == "failed_validation"
    assert [a.error_kind for a in result.attempts] == ["failed_validation"] * 3
    last = next(r for r in _ledger(database).for_request(result.request_id) if r.provider == "anthropic")
    assert last.prompt.count("dangerous-call:eval") == 1  # the same finding twice is told once
    html = open(result.report_paths[0], encoding="utf-8").read()
    assert "FAILED · failed validation" in html and "dangerous-call:eval" in html and "Static validation" in html


async def test_run_is_named_for_the_ui_and_a_success_runs_no_report_task(sim, database):
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter

    result = await run_request(_request(task="  Write a greeting script for the Orion service\nwith a --name flag"))
    assert result.status == "succeeded" and not result.report_paths
    [row] = _ledger(database).for_request(result.request_id)
    async with get_client() as client:
        run = await client.read_flow_run(row.flow_run_id)
        # The server records task runs in batches (flows/__init__.py): wait for this run's to land.
        for _ in range(150):
            task_runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(id={"any_": [row.flow_run_id]}))
            if len(task_runs) >= 4 and all(t.state and t.state.is_final() for t in task_runs):
                break
            await asyncio.sleep(0.1)
    assert run.name == "coder/acme: Write a greeting script for the Orion service"
    # match, generate, validate, learn: the report task is for failures (it writes the failure report)
    assert sorted(t.name for t in task_runs) == ["generate: gemini", "learn", "match", "validate"]


async def test_a_request_given_as_a_dict_is_validated_by_the_flow(sim, database):
    # What a deployment run passes (run_deployment(..., parameters={"request": {...}})); Prefect's own
    # parameter validation is off for this flow, so the flow must validate it.
    import pydantic

    result = await run_request({"task": TASK, "stack": ["python"], "agent": "coder", "project": "acme"})
    assert result.status == "succeeded" and result.source == "llm"
    with pytest.raises(pydantic.ValidationError, match="task"):
        await run_request({"task": "", "stack": ["python"]})


async def test_a_failed_request_ends_failed_in_prefect_with_its_error_and_its_result(sim, database):
    from prefect.client.orchestration import get_client

    from flows.generate_code import generate_code

    for provider in ("gemini", "openai", "anthropic"):
        sim.default[provider] = Fail(401)
    state = await generate_code(_request(), return_state=True)
    assert state.is_failed() and state.message == "all_providers_failed"
    result = await state.aresult(raise_on_failure=False)  # what an agent gets: the whole result, not an exception
    assert result.status == "failed" and result.error == "all_providers_failed" and result.attempts
    async with get_client() as client:  # the server holds the same: a state filter in the UI finds it
        stored = await client.read_flow_run(state.state_details.flow_run_id)
    assert stored.state is not None and stored.state.type.value == "FAILED"
    assert stored.state.message == "all_providers_failed"


async def test_a_succeeded_request_completes(sim, database):
    from flows.generate_code import generate_code

    state = await generate_code(_request(), return_state=True)
    assert state.is_completed() and (await state.aresult()).status == "succeeded"


async def test_a_run_shows_its_work_in_an_artifact_and_its_q2o_logs(sim, database):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler

    result = await run_request(_request())
    run_id = _ledger(database).for_request(result.request_id)[0].flow_run_id
    await APILogHandler.aflush()
    async with get_client() as client:
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
        logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
    summary = next(str(a.data) for a in artifacts if a.type == "markdown")
    assert "SUCCEEDED" in summary and "gemini" in summary and result.request_id in summary.replace("\\", "")
    assert "**cost:**" in summary and f"**Quality score:** {result.quality_score:.0f}" in summary
    assert any(log.name == "q2o.flow" and "succeeded from llm" in log.message for log in logs)


async def _summary_and_log(run_id: str) -> tuple[str, str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler

    await APILogHandler.aflush()
    async with get_client() as client:
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
        logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
    summary = next(str(a.data) for a in artifacts if a.type == "markdown")
    line = next(log.message for log in logs if log.name == "q2o.flow" and " from " in log.message)
    return summary, line


async def test_calls_count_provider_calls_alike_in_the_cli_line_the_log_line_and_the_summary(
    sim, database, monkeypatch, capsys
):
    """A skipped provider and the cache's $0 row are no calls: the three places that count them agree."""
    from cli.generate import print_summary

    for variable in ("GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(variable, raising=False)  # gemini: skipped, not_configured
    for attempt, expected in ((1, 1), (2, 0)):  # a call to openai; then the exact repeat, from the cache
        result = await run_request(_request(task="Write a health check script for the Lyra service"))
        assert result.source == ("llm" if attempt == 1 else "cache"), result
        assert len(result.attempts) > expected  # a skip (and on the repeat, the cache row) among the attempts
        summary, line = await _summary_and_log(_ledger(database).for_request(result.request_id)[0].flow_run_id)
        print_summary(result)
        printed = capsys.readouterr().err
        assert f" · {expected} call(s) · " in printed
        assert printed.startswith("cache (an exact repeat") == (attempt == 2)  # a repeat says where it came from
        assert f", {expected} calls, " in line and f"**Calls:** {expected} " in summary
