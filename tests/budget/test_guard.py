"""The guard: reserve the worst case, settle or release once, expiry, limits, periods in a time zone."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from budget import BudgetExhausted, BudgetGuard, budget_status, is_exhausted
from budget.guard import estimate_tokens, worst_case_usd
from budget.periods import day_of, month_bounds, month_of, previous_month
from providers.registry import PROVIDER_NAMES, spec_for
from settings import load_settings


def _guard(monkeypatch, **env: str) -> BudgetGuard:
    for name, value in env.items():
        monkeypatch.setenv(f"Q2O_{name.upper()}", value)
    return BudgetGuard(load_settings())


def _reserve(guard: BudgetGuard, agent: str = "coder", project: str = "acme", output: int = 1000):
    # gpt-4.1-mini: 0.40 / 1.60 per million; 300 bytes = 100 tokens -> 0.00004 + 0.0016 = 0.00164
    return guard.reserve(
        agent=agent,
        project=project,
        provider="openai",
        model="gpt-4.1-mini",
        prompt_bytes=300,
        max_output_tokens=output,
    )


def test_worst_case_is_bytes_over_three_plus_the_output_cap_at_list_price():
    assert worst_case_usd("gpt-4.1-mini", 300, 1000) == Decimal("0.001640")
    assert worst_case_usd("gpt-4.1-mini", 301, 0) == Decimal("0.000041")  # 101 tokens, rounded up
    assert estimate_tokens("abc" * 100) == 100 and estimate_tokens("数据库" * 100) == 300  # CJK: ~a token each
    # an unknown model is held at the dearest price we know, never free
    assert worst_case_usd("my-local-llama", 300, 1000) > worst_case_usd("claude-opus-4-1", 300, 1000) / 2


def test_reserve_settle_release_and_status(budget_db, monkeypatch):
    guard = _guard(monkeypatch, monthly_budget_usd="1")
    held = _reserve(guard)
    status = budget_status(guard.settings)
    assert status.reserved_usd == pytest.approx(0.00164) and status.spent_usd == 0
    guard.settle(held, 0.001)
    guard.settle(held, 0.5)  # a second settle changes nothing: no double charge
    status = budget_status(guard.settings)
    assert (status.spent_usd, status.reserved_usd) == (0.001, 0.0)
    other = _reserve(guard)
    guard.release(other)
    assert guard.store.get(other.id).status == "released"
    assert budget_status(guard.settings).spent_usd == 0.001
    unknown = _reserve(guard)
    guard.settle(unknown, None)  # unknown cost: the worst case held is charged
    assert budget_status(guard.settings).spent_usd == pytest.approx(0.001 + 0.00164)
    assert status.today_calls == 1 and budget_status(guard.settings).today_calls == 3


def test_a_call_that_would_cross_the_budget_is_refused(budget_db, monkeypatch):
    guard = _guard(monkeypatch, monthly_budget_usd="0.004")
    _reserve(guard), _reserve(guard)  # 0.00328 held
    with pytest.raises(BudgetExhausted) as refused:
        _reserve(guard)
    assert refused.value.kind == "budget_exhausted" and refused.value.retryable is False
    assert not is_exhausted(guard.settings, "coder", "acme")  # 82 % used: not yet template-only


def test_stored_budget_wins_over_the_environment(budget_db, monkeypatch):
    guard = _guard(monkeypatch, monthly_budget_usd="0.001")
    with pytest.raises(BudgetExhausted):
        _reserve(guard)
    guard.store.set_budget(5)
    assert budget_status(guard.settings).budget_usd == 5
    _reserve(guard)


def test_agent_share_project_budget_and_daily_call_limit(budget_db, monkeypatch):
    guard = _guard(
        monkeypatch,
        monthly_budget_usd="1",
        agent_shares="coder=60,*=0.2",
        project_budgets="tiny=0.002",
        daily_call_limit="3",
    )
    with pytest.raises(BudgetExhausted) as pool:
        _reserve(guard, agent="researcher")  # the "*" pool: 0.2 % of $1 = $0.002, one call fits
        _reserve(guard, agent="writer")
    assert pool.value.scope == "agent:*"
    _reserve(guard, project="tiny")
    with pytest.raises(BudgetExhausted) as project:
        _reserve(guard, project="tiny")
    assert project.value.scope == "project:tiny"
    assert is_exhausted(guard.settings, "coder", "tiny") is False  # 82 %
    _reserve(guard)
    with pytest.raises(BudgetExhausted) as daily:
        _reserve(guard)
    assert daily.value.scope == "daily-calls"
    assert is_exhausted(guard.settings, "coder", "acme")


def test_an_expired_reservation_stops_counting_and_settles_once_late(budget_db, monkeypatch):
    guard = _guard(monkeypatch, monthly_budget_usd="0.002", reservation_timeout_seconds="0.5")
    stale = _reserve(guard)
    with pytest.raises(BudgetExhausted):
        _reserve(guard)
    time.sleep(0.6)
    fresh = _reserve(guard)  # the stale hold expired in the same locked step
    assert guard.store.get(stale.id).status == "expired"
    guard.settle(fresh, 0.001)
    guard.settle(stale, 0.0005)  # a late settle is charged once
    guard.settle(stale, 0.0005)
    assert budget_status(guard.settings).spent_usd == pytest.approx(0.0015)


def test_months_and_days_follow_the_time_zone():
    moment = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
    assert month_of("UTC", moment) == "2026-10"
    assert month_of("Asia/Tokyo", moment) == "2026-11" and day_of("Asia/Tokyo", moment) == "2026-11-01"
    assert month_of("America/New_York", datetime(2026, 11, 1, 3, 30, tzinfo=UTC)) == "2026-10"
    assert previous_month("Asia/Tokyo", moment) == "2026-10"
    assert previous_month("UTC", datetime(2026, 1, 1, tzinfo=UTC)) == "2025-12"
    start, end = month_bounds("2026-03", "Europe/Paris")  # DST starts on 2026-03-29
    assert start == datetime(2026, 2, 28, 23, tzinfo=UTC) and end == datetime(2026, 3, 31, 22, tzinfo=UTC)


def test_exhausted_reason_names_the_budget(budget_db, monkeypatch):
    from budget import exhausted_reason

    guard = _guard(monkeypatch, monthly_budget_usd="0.002")
    assert exhausted_reason(guard.settings, "coder", "acme") is None
    guard.settle(_reserve(guard), 0.002)
    reason = exhausted_reason(guard.settings, "coder", "acme")
    assert reason.startswith("the monthly budget of ") and "provider calls are off" in reason
    assert "of $0.002000)" in reason  # a small budget keeps its digits (QA saw "$0.0023 of $0.00")


def test_a_timed_out_call_keeps_its_worst_case_charged(sim, budget_db, monkeypatch):
    """No answer came: the provider may still bill it, so the hold is settled at the worst case, not 0."""
    import asyncio

    from codegen.calling import CallContext, ledgered_call
    from providers.base import Timeout
    from simulator import Hang
    from storage import BudgetStore, open_database

    monkeypatch.setenv("Q2O_TIMEOUT_SECONDS", "0.3")
    sim.script("openai", [Hang(seconds=3)])
    settings = load_settings()
    context = CallContext(request_id="slow", flow_run_id=None, agent="coder", project="acme")
    with pytest.raises(Timeout):
        asyncio.run(ledgered_call(settings, context, "openai", system="", prompt="x" * 300, max_output_tokens=1000))
    [hold] = BudgetStore(open_database(budget_db)).reservations()
    assert hold.status == "settled" and hold.cost_usd == pytest.approx(float(worst_case_usd("gpt-4.1-mini", 300, 1000)))


@pytest.mark.parametrize("provider", PROVIDER_NAMES)
def test_a_call_that_never_connected_is_not_charged(budget_db, monkeypatch, provider):
    """Connection refused: the request never left, so the hold is released and the ledger says $0, not unknown."""
    import asyncio
    import socket

    from codegen.calling import CallContext, ledgered_call
    from providers.base import Unavailable
    from simulator import base_url_for
    from storage import BudgetStore, CallLedger, open_database

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    spec = spec_for(provider)
    monkeypatch.setenv(spec.base_url_variable, base_url_for(port, provider))
    monkeypatch.setenv(spec.key_variables[0], "test-key")
    settings = load_settings()
    context = CallContext(request_id="refused", flow_run_id=None, agent="coder", project="acme")
    with pytest.raises(Unavailable) as raised:
        asyncio.run(ledgered_call(settings, context, provider, system="", prompt="x" * 300, max_output_tokens=1000))
    assert raised.value.not_sent
    [hold] = BudgetStore(open_database(budget_db)).reservations()
    assert hold.status == "released" and budget_status(settings).spent_usd == 0
    [row] = CallLedger(open_database(budget_db)).for_request("refused")
    assert row.status == "failed" and row.cost_usd == 0.0 and "the request was not sent" in row.error_message
