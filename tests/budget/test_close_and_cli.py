"""close-month (statement, idempotence, a clean new month) and ``q2o budget`` status / set / close."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, update
from typer.testing import CliRunner

from budget import BudgetGuard, budget_status
from cli import app
from settings import load_settings
from storage import CallLedger, TemplateStore, open_database
from storage.models import Call, TemplateUse
from storage.templates import TemplateRecord

runner = CliRunner()


def _ledger_row(
    url: str,
    when: datetime,
    cost: float,
    provider: str = "openai",
    agent: str = "coder",
    project: str = "acme",
    request_id: str = "r1",
) -> None:
    ledger = CallLedger(open_database(url))
    call_id = ledger.start(
        request_id=request_id,
        flow_run_id=None,
        agent=agent,
        project=project,
        provider=provider,
        model="gpt-4.1-mini",
        attempt=1,
        system_prompt="",
        prompt="p",
    )
    ledger.finish(call_id, status="succeeded", input_tokens=1, output_tokens=1, cost_usd=cost)
    with open_database(url).session() as session:
        session.execute(update(Call).where(Call.id == call_id).values(created_at=when))


@pytest.fixture
def tokyo_month(budget_db, monkeypatch) -> str:
    """October 2026 in Tokyo: one row on its first local morning, one on its last, one just after it."""
    monkeypatch.setenv("Q2O_TIMEZONE", "Asia/Tokyo")
    _ledger_row(budget_db, datetime(2026, 9, 30, 15, 30, tzinfo=UTC), 0.25, request_id="first")  # Oct 1, 00:30
    _ledger_row(
        budget_db,
        datetime(2026, 10, 31, 14, 0, tzinfo=UTC),
        0.5,
        provider="anthropic",
        agent="researcher",
        project="globex",
        request_id="last",
    )  # Oct 31, 23:00
    _ledger_row(budget_db, datetime(2026, 10, 31, 23, 30, tzinfo=UTC), 9.0, request_id="november")  # Nov 1
    templates = TemplateStore(open_database(budget_db))
    templates.add(
        TemplateRecord(
            id="t1",
            signature="s1",
            name="CRUD <entity>",
            stack_key="python",
            skeleton=["crud"],
            slots=[],
            files=[],
            source_cost_usd=0.02,
            usage_count=40,
        )
    )
    templates.add(
        TemplateRecord(
            id="t2",
            signature="s2",
            name="Starter <entity>",
            stack_key="python",
            skeleton=["starter"],
            slots=[],
            files=[],
            source_cost_usd=None,
        )
    )
    uses = [("t1", datetime(2026, 9, 30, 15, 30, tzinfo=UTC))] * 4 + [  # Oct 1 in Tokyo: 4 uses of t1
        ("t1", datetime(2026, 10, 31, 23, 30, tzinfo=UTC)),  # Nov 1 in Tokyo: not October's
        ("t2", datetime(2026, 10, 10, 0, 0, tzinfo=UTC)),
    ]  # a starter: no known generation cost
    for template_id, when in uses:
        templates.record_use(template_id, request_id="r", agent="coder", project="acme")
        with open_database(budget_db).session() as session:
            session.execute(
                update(TemplateUse)
                .where(TemplateUse.id == session.query(func.max(TemplateUse.id)).scalar_subquery())
                .values(used_at=when)
            )
    return budget_db


async def test_close_month_writes_the_statement_once(prefect_server, tokyo_month):
    from flows.close_month import close_month

    first = await close_month("2026-10")
    assert not first.already_closed and first.spent_usd == 0.75
    html = open(first.html_path).read()
    assert "2026-10-01" in html and "2026-10-31" in html and "2026-11-01" not in html
    assert "globex" in html and "anthropic" in html
    assert "5 requests this month were served by 2 templates" in html and "$0.0800" in html  # 4 x $0.02 saved
    assert open(first.pdf_path, "rb").read(4) == b"%PDF"
    stamp = (open(first.html_path).read(), open(first.pdf_path, "rb").read())
    again = await close_month("2026-10")
    assert again.already_closed and (again.html_path, again.pdf_path) == (first.html_path, first.pdf_path)
    assert (open(first.html_path).read(), open(first.pdf_path, "rb").read()) == stamp


async def test_a_new_month_starts_clean(prefect_server, budget_db, monkeypatch):
    """Alerts are per month: November fired 100 % (template-only), December starts with none."""
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "0.001")
    guard = BudgetGuard(load_settings())
    store = guard.store
    assert store.try_fire("month", "2026-11", 100, 0.001, 0.001)
    assert store.alerts("2026-12") == []


def test_cli_set_and_status(budget_db):
    done = runner.invoke(app, ["budget", "set", "250"])
    assert done.exit_code == 0, done.output
    guard = BudgetGuard(load_settings())
    held = guard.reserve(
        agent="coder", project="acme", provider="openai", model="gpt-4.1-mini", prompt_bytes=4, max_output_tokens=16
    )
    guard.settle(held, 125.0)
    done = runner.invoke(app, ["budget", "status", "--json"])
    assert done.exit_code == 0, done.output
    status = json.loads(done.stdout)
    assert status["budget_usd"] == 250 and status["spent_usd"] == 125 and status["percent"] == 50
    assert status["remaining_usd"] == 125 and status["reserved_usd"] == 0 and status["alerts_fired"] == [50]
    assert status["today_calls"] == 1 and status["by_provider"] == {"openai": 125.0}
    assert status["by_agent"] == {"coder": 125.0}
    human = runner.invoke(app, ["budget", "status"])
    assert human.exit_code == 0 and "spent $125.0000" in human.stdout and "month 50%" in human.stdout
    assert budget_status(load_settings()).budget_usd == 250


def test_cli_close_runs_the_flow(prefect_server, tokyo_month):
    done = runner.invoke(app, ["budget", "close", "--month", "2026-10"])
    assert done.exit_code == 0, done.output
    assert "closed 2026-10: spent $0.7500" in done.stdout and "statement-2026-10.pdf" in done.stdout
    again = runner.invoke(app, ["budget", "close", "--month", "2026-10"])
    assert again.exit_code == 0 and "already closed" in again.stdout
    future = runner.invoke(app, ["budget", "close", "--month", "2999-01"])
    assert future.exit_code == 2 and "has not ended" in future.stderr


async def test_alerts_inside_a_run_become_a_prefect_event_and_artifact(prefect_server, monkeypatch):
    import prefect.settings
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    import tasks.alerts
    from budget import BudgetAlert, channels, send_alerts, unregister_channel

    events = []
    registered = "prefect" in channels._extra  # importing tasks registers it: leave it as found
    monkeypatch.setattr(tasks.alerts, "emit_event", lambda event, **kw: events.append((event, kw)))
    tasks.alerts.register_prefect_alerts()
    alert = BudgetAlert(scope="agent:coder", period="2026-11", level=100, spent_usd=60.0, budget_usd=60.0)

    @flow
    async def alerting() -> None:
        await send_alerts([alert], load_settings())

    try:
        await alerting()
        in_the_run = list(events)
        await send_alerts([alert], load_settings())  # outside a run, with an API configured (the harness's)
        with prefect.settings.temporary_settings(updates={prefect.settings.PREFECT_API_URL: None}):
            await send_alerts([alert], load_settings())  # outside a run, no API: nothing, and no error
    finally:
        if not registered:
            unregister_channel("prefect")
    [(name, kw)] = in_the_run
    assert len(events) == 2 and events[1][1]["payload"] == kw["payload"]  # the event only: no artifact outside
    assert name == "q2o.budget.threshold" and kw["resource"]["prefect.resource.id"] == "q2o.budget.agent.coder"
    assert "Provider calls are off for agent coder" in kw["payload"].pop("text")
    assert kw["payload"] == {"spent": 60.0, "budget": 60.0, "level": 100, "period": "2026-11", "scope": "agent:coder"}
    async with get_client() as client:
        found = await client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["budget-alert-agent-coder"]))
        )
    assert found and "Provider calls are off" in found[0].data
