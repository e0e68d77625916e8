"""The cost-report flow in a real run: both keyed artifacts published (a new version each run), the HTML and PDF
written, the run named and tagged, its result persisted on the server."""

from __future__ import annotations

import json

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.client.schemas.sorting import ArtifactSort

from contracts import GeneratedFile
from flows.cost_report import cost_report, report_costs
from learning.engine import build_record
from settings import UsageError
from storage import CallLedger, TemplateStore, open_database

pytestmark = pytest.mark.usefixtures("prefect_server")


@pytest.fixture(autouse=True)
def _starters_seeded_anew():
    """The shared PostgreSQL database is emptied between tests: the starter library must be seeded again."""
    import learning.library

    learning.library._seeded.clear()


@pytest.fixture
def ledger(database, monkeypatch):
    monkeypatch.setenv("Q2O_DATABASE_URL", database)
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "5")
    db = open_database(database)
    calls = CallLedger(db)
    for provider, agent, cost in (("openai", "coder", 0.75), ("anthropic", "reviewer", 0.5)):
        call_id = calls.start(
            request_id="r1",
            flow_run_id=None,
            agent=agent,
            project="acme",
            provider=provider,
            model="m",
            attempt=1,
            system_prompt="",
            prompt="p",
        )
        calls.finish(call_id, status="succeeded", cost_usd=cost)
    code = "class Invoice:\n    def __init__(self, invoice_id: int) -> None:\n        self.invoice_id = invoice_id\n"
    record = build_record(
        "Model for Invoice records",
        ["python"],
        [GeneratedFile(path="models.py", content=code)],
        origin="learned",
        source_provider="openai",
        source_model="gpt-4.1-mini",
        source_cost_usd=0.1,
        quality_score=92.0,
    )
    store = TemplateStore(db)
    store.add(record)
    for _ in range(3):
        store.record_use(record.id, request_id="served", agent="coder", project="acme")
    return record


async def _latest(key: str):
    async with get_client() as client:
        found = await client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])), sort=ArtifactSort.CREATED_DESC
        )
    return found


async def test_a_run_publishes_both_keyed_artifacts_and_persists_its_result(ledger):
    run = await report_costs(5)
    assert run.report.spent_usd == 1.25 and len(run.report.trend) == 5
    assert run.pdf_path.endswith(f"costs-{run.report.today}.pdf") and open(run.pdf_path, "rb").read(4) == b"%PDF"

    [costs, *_] = await _latest("q2o-costs")
    flow_run_id = costs.flow_run_id
    assert costs.type == "markdown" and flow_run_id is not None
    assert "spent **$1.2500**" in costs.data and "| openai | 1 | $0.7500 | 60.0 % |" in costs.data
    assert "3 requests from templates ($0.3000)" in costs.data and "`█████░░░░░░░░░░░░░░░ 25 %`" in costs.data

    [library, *_] = await _latest("q2o-templates")
    assert library.type == "table" and library.flow_run_id == flow_run_id
    rows = json.loads(library.data)
    learned = next(r for r in rows if r["id"] == ledger.id)
    assert learned == {
        "name": ledger.name,
        "id": ledger.id,
        "origin": "learned",
        "source provider": "openai",
        "source model": "gpt-4.1-mini",
        "uses": 3,
        "failures": 0,
        "quality": 92.0,
        "enabled": "yes",
        "dollars saved": "$0.3000",
    }
    assert any(r["origin"] == "starter" for r in rows)  # the seeded starters are part of the library
    total = rows[-1]
    assert total["name"].startswith(f"TOTAL ({len(rows) - 1} templates") and total["dollars saved"] == "$0.3000"
    assert total["uses"] == sum(r["uses"] for r in rows[:-1])
    assert "$0.3000 saved" in library.description

    async with get_client() as client:
        stored = await client.read_flow_run(flow_run_id)
    assert stored.name == "cost-report: last 5 days" and {"q2o", "costs"} <= set(stored.tags)
    assert stored.state is not None and stored.state.is_completed()
    again = await stored.state.aresult()  # read back from the server: persisted
    assert again.report.spent_usd == 1.25 and again.templates.dollars_saved_usd == 0.3


async def test_each_run_is_a_new_version_of_the_same_key(ledger):
    before = len(await _latest("q2o-costs"))
    await cost_report(1)
    await cost_report(1)
    assert len(await _latest("q2o-costs")) == before + 2


async def test_a_bad_window_fails_the_run_with_a_usage_error():
    with pytest.raises(UsageError, match="--days: a number of days from 1 to 366, not 0"):
        await cost_report(0)
