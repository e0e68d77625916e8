"""Alerts on every path (``q2o budget set``, a refused call, template-only mode, the close), each fired once
across processes; a daily call limit that says when it resets and which variable changes it; ``budget status``
naming the scope that blocks calls."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget import BudgetExhausted, BudgetGuard, budget_status, exhausted_reason
from budget.periods import day_of, month_of
from cli import app
from codegen.calling import CallContext, ledgered_call
from settings import load_settings
from storage import CallLedger, open_database
from tests.budget.worker import PROMPT

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _spend(guard: BudgetGuard, dollars: float, agent: str = "coder", project: str = "acme") -> list:
    held = guard.reserve(
        agent=agent, project=project, provider="openai", model="gpt-4.1-mini", prompt_bytes=4, max_output_tokens=16
    )
    return guard.settle(held, dollars)


def test_budget_set_fires_the_levels_it_crosses_once(budget_db, caplog):
    guard = BudgetGuard(load_settings())  # the default $1,000
    assert [a.level for a in _spend(guard, 50.0)] == []  # 5 %
    with caplog.at_level(logging.INFO, logger="q2o.budget"):
        done = runner.invoke(app, ["budget", "set", "60"])  # $50 of $60: 83 %
    assert done.exit_code == 0, done.output
    assert done.stdout.count("alert sent:") == 3 and "Warning: Monthly budget" in done.stdout
    assert "past 80% (83% used) ($50.00 of $60.00)" in done.stdout and "past 50% (83% used)" in done.stdout
    logged = [r.getMessage() for r in caplog.records if r.name == "q2o.budget"]
    assert len(logged) == 3 and "past 80%" in logged[-1]  # the log channel had them too
    assert budget_status(load_settings()).alerts_fired == [50, 70, 80]
    again = runner.invoke(app, ["budget", "set", "60"])  # nothing new is crossed: nothing is sent twice
    assert again.exit_code == 0 and "alert sent" not in again.stdout
    lower = runner.invoke(app, ["budget", "set", "50"])  # now 100 %: the rest at once, and calls are off
    assert lower.stdout.count("alert sent:") == 4 and "BUDGET EXHAUSTED" in lower.stdout
    assert "Provider calls are off for every agent and project" in lower.stdout
    assert budget_status(load_settings()).exhausted


async def test_a_refused_call_fires_its_scope_once(sim, budget_db, monkeypatch, caplog):
    # gpt-4.1-mini at the default 4096-token cap holds ~$0.0066: a $0.005 budget refuses it with nothing spent.
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "0.005")
    settings = load_settings()
    context = CallContext(request_id="refused", flow_run_id=None, agent="coder", project="acme")
    with caplog.at_level(logging.INFO, logger="q2o.budget"), pytest.raises(BudgetExhausted) as refused:
        await ledgered_call(settings, context, "openai", system="", prompt=PROMPT)
    assert not sim.requests
    [alert] = refused.value.alerts
    assert (alert.scope, alert.level, alert.refused_usd) == ("month", 100, pytest.approx(0.006614))
    assert alert.text.startswith("BUDGET REACHED. Monthly budget") and "was refused at $0.00 of" in alert.text
    assert "raise it with q2o budget set AMOUNT, or wait until it resets at" in alert.text
    assert any("was refused" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)
    assert "q2o budget set AMOUNT" in str(refused.value) and "resets at" in str(refused.value)
    [row] = CallLedger(open_database(budget_db)).for_request("refused")
    assert row.error_kind == "budget_exhausted" and row.cost_usd == 0
    with pytest.raises(BudgetExhausted) as again:  # the same refusal again: already said
        await ledgered_call(settings, context, "openai", system="", prompt=PROMPT)
    assert again.value.alerts == []
    assert [(a.scope, a.level) for a in budget_status(settings).alerts] == [("month", 100)]


def test_two_processes_refused_at_once_send_one_alert(budget_db, monkeypatch):
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "0.001")
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.budget.worker", "refuse"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    fired = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        fired += [tuple(x) for x in json.loads(out.strip().splitlines()[-1])]
    assert fired == [("month", 100)]


def test_a_refusal_after_the_spent_100_percent_adds_nothing(budget_db, monkeypatch):
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "0.01")
    guard = BudgetGuard(load_settings())
    assert [a.level for a in _spend(guard, 0.01)] == [50, 70, 80, 90, 95, 99, 100]
    with pytest.raises(BudgetExhausted) as refused:
        _spend(guard, 0.0)
    assert refused.value.alerts == []


def test_template_only_mode_is_a_refusal_too(budget_db, monkeypatch):
    """A budget lowered through the environment: no settle saw it; the first request turned away says so."""
    monkeypatch.setenv("Q2O_AGENT_SHARES", "coder=10")
    guard = BudgetGuard(load_settings())
    _spend(guard, 0.5, agent="coder")  # 0.05 % of $1,000, 0.5 % of coder's $100
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "4")  # coder's share is now $0.40: used up
    settings = load_settings()
    reason = exhausted_reason(settings, "coder", "acme")
    assert reason is not None and reason.startswith("the agent coder's share of ")
    assert "provider calls are off for agent coder" in reason and "Q2O_AGENT_SHARES" in reason
    fired = {(a.scope, a.level) for a in budget_status(settings).alerts}
    assert ("agent:coder", 100) in fired and ("month", 50) not in fired  # the month is at 12.5 %
    assert exhausted_reason(settings, "researcher", "acme") is None  # other agents still call


def test_daily_call_limit_says_when_it_resets_and_what_changes_it(budget_db, monkeypatch):
    monkeypatch.setenv("Q2O_DAILY_CALL_LIMIT", "2")
    monkeypatch.setenv("Q2O_TIMEZONE", "Asia/Tokyo")
    guard = BudgetGuard(load_settings())
    assert _spend(guard, 0.0009) == []  # 1 of 2
    [reached] = _spend(guard, 0.0009)  # 2 of 2: the next call is refused, so it is said now
    day = day_of("Asia/Tokyo")
    assert (reached.scope, reached.period, reached.level) == ("daily-calls", day, 100)
    tomorrow = (datetime.strptime(day, "%Y-%m-%d") + timedelta(days=1)).strftime("%Y-%m-%d")
    assert reached.text.startswith(f"DAILY CALL LIMIT REACHED. Daily call limit {day}: 100% used (2 of 2 calls)")
    assert f"resets at {tomorrow} 00:00 Asia/Tokyo" in reached.text
    assert "change it with Q2O_DAILY_CALL_LIMIT (q2o budget set does not change it)" in reached.text
    with pytest.raises(BudgetExhausted) as refused:
        _spend(guard, 0.0009)
    message = str(refused.value)
    assert refused.value.scope == "daily-calls" and refused.value.alerts == []  # said once, at 2 of 2
    assert f"it resets at {tomorrow} 00:00 Asia/Tokyo" in message and "Q2O_DAILY_CALL_LIMIT" in message
    assert "raise it with q2o budget set" not in message
    reason = exhausted_reason(load_settings(), "coder", "acme")
    assert reason is not None and reason.startswith(f"the daily call limit of {day} is reached (2 of 2 calls)")
    assert "q2o budget set does not change it" in reason


def test_status_names_the_daily_call_limit_that_blocks(budget_db, monkeypatch):
    """The report: ``exhausted: true`` at 0.09 % with no scope saying why."""
    monkeypatch.setenv("Q2O_DAILY_CALL_LIMIT", "1")
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "1")
    _spend(BudgetGuard(load_settings()), 0.0009)
    done = runner.invoke(app, ["budget", "status", "--json"])
    assert done.exit_code == 0, done.output
    status = json.loads(done.stdout)
    assert status["exhausted"] and status["percent"] == 0.09
    [blocked] = status["blocked_by"]
    assert (blocked["scope"], blocked["unit"], blocked["used"], blocked["limit"]) == ("daily-calls", "calls", 1, 1)
    assert blocked["blocks"] == "every agent and project" and "Q2O_DAILY_CALL_LIMIT" in blocked["changed_with"]
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    assert datetime.fromisoformat(blocked["resets_at"]) == midnight
    assert [s["scope"] for s in status["limits"]] == ["month", "daily-calls"]
    human = runner.invoke(app, ["budget", "status"])
    assert human.exit_code == 0 and "EXHAUSTED" in human.stdout
    assert f"blocked: the daily call limit of {day_of('UTC')} is reached (1 of 1 calls)" in human.stdout
    assert f"it resets at {midnight:%Y-%m-%d} 00:00 UTC" in human.stdout


def test_status_names_an_agent_share_and_a_project_that_block(budget_db, monkeypatch):
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "10")
    monkeypatch.setenv("Q2O_AGENT_SHARES", "coder=10,*=90")
    monkeypatch.setenv("Q2O_PROJECT_BUDGETS", "acme=0.5")
    monkeypatch.setenv("Q2O_DAILY_COST_ALERT_USD", "0.5")
    guard = BudgetGuard(load_settings())
    fired = _spend(guard, 1.0, agent="coder", project="acme")
    daily = next(a for a in fired if a.scope == "daily-cost")
    assert daily.text.startswith("WARNING: Daily cost alert level") and "An alert only, calls go on" in daily.text
    status = budget_status(load_settings())
    assert not status.exhausted  # the month is at 10 %: other agents and projects still call
    assert [(b.scope, b.used, b.limit) for b in status.blocked_by] == [
        ("agent:coder", 1.0, 1.0),
        ("project:acme", 1.0, 0.5),
    ]
    assert "Q2O_PROJECT_BUDGETS" in status.blocked_by[1].text and "project acme" in status.blocked_by[1].text
    assert [s.scope for s in status.limits] == ["month", "agent:coder", "agent:*", "project:acme", "daily-cost"]
    assert not status.limits[-1].blocking  # an alert level never blocks
    assert ("daily-cost", 100) in {(a.scope, a.level) for a in status.alerts}
    human = runner.invoke(app, ["budget", "status"]).stdout
    assert "some off" in human and "blocked: the agent coder's share of" in human
    assert "blocked: the project acme's budget of" in human


async def test_the_close_fires_what_no_settle_fired(prefect_server, budget_db, monkeypatch):
    """October's spending was settled by a process that never evaluated it (the budget then changed): the
    close of October fires its levels, once."""
    from flows.close_month import close_month

    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "1")
    store = BudgetGuard(load_settings()).store
    held = store.reserve(
        amount_usd=Decimal("0.8"),
        month="2026-10",
        day="2026-10-15",
        agent="coder",
        project="acme",
        provider="openai",
        model="gpt-4.1-mini",
        call_id=None,
        limits=[],
        daily_call_limit=None,
        expire_before=datetime(2026, 10, 1, tzinfo=UTC),
    )
    assert held.reservation_id is not None and store.settle(held.reservation_id, Decimal("0.8"))
    assert store.alerts("2026-10") == []
    await close_month("2026-10")
    assert [(a.scope, a.level) for a in store.alerts("2026-10")] == [("month", 50), ("month", 70), ("month", 80)]
    assert month_of("UTC") != "2026-10" and store.alerts(month_of("UTC")) == []
    await close_month("2026-10")  # closed again: nothing fires twice
    assert len(store.alerts("2026-10")) == 3


def test_budget_set_reaches_prefect_when_an_api_is_configured(prefect_server, budget_db):
    """Outside any flow run, with a Prefect API configured (the test harness's), ``q2o budget set`` sends its
    alerts as events too: an automation sees a budget lowered by hand like one spent down."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter, EventResourceFilter

    from tasks.alerts import ALERT_EVENT

    _spend(BudgetGuard(load_settings()), 7.0, project="set-by-hand")
    done = runner.invoke(app, ["budget", "set", "7.77"])  # $7 of $7.77: 90 %
    assert done.exit_code == 0 and done.stdout.count("alert sent:") == 4, done.output
    wanted = EventFilter(
        event=EventNameFilter(name=[ALERT_EVENT]), resource=EventResourceFilter(id=["q2o.budget.month"])
    )
    with get_client(sync_client=True) as client:
        for _ in range(60):  # the server persists events a moment after they arrive
            ours = [e for e in client.read_events(wanted, limit=50).events if e.payload.get("budget") == 7.77]
            if len(ours) == 4:
                break
            time.sleep(0.5)
    assert sorted(e.payload["level"] for e in ours) == [50, 70, 80, 90]
    assert all("$7.77" in e.payload["text"] for e in ours)
