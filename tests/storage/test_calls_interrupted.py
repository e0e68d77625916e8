"""A call marked interrupted (its process seemed dead) still takes its real outcome, once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from storage import BudgetStore, CallLedger, open_database
from storage.models import utcnow


def test_a_late_finish_replaces_interrupted_once(database):
    db = open_database(database)
    ledger = CallLedger(db)
    call_id = ledger.start(
        request_id="r",
        flow_run_id=None,
        agent="coder",
        project="acme",
        provider="openai",
        model="gpt-4.1-mini",
        attempt=1,
        system_prompt="",
        prompt="p",
    )
    store = BudgetStore(db)
    outcome = store.reserve(
        amount_usd=Decimal("0.01"),
        month="2026-12",
        day="2026-12-01",
        agent="coder",
        project="acme",
        provider="openai",
        model="gpt-4.1-mini",
        call_id=call_id,
        limits=[],
        daily_call_limit=None,
        expire_before=utcnow() - timedelta(hours=1),
    )
    assert store.expire(utcnow() + timedelta(seconds=1)) == 1
    assert (ledger.get(call_id).status, ledger.get(call_id).error_kind) == ("failed", "interrupted")
    done = ledger.finish(call_id, status="succeeded", input_tokens=10, output_tokens=5, cost_usd=0.002)
    assert done.status == "succeeded" and done.error_kind is None
    assert store.settle(outcome.reservation_id, Decimal("0.002"))  # an expired hold settles once too
    with pytest.raises(ValueError, match="finished only once"):
        ledger.finish(call_id, status="failed", error_kind="internal")
