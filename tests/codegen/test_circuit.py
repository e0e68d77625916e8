"""The breaker's rules on a real database (SQLite, then PostgreSQL), the clock passed in: the cooldown grows while
a provider stays down, one caller probes, a probe claim that never reports expires, a new key ends a refusal."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier

import pytest

from budget import BudgetExhausted
from codegen.circuit import (
    admit,
    after_answer,
    after_failure,
    cooldown_for,
    key_refused,
    probe_lease_seconds,
)
from providers.base import AuthError, InvalidOutput, RateLimited, Unavailable
from settings import Settings, load_settings
from storage import CircuitRecord, CircuitStore, open_database

T0 = datetime(2026, 12, 2, 10, 0, 0, tzinfo=UTC)


def _at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def settings(database: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-the-first-key-0123456789")
    monkeypatch.setenv("Q2O_CIRCUIT_COOLDOWN_SECONDS", "30")
    monkeypatch.setenv("Q2O_CIRCUIT_MAX_COOLDOWN_SECONDS", "100")
    return load_settings()


def _row(settings: Settings) -> CircuitRecord:
    row = CircuitStore(open_database(settings.resolved_database_url)).get("gemini")
    assert row is not None
    return row


def _probe(settings: Settings, at: datetime) -> str:
    gate = admit(settings, "gemini", now=at)
    assert gate.skip is None and gate.probe is not None, gate
    return gate.probe


def test_the_cooldown_doubles_while_the_provider_stays_down_up_to_the_cap(settings):
    after_failure(settings, "gemini", Unavailable("HTTP 500"), failed_calls=3, now=T0)
    assert _row(settings).open_until == _at(30)
    assert "circuit open until 10:00:30 UTC" in (admit(settings, "gemini", now=_at(29)).skip or "")
    now, expected = 30.0, []
    for _ in range(4):  # each probe fails: 60, then 100 (the cap, not 120), then 100 again
        token = _probe(settings, _at(now + 1))
        after_failure(settings, "gemini", Unavailable("HTTP 500"), probe=token, now=_at(now + 1))
        row = _row(settings)
        expected.append((row.open_until - row.since).total_seconds())
        now = (row.open_until - T0).total_seconds()
    assert expected == [60, 100, 100, 100]
    assert (row.state, row.level, row.failures, row.opened_at) == ("open", 5, 7, T0)


def test_an_answer_closes_the_circuit_and_the_growth_starts_over(settings):
    after_failure(settings, "gemini", Unavailable("HTTP 500"), failed_calls=3, now=T0)
    token = _probe(settings, _at(31))
    after_failure(settings, "gemini", Unavailable("HTTP 500"), probe=token, now=_at(31))  # 60 s now
    token = _probe(settings, _at(92))
    after_answer(settings, "gemini", now=_at(93))
    row = _row(settings)
    assert (row.state, row.failures, row.since, row.error_kind) == ("closed", 0, _at(93), "unavailable")
    assert admit(settings, "gemini", now=_at(94)).skip is None
    after_failure(settings, "gemini", Unavailable("HTTP 500"), failed_calls=3, now=_at(200))
    row = _row(settings)
    assert (row.level, row.open_until, row.opened_at) == (1, _at(230), _at(200))  # 30 s again, a new outage


def test_exactly_one_caller_probes_while_the_others_keep_skipping(settings):
    after_failure(settings, "gemini", Unavailable("HTTP 500"), failed_calls=3, now=T0)
    start = Barrier(16)

    def one(_: int) -> str | None:
        start.wait()
        gate = admit(settings, "gemini", now=_at(31))
        assert (gate.skip is None) == (gate.probe is not None)
        return gate.probe

    with ThreadPoolExecutor(max_workers=16) as pool:
        probes = [p for p in pool.map(one, range(16)) if p is not None]
    assert len(probes) == 1
    row = _row(settings)
    assert (row.state, row.probe_token) == ("half_open", probes[0])
    assert "another caller's probe call decides" in (admit(settings, "gemini", now=_at(40)).skip or "")


def test_a_failure_while_the_circuit_is_open_only_counts(settings):
    after_failure(settings, "gemini", Unavailable("HTTP 500"), failed_calls=3, now=T0)
    after_failure(settings, "gemini", Unavailable("HTTP 500"), failed_calls=3, now=_at(2))  # a request begun before
    row = _row(settings)
    assert (row.open_until, row.level, row.failures) == (_at(30), 1, 6)


def test_a_probe_claim_that_never_reports_expires(settings):
    after_failure(settings, "gemini", Unavailable("HTTP 500"), failed_calls=3, now=T0)
    lost = _probe(settings, _at(31))  # its process dies: it never reports
    lease = probe_lease_seconds(settings)
    assert admit(settings, "gemini", now=_at(31 + lease - 1)).skip is not None
    second = _probe(settings, _at(31 + lease + 1))
    assert second != lost
    # The lost probe reports late after all: it no longer holds the claim, so it only counts.
    after_failure(settings, "gemini", Unavailable("HTTP 500"), probe=lost, now=_at(31 + lease + 2))
    assert (_row(settings).state, _row(settings).probe_token) == ("half_open", second)
    after_answer(settings, "gemini", now=_at(31 + lease + 3))
    assert _row(settings).state == "closed"


def test_a_probe_the_budget_refused_hands_the_probe_on_and_unusable_output_closes(settings):
    after_failure(settings, "gemini", Unavailable("HTTP 500"), failed_calls=3, now=T0)
    token = _probe(settings, _at(31))
    after_failure(settings, "gemini", BudgetExhausted("monthly budget used up"), probe=token, now=_at(32))
    assert (_row(settings).state, _row(settings).level) == ("open", 1)  # not called: no evidence either way
    token = _probe(settings, _at(33))  # the next caller probes at once
    after_failure(settings, "gemini", InvalidOutput("no code block"), probe=token, now=_at(34))
    assert _row(settings).state == "closed"  # it answered: alive


def test_a_refused_key_is_unconfigured_until_the_key_changes(settings, monkeypatch):
    after_failure(settings, "gemini", AuthError("HTTP 401"), now=T0)
    row = _row(settings)
    assert key_refused(settings, row) and row.open_until == _at(300)
    assert "or until the key changes" in (admit(settings, "gemini", now=_at(10)).skip or "")
    assert "AIza-the-first-key" not in row.reason + (row.key_digest or "")
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-a-new-key-9876543210")
    changed = load_settings()
    assert not key_refused(changed, row)
    gate = admit(changed, "gemini", now=_at(11))
    assert gate.skip is None and gate.probe is None  # the new key is called as usual, not as a probe
    assert _row(changed).state == "closed"


def test_cooldowns_grow_a_longer_retry_after_wins_and_zero_turns_them_off():
    settings = Settings(
        circuit_cooldown_seconds=30, circuit_auth_cooldown_seconds=300, circuit_max_cooldown_seconds=900
    )
    assert [cooldown_for(settings, Unavailable("down"), level) for level in (1, 2, 3, 6, 40)] == [30, 60, 120, 900, 900]
    assert cooldown_for(settings, RateLimited("slow down", retry_after=5000), 3) == 5000
    assert cooldown_for(settings, AuthError("bad key"), 2) == 600
    assert cooldown_for(Settings(circuit_max_cooldown_seconds=10), Unavailable("down"), 4) == 30  # base beats cap
    assert cooldown_for(Settings(circuit_cooldown_seconds=0), Unavailable("down"), 5) == 0
    assert cooldown_for(settings, None) == 0
