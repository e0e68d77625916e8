"""A dead provider stops costing time: after its every attempt failed, the chain skips it for a cooldown
(shared through the database), tries it again afterwards, and an answer closes the circuit."""

from __future__ import annotations

import asyncio

import pytest

from contracts import CodeRequest
from flows.generate_code import run_request
from simulator import Fail, Reply
from storage import CallLedger, CircuitStore, open_database

pytestmark = pytest.mark.usefixtures("prefect_server")


def _request(n: int) -> CodeRequest:
    return CodeRequest(task=f"Write a greeting script for the Orion{n} service", stack=["python"])


def _gemini_rows(database: str, request_id: str) -> list[tuple[str, str | None]]:
    return [
        (r.status, r.error_kind)
        for r in CallLedger(open_database(database)).for_request(request_id)
        if r.provider == "gemini"
    ]


async def test_an_outage_costs_its_attempts_once_then_the_provider_is_skipped(sim, database):
    sim.default["gemini"] = Fail(500)
    first = await run_request(_request(0))
    assert first.status == "succeeded" and first.provider == "openai"
    results = [await run_request(_request(n)) for n in range(1, 5)]
    assert all(r.status == "succeeded" and r.provider == "openai" for r in results)
    assert len(sim.requests_for("gemini")) == 3  # the first request's attempts; none after
    assert _gemini_rows(database, results[-1].request_id) == [("skipped", "circuit_open")]
    skip = next(a for a in results[-1].attempts if a.provider == "gemini")
    assert "3 calls in a row failed (unavailable" in skip.error


async def test_a_refused_key_is_tried_once(sim, database):
    sim.default["gemini"] = Fail(401)
    for n in range(3):
        assert (await run_request(_request(n))).provider == "openai"
    assert len(sim.requests_for("gemini")) == 1  # 401 is not retried, and then the circuit is open


async def test_after_the_cooldown_the_provider_is_tried_again_and_an_answer_closes_it(sim, database, monkeypatch):
    monkeypatch.setenv("Q2O_CIRCUIT_COOLDOWN_SECONDS", "2")
    sim.script("gemini", [Fail(500)] * 3)  # then the default: it answers again
    assert (await run_request(_request(0))).provider == "openai"
    assert (await run_request(_request(1))).provider == "openai"  # skipped while open
    await asyncio.sleep(2.1)
    assert (await run_request(_request(2))).provider == "gemini"  # the probe: one call, answered
    assert CircuitStore(open_database(database)).get("gemini").state == "closed"
    assert (await run_request(_request(3))).provider == "gemini"
    assert len(sim.requests_for("gemini")) == 5


async def test_unusable_output_opens_nothing(sim, database):
    sim.default["gemini"] = Reply(text="no code here")
    for n in range(2):
        assert (await run_request(_request(n))).provider == "openai"
    assert len(sim.requests_for("gemini")) == 6  # tried in full both times: it answers, just not usefully


async def test_a_circuit_a_refused_key_opened_ends_when_the_key_changes(sim, database, monkeypatch):
    sim.script("gemini", [Fail(401)])  # then it answers: as if the new key were accepted
    assert (await run_request(_request(0))).provider == "openai"
    assert (await run_request(_request(1))).provider == "openai"  # same key: still skipped
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-a-new-key-0123456789")
    assert (await run_request(_request(2))).provider == "gemini"
    assert len(sim.requests_for("gemini")) == 2


async def test_a_failed_probe_is_one_call_and_reopens_the_circuit_for_twice_as_long(sim, database, monkeypatch):
    monkeypatch.setenv("Q2O_CIRCUIT_COOLDOWN_SECONDS", "2")
    sim.default["gemini"] = Fail(503)
    assert (await run_request(_request(0))).provider == "openai"  # 3 attempts, then open for 2 s
    await asyncio.sleep(2.1)
    probed = await run_request(_request(1))
    assert probed.provider == "openai"
    assert _gemini_rows(database, probed.request_id) == [("failed", "unavailable")]  # one call, not three
    row = CircuitStore(open_database(database)).get("gemini")
    assert (row.state, row.level, row.failures) == ("open", 2, 4)
    assert (row.open_until - row.since).total_seconds() == pytest.approx(4.0)
    skipped = await run_request(_request(2))
    assert _gemini_rows(database, skipped.request_id) == [("skipped", "circuit_open")]
    assert len(sim.requests_for("gemini")) == 4


async def test_a_dead_reviewer_is_asked_once_then_skipped_and_the_next_reviewer_reviews(sim, database):
    verdict = Reply(json={"issues": [], "severity": "none", "recommendation": "approve", "score": 98})
    sim.structured_default["openai"] = Fail(500)  # openai writes no code here: it only reviews, and is down
    sim.structured_default["anthropic"] = verdict
    task = "Write a login handler that checks a password hash"
    results = [await run_request(CodeRequest(task=task, stack=["python"], fresh=True)) for _ in range(4)]
    assert all(r.status == "succeeded" and r.provider == "gemini" for r in results)
    assert all(r.review.reviewer == "anthropic" and r.review.outcome == "approve" for r in results)
    dead_calls = len(sim.requests_for("openai"))
    assert 1 <= dead_calls <= 2  # the first review's tries; none after
    rows = CallLedger(open_database(database)).for_request(results[-1].request_id)
    assert [(r.purpose, r.status, r.error_kind) for r in rows if r.provider == "openai"] == [
        ("review", "skipped", "circuit_open")
    ]
    assert CircuitStore(open_database(database)).get("openai").state == "open"
