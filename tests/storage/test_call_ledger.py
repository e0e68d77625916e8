"""The call ledger on SQLite and PostgreSQL: start/finish round trips, finishing once, skips, listing,
exact decimal costs, UTC times, and secrets redacted from every text column.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from storage import CallLedger, CallRecord, open_database
from storage.models import Call

SECRET = "sk-FAKE-ledger-secret-0123456789"
OTHER_SECRET = "AIzaFAKE-other-secret-abcdef"


def _ledger(url: str, secrets: list[str] | None = None) -> CallLedger:
    return CallLedger(open_database(url), secrets=secrets or [])


def _start(ledger: CallLedger, **overrides: object) -> int:
    fields: dict[str, object] = dict(
        request_id="req-1",
        flow_run_id="flow-1",
        agent="coder",
        project="shop",
        provider="openai",
        model="gpt-4.1-mini",
        attempt=1,
        system_prompt="You write code.",
        prompt="Write a CRUD API.",
    )
    fields.update(overrides)
    return ledger.start(**fields)  # type: ignore[arg-type]


def _row(url: str, call_id: int) -> dict:
    """The stored row, read through the table's column types (no repository in between)."""
    calls = Call.__table__
    with open_database(url).engine.connect() as conn:
        return dict(conn.execute(select(calls).where(calls.c.id == call_id)).mappings().one())


def test_start_then_finish_round_trips_every_field(database_url: str) -> None:
    ledger = _ledger(database_url)
    before = datetime.now(UTC)
    call_id = _start(ledger, purpose="review", attempt=2, flags=["prompt_injection", "ignore_instructions"])
    running = ledger.get(call_id)
    assert running is not None and running.status == "running" and running.finished_at is None

    done = ledger.finish(
        call_id,
        status="succeeded",
        input_tokens=1200,
        output_tokens=345,
        cost_usd=0.000123,
        latency_s=1.25,
        response_text="```python\nprint('hi')\n```",
        model="gpt-4.1-mini-2025-04-14",
    )
    assert done == ledger.get(call_id)
    assert done.model_dump(exclude={"created_at", "finished_at"}) == dict(
        id=call_id,
        request_id="req-1",
        flow_run_id="flow-1",
        agent="coder",
        project="shop",
        provider="openai",
        model="gpt-4.1-mini-2025-04-14",
        model_asked="gpt-4.1-mini",  # the model it was sent to stays beside the one that answered
        attempt=2,
        purpose="review",
        status="succeeded",
        error_kind=None,
        error_message=None,
        input_tokens=1200,
        output_tokens=345,
        cost_usd=0.000123,
        latency_s=1.25,
        system_prompt="You write code.",
        prompt="Write a CRUD API.",
        response_text="```python\nprint('hi')\n```",
        flags=["ignore_instructions", "prompt_injection"],
        verdict=None,
        verdict_reason=None,
        outcome="succeeded",
    )
    assert done.created_at.tzinfo is not None and done.created_at.utcoffset() == timedelta(0)
    assert done.finished_at is not None and done.finished_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= done.created_at <= done.finished_at <= datetime.now(UTC)


def test_a_failure_keeps_its_error_and_the_requested_model(database_url: str) -> None:
    ledger = _ledger(database_url)
    call_id = _start(ledger)
    failed = ledger.finish(
        call_id, status="failed", error_kind="rate_limited", error_message="RateLimited: slow down", latency_s=0.2
    )
    assert (failed.status, failed.error_kind, failed.error_message) == (
        "failed",
        "rate_limited",
        "RateLimited: slow down",
    )
    assert failed.model == "gpt-4.1-mini" and failed.cost_usd is None and failed.response_text is None


