"""The budget inside the generate-code flow: template-only mode, guard refusals, alerts as artifacts."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

from budget import BudgetGuard, budget_status
from contracts import CodeRequest
from flows.generate_code import run_request
from settings import load_settings
from simulator import Reply
from storage import BudgetStore, CallLedger, TemplateStore, open_database

pytestmark = pytest.mark.usefixtures("prefect_server")
TASK = "Write a greeting script for the Orion service"
CHAIN = ("gemini", "openai", "anthropic")


def _request(**kw) -> CodeRequest:
    return CodeRequest(
        task=kw.pop("task", TASK), stack=kw.pop("stack", ["python"]), agent="coder", project="acme", **kw
    )


async def test_template_only_mode_serves_templates_and_refuses_the_rest(sim, monkeypatch):
    # SQLite under Q2O_HOME: the starter library is seeded into a fresh database.
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "0")
    served = await run_request(_request(task="CRUD API for Customer records", stack=["python", "fastapi"]))
    assert served.status == "succeeded" and served.source == "template" and served.cost_usd == 0
    db = open_database(load_settings().resolved_database_url)
    [use] = TemplateStore(db).uses_between(datetime(2000, 1, 1, tzinfo=UTC), datetime(3000, 1, 1, tzinfo=UTC))
    assert (use.template_id, use.uses) == (served.template_id, 1)  # booked for the month statement

    refused = await run_request(_request())
    assert not sim.requests  # no provider was called
    assert refused.status == "failed" and refused.error == "budget_exhausted" and refused.files == []
    assert [(a.provider, a.status, a.error_kind) for a in refused.attempts] == [
        (p, "skipped", "budget_exhausted") for p in CHAIN
    ]
    assert "monthly budget" in refused.attempts[0].error
    html_path, pdf_path = refused.report_paths
    html = open(html_path, encoding="utf-8").read()
    assert "FAILED · budget exhausted" in html and "q2o budget set AMOUNT" in html
    assert "No attempt was recorded" not in html
    assert open(pdf_path, "rb").read(4) == b"%PDF"

    # Raising the budget (q2o budget set) turns provider calls back on at once.
    BudgetStore(open_database(load_settings().resolved_database_url)).set_budget(5)
    again = await run_request(_request())
    assert again.status == "succeeded" and again.source == "llm" and again.provider == "gemini"


async def test_guard_refuses_a_call_that_would_cross_and_the_chain_goes_on(sim, database, monkeypatch):
    # Worst cases at the default 4096-token cap: claude-haiku-4-5 ~ $0.021, gemini-2.5-flash ~ $0.011.
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "0.015")
    result = await run_request(_request(chain=["anthropic", "gemini"]))
    assert not sim.requests_for("anthropic")
    assert [(a.provider, a.status, a.error_kind) for a in result.attempts] == [
        ("anthropic", "failed", "budget_exhausted"),
        ("gemini", "succeeded", None),
    ]
    assert result.status == "succeeded" and result.provider == "gemini"
    status = budget_status(load_settings())
    assert status.reserved_usd == 0 and status.spent_usd == pytest.approx(result.cost_usd, abs=1e-6)

    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "0.005")  # now no provider's worst case fits
    refused = await run_request(_request(task="Write a log rotation script"))  # no template learned for it
    assert refused.status == "failed" and refused.error == "budget_exhausted"
    assert {a.error_kind for a in refused.attempts} == {"budget_exhausted"}
    assert len(refused.attempts) == 3 and len(sim.requests) == 1  # refusals are not retried
    rows = CallLedger(open_database(database)).for_request(refused.request_id)
    assert [r.status for r in rows] == ["failed"] * 3 and all(r.cost_usd == 0 for r in rows)


async def test_a_crossed_level_becomes_a_prefect_artifact(sim, monkeypatch):
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "1")
    settings = load_settings()
    guard = BudgetGuard(settings)
    held = guard.reserve(
        agent="coder", project="acme", provider="gemini", model="gemini-2.5-flash", prompt_bytes=4, max_output_tokens=16
    )
    assert guard.settle(held, 0.4999) == []  # just under 50 %
    sim.script("gemini", [Reply()])
    result = await run_request(_request())
    assert result.status == "succeeded"
    assert budget_status(load_settings()).alerts_fired == [50]
    [row] = CallLedger(open_database(load_settings().resolved_database_url)).for_request(result.request_id)
    async with get_client() as client:  # this run's artifact (other runs' alerts are versions of the same key)
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["budget-alert-month"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(row.flow_run_id)]),
            )
        )
    assert artifacts and "50% used" in artifacts[0].data


async def test_a_model_missing_from_the_price_table(sim, monkeypatch):
    """Unknown price: the ledger says unknown and the budget holds the dearest worst case; declared: both agree."""
    monkeypatch.setenv("Q2O_OPENAI_MODEL", "llama3")
    unknown = await run_request(_request(chain=["openai"]))
    assert unknown.status == "succeeded" and unknown.cost_usd is None
    held = budget_status(load_settings()).spent_usd
    assert held > 0.1  # 4096 output tokens at the dearest price in the table
    monkeypatch.setenv("Q2O_MODEL_PRICES", "llama3=0/0")  # a local model: free
    declared = await run_request(_request(task="Write a log rotation script", chain=["openai"]))
    assert declared.status == "succeeded" and declared.cost_usd == 0
    assert budget_status(load_settings()).spent_usd == pytest.approx(held)  # nothing more was charged
