"""A ``provider:model`` chain entry: its model is the one sent, priced, held against the budget and ledgered."""

from __future__ import annotations

import pytest

from budget import BudgetExhausted
from budget.guard import worst_case_usd
from codegen.calling import CallContext, ledgered_call
from providers.pricing import cost_usd
from settings import load_settings
from simulator import Reply
from storage import BudgetStore, CallLedger, open_database

CONTEXT = CallContext(request_id="chain-model", flow_run_id=None, agent="coder", project="acme")
SYSTEM, PROMPT = "You write Python.", "Write a hello world."


async def _call(provider: str, **kw):
    return await ledgered_call(load_settings(), CONTEXT, provider, system=SYSTEM, prompt=PROMPT, **kw)


async def test_the_entry_model_is_sent_priced_reserved_and_ledgered(sim, monkeypatch):
    monkeypatch.setenv("Q2O_CHAIN", "gemini:gemini-2.5-pro,openai")
    sim.script("gemini", [Reply(input_tokens=1000, output_tokens=2000)])
    call = await _call("gemini", max_output_tokens=100)

    [sent] = sim.requests_for("gemini")
    assert sent.model == "gemini-2.5-pro"
    assert call.model == "gemini-2.5-pro"
    assert call.cost_usd == cost_usd("gemini-2.5-pro", 1000, 2000) != cost_usd("gemini-2.5-flash", 1000, 2000)
    db = open_database(load_settings().resolved_database_url)
    row = CallLedger(db).get(call.call_id)
    assert (row.provider, row.model, row.cost_usd) == ("gemini", "gemini-2.5-pro", call.cost_usd)
    [held] = [r for r in BudgetStore(db).reservations() if r.call_id == call.call_id]
    prompt_bytes = len(SYSTEM) + len(PROMPT)
    assert held.amount_usd == pytest.approx(float(worst_case_usd("gemini-2.5-pro", prompt_bytes, 100)))


async def test_a_plain_entry_calls_the_configured_model(sim, monkeypatch):
    monkeypatch.setenv("Q2O_CHAIN", "gemini:gemini-2.5-pro,openai")
    monkeypatch.setenv("Q2O_OPENAI_MODEL", "gpt-4.1-nano")
    call = await _call("openai")
    assert sim.requests_for("openai")[0].model == call.model == "gpt-4.1-nano"


async def test_the_budget_holds_the_entry_model_worst_case(sim, monkeypatch):
    # At the 4096-token cap gemini-2.5-flash's worst case is ~$0.010 and gemini-2.5-pro's ~$0.041.
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "0.02")
    monkeypatch.setenv("Q2O_CHAIN", "gemini:gemini-2.5-pro")
    with pytest.raises(BudgetExhausted):
        await _call("gemini")
    assert not sim.requests
    [row] = CallLedger(open_database(load_settings().resolved_database_url)).for_request(CONTEXT.request_id)
    assert (row.model, row.error_kind) == ("gemini-2.5-pro", "budget_exhausted")

    monkeypatch.setenv("Q2O_CHAIN", "gemini")
    assert (await _call("gemini")).model == "gemini-2.5-flash"


async def test_an_answer_naming_an_unpriced_alias_is_priced_as_the_model_asked_for(sim, monkeypatch):
    # An OpenAI-compatible server answering with its own name for the model it was sent.
    monkeypatch.setenv("Q2O_OPENAI_MODEL", "gpt-4o-mini")
    sim.script("openai", [Reply(model="acme/served-alias-v2", input_tokens=1000, output_tokens=500)])
    call = await _call("openai", max_output_tokens=100)
    expected = cost_usd("gpt-4o-mini", 1000, 500)
    assert call.cost_usd == pytest.approx(expected) and expected is not None
    db = open_database(load_settings().resolved_database_url)
    row = CallLedger(db).get(call.call_id)
    assert (row.model, row.model_asked) == ("acme/served-alias-v2", "gpt-4o-mini")  # both names kept
    assert row.cost_usd == pytest.approx(expected)
    [held] = [r for r in BudgetStore(db).reservations() if r.call_id == call.call_id]
    assert held.status == "settled" and float(held.cost_usd) == pytest.approx(expected)  # not the worst case


async def test_a_dated_answer_is_priced_by_itself_and_an_unpriced_pair_stays_unknown(sim, monkeypatch):
    sim.script("openai", [Reply(model="gpt-4.1-mini-2025-04-14"), Reply(model="other-alias")])
    dated = await _call("openai")
    assert dated.cost_usd == pytest.approx(cost_usd("gpt-4.1-mini", 120, 80))
    monkeypatch.setenv("Q2O_OPENAI_MODEL", "llama3.1:8b")  # a local model the table has no price for
    unknown = await _call("openai")
    assert unknown.cost_usd is None
    row = CallLedger(open_database(load_settings().resolved_database_url)).get(unknown.call_id)
    assert (row.model, row.model_asked, row.cost_usd) == ("other-alias", "llama3.1:8b", None)