def test_a_call_is_finished_only_once(database_url: str) -> None:
    ledger = _ledger(database_url)
    call_id = _start(ledger)
    ledger.finish(call_id, status="succeeded", cost_usd=0.01)
    with pytest.raises(ValueError, match="already succeeded"):
        ledger.finish(call_id, status="succeeded", cost_usd=0.01)
    with pytest.raises(ValueError, match="already succeeded"):
        ledger.finish(call_id, status="failed")
    assert ledger.get(call_id).cost_usd == 0.01  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="no call"):
        ledger.finish(987654, status="failed")
    with pytest.raises(ValueError, match="'succeeded' or 'failed'"):
        ledger.finish(_start(ledger), status="skipped")  # type: ignore[arg-type]


def test_racing_finishers_charge_once(database_url: str) -> None:
    ledger = _ledger(database_url)
    call_id = _start(ledger)
    ready = threading.Barrier(4)
    outcomes: list[str] = []

    def finish() -> None:
        ready.wait(timeout=10)
        try:
            ledger.finish(call_id, status="succeeded", cost_usd=0.5)
            outcomes.append("finished")
        except ValueError:
            outcomes.append("refused")

    threads = [threading.Thread(target=finish) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["finished", "refused", "refused", "refused"]


def test_a_skip_is_recorded_finished(database_url: str) -> None:
    ledger = _ledger(database_url, [SECRET])
    call_id = ledger.record_skip(
        request_id="req-1",
        flow_run_id=None,
        agent="coder",
        project="shop",
        provider="gemini",
        model="gemini-2.5-flash",
        reason=f"not configured: set GEMINI_API_KEY (was {SECRET})",
    )
    skip = ledger.get(call_id)
    assert skip is not None
    assert (skip.status, skip.error_kind, skip.attempt) == ("skipped", "not_configured", 0)
    assert skip.error_message == "not configured: set GEMINI_API_KEY (was ***)"
    assert skip.cost_usd is None and skip.input_tokens is None and skip.finished_at is not None
    with pytest.raises(ValueError, match="already skipped"):
        ledger.finish(call_id, status="succeeded")


def test_list_filters_newest_first_and_for_request_oldest_first(database_url: str) -> None:
    ledger = _ledger(database_url)
    plan = [
        ("req-a", "coder", "openai"),
        ("req-a", "coder", "gemini"),
        ("req-b", "tester", "openai"),
        ("req-b", "coder", "anthropic"),
        ("req-c", "tester", "gemini"),
    ]
    ids = [_start(ledger, request_id=r, agent=a, provider=p) for r, a, p in plan]
    ledger.finish(ids[0], status="failed", error_kind="timeout")
    ledger.finish(ids[1], status="succeeded")

    def listed(**filters: object) -> list[int]:
        return [record.id for record in ledger.list(**filters)]  # type: ignore[arg-type]

    assert listed() == ids[::-1]
    assert listed(limit=2) == [ids[4], ids[3]]
    assert listed(agent="tester") == [ids[4], ids[2]]
    assert listed(provider="openai") == [ids[2], ids[0]]
    assert listed(status="running") == [ids[4], ids[3], ids[2]]
    assert listed(status="failed") == [ids[0]]
    assert listed(request_id="req-b", agent="coder") == [ids[3]]
    assert listed(agent="nobody") == []
    assert [r.id for r in ledger.for_request("req-a")] == [ids[0], ids[1]]
    assert ledger.for_request("req-unknown") == [] and ledger.get(10**9) is None


# What finish(cost_usd=...) stores: micro-dollars, exactly; None (unknown price) is never 0.
COSTS = [
    (0.000123, Decimal("0.000123")),
    (0.1 + 0.2, Decimal("0.300000")),
    (Decimal("12.3456785"), Decimal("12.345679")),
    (1e-05, Decimal("0.000010")),
    (0.0, Decimal("0.000000")),
    (None, None),
]


def test_cost_is_an_exact_decimal_and_none_stays_unknown(database_url: str) -> None:
    ledger = _ledger(database_url)
    for given, stored in COSTS:
        record = ledger.finish(_start(ledger), status="succeeded", cost_usd=given)
        column = _row(database_url, record.id)["cost_usd"]  # SQLite keeps a REAL; the column type quantizes it
        if stored is None:
            assert column is None and record.cost_usd is None
        else:
            assert isinstance(column, Decimal) and column == stored, given
            assert record.cost_usd == float(stored)


def test_a_cost_must_be_a_finite_amount(database_url: str) -> None:
    ledger = _ledger(database_url)
    call_id = _start(ledger)
    for bad in (-0.01, float("nan"), float("inf"), Decimal("-1")):
        with pytest.raises(ValueError, match="cost_usd"):
            ledger.finish(call_id, status="succeeded", cost_usd=bad)
    assert ledger.get(call_id).status == "running"  # type: ignore[union-attr]


def test_secrets_are_redacted_from_every_text_column(database_url: str) -> None:
    ledger = _ledger(database_url, [OTHER_SECRET, SECRET, SECRET + "-longer", ""])
    call_id = _start(ledger, system_prompt=f"key {SECRET}", prompt=f"use {OTHER_SECRET} and {SECRET}-longer")
    ledger.finish(
        call_id,
        status="failed",
        error_kind="auth",
        error_message=f"AuthError: bad key {SECRET}",
        response_text=f"echo {OTHER_SECRET}",
    )
    skip_id = ledger.record_skip(
        request_id="req-1",
        flow_run_id=None,
        agent="coder",
        project="shop",
        provider="anthropic",
        model=None,
        reason=f"no key ({SECRET})",
    )
    for row_id in (call_id, skip_id):
        row = _row(database_url, row_id)
        assert not [name for name, value in row.items() if SECRET in str(value) or OTHER_SECRET in str(value)]
    record = ledger.get(call_id)
    assert record is not None
    assert (record.system_prompt, record.prompt) == ("key ***", "use *** and ***")
    assert (record.error_message, record.response_text) == ("AuthError: bad key ***", "echo ***")


def test_provider_values_longer_than_their_columns_are_trimmed(database_url: str) -> None:
    ledger = _ledger(database_url)
    record = ledger.finish(_start(ledger), status="failed", error_kind="k" * 100, model="m" * 300)
    assert record.error_kind == "k" * 64 and record.model == "m" * 128


def test_records_are_pydantic_models_that_serialize(database_url: str) -> None:
    ledger = _ledger(database_url)
    record = ledger.finish(_start(ledger), status="succeeded", cost_usd=0.5)
    again = CallRecord.model_validate_json(record.model_dump_json())
    assert again == record


def test_a_rejected_answer_keeps_its_cost_and_says_why_in_the_ledger(database_url: str) -> None:
    ledger = CallLedger(open_database(database_url), secrets=["sk-secret-123"])
    call_id = _start(ledger)
    ledger.finish(call_id, status="succeeded", cost_usd=0.002, response_text="code")
    ledger.set_verdict(call_id, "rejected_by_review", "rejected: it logs sk-secret-123")
    row = ledger.get(call_id)
    assert row is not None and row.status == "succeeded" and row.cost_usd == 0.002  # the call was paid for
    assert row.verdict == "rejected_by_review" and row.outcome == "rejected"
    assert row.verdict_reason is not None and "sk-secret-123" not in row.verdict_reason


def test_only_a_succeeded_call_takes_a_verdict_and_only_a_known_one(database_url: str) -> None:
    ledger = _ledger(database_url)
    running = _start(ledger)
    with pytest.raises(ValueError, match="no succeeded call"):
        ledger.set_verdict(running, "failed_validation", "score 40")
    ledger.finish(running, status="succeeded")
    with pytest.raises(ValueError, match="a verdict is one of"):
        ledger.set_verdict(running, "looks_odd", "?")  # type: ignore[arg-type]
    assert ledger.get(running).verdict is None
