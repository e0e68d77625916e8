"""The admin flows' runs tell the truth in Prefect: a provider check with a failing provider ends Failed, and
the rows and a month's close are persisted, so a run's result can be read back from the server."""

from __future__ import annotations

import pytest
from prefect.client.orchestration import get_client

from flows.admin import check_providers
from flows.close_month import close_month
from flows.states import result_of
from simulator import Fail

pytestmark = pytest.mark.usefixtures("prefect_server")


async def _stored_state(state):
    async with get_client() as client:
        run = await client.read_flow_run(state.state_details.flow_run_id)
    assert run.state is not None
    return run.state


async def test_a_check_with_a_failing_provider_is_failed_and_names_it(sim):
    sim.script("anthropic", [Fail(401)])
    state = await check_providers(return_state=True)
    assert state.is_failed() and state.message.startswith("provider check failed: anthropic (")
    rows = await result_of(state)
    assert {r.provider: r.ok for r in rows} == {"gemini": True, "openai": True, "anthropic": False}
    stored = await _stored_state(state)
    assert stored.type.value == "FAILED"
    again = await stored.aresult(raise_on_failure=False)  # read back from the server: persisted
    assert [r.provider for r in again] == [r.provider for r in rows]


async def test_a_check_where_every_provider_answers_completes(sim):
    state = await check_providers(["gemini", "openai"], return_state=True)
    assert state.is_completed() and all(r.ok for r in await state.aresult())


async def test_a_check_with_no_provider_configured_fails(monkeypatch, q2o_env):
    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "Q2O_OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    state = await check_providers(return_state=True)
    assert state.is_failed() and state.message == "provider check failed: no provider is configured"


async def test_the_close_of_a_month_is_persisted(q2o_env):
    state = await close_month("2026-10", return_state=True)
    stored = await _stored_state(state)
    closed = await stored.aresult()
    assert stored.type.value == "COMPLETED" and closed.month == "2026-10" and closed.pdf_path.endswith(".pdf")


async def test_alerts_a_check_crosses_reach_prefect(sim, monkeypatch):
    """check-providers has the Prefect channel like every flow (its tasks register it): the level its call
    crosses becomes an event related to the run, readable from the server, and a line of the run's logs."""
    import asyncio

    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.events.filters import EventFilter, EventNameFilter

    from budget import budget_status
    from settings import load_settings
    from tasks.alerts import ALERT_EVENT

    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "0.0001")  # one check call of gemini-2.5-flash crosses 50 %
    state = await check_providers(["gemini"], return_state=True)
    assert state.is_completed()
    fired = budget_status(load_settings()).alerts
    assert fired and {a.scope for a in fired} == {"month"}
    run_id = str(state.state_details.flow_run_id)
    async with get_client() as client:
        for _ in range(60):  # the server persists events a moment after they arrive
            page = await client.read_events(EventFilter(event=EventNameFilter(name=[ALERT_EVENT])), limit=50)
            ours = [e for e in page.events if any(r.id == f"prefect.flow-run.{run_id}" for r in e.related)]
            if len(ours) == len(fired):
                break
            await asyncio.sleep(0.5)
        assert sorted(e.payload["level"] for e in ours) == sorted(a.level for a in fired)
        assert all(e.resource.id == "q2o.budget.month" for e in ours)
        logs = await client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[state.state_details.flow_run_id]))
        )
        assert any("Monthly budget" in log.message and "% used" in log.message for log in logs)
