"""Stored configuration end to end: overrides in Prefect Variables read by each run at its start (no restart),
chains per project and agent against the simulator, the model called priced in the ledger, keys from Secret
blocks."""

from __future__ import annotations

import pytest
from prefect.blocks.system import Secret
from prefect.client.orchestration import get_client

from contracts import CodeRequest
from flows.admin import check_providers
from flows.generate_code import run_request
from providers.pricing import cost_usd
from settings import ConfigError
from simulator import Fail
from storage import BudgetStore, CallLedger, open_database
from tasks.config import read_overlay, run_settings, secret_block_name, secret_block_names, store_knob
from tests.conftest import FAKE_KEYS

pytestmark = pytest.mark.usefixtures("prefect_server", "stored_config")


def _request(**kw) -> CodeRequest:
    return CodeRequest(task="Write a greeting script for the Lyra service", stack=["python"], **kw)


def _rows(database: str, result):
    return CallLedger(open_database(database)).for_request(result.request_id)


async def test_a_change_is_seen_by_the_next_run_without_a_restart(sim, database):
    first = await run_request(_request(agent="coder", project="acme"))
    assert (first.provider, first.model) == ("gemini", "gemini-2.5-flash")
    await store_knob("chain", "openai:gpt-4.1,anthropic", "project", "acme")
    second = await run_request(_request(agent="coder", project="acme"))
    assert (second.provider, second.model) == ("openai", "gpt-4.1")
    [row] = _rows(database, second)
    assert (row.provider, row.model) == ("openai", "gpt-4.1")  # the ledger names the model called
    assert row.cost_usd == pytest.approx(cost_usd("gpt-4.1", row.input_tokens, row.output_tokens))
    assert sim.requests_for("openai")[-1].model == "gpt-4.1"  # and it is the model the SDK asked for
    [reservation] = [r for r in BudgetStore(open_database(database)).reservations() if r.call_id == row.id]
    cheap = [
        r for r in BudgetStore(open_database(database)).reservations() if r.call_id == _rows(database, first)[0].id
    ]
    # the budget's worst case is priced with the model called: gpt-4.1 lists dearer than gemini-2.5-flash
    assert reservation.amount_usd > cheap[0].amount_usd
    await store_knob("chain", None, "project", "acme")
    third = await run_request(_request(agent="coder", project="acme"))
    assert third.provider == "gemini"


async def test_project_beats_agent_beats_system_and_the_request_beats_all(sim, database):
    await store_knob("chain", "anthropic", "system")
    await store_knob("chain", "openai:gpt-4.1-nano", "agent", "writer")
    await store_knob("chain", "gemini:gemini-2.5-pro", "project", "globex")
    cases = [
        (dict(agent="coder", project="acme"), ("anthropic", "claude-haiku-4-5")),
        (dict(agent="writer", project="acme"), ("openai", "gpt-4.1-nano")),
        (dict(agent="writer", project="globex"), ("gemini", "gemini-2.5-pro")),
        (
            dict(agent="writer", project="globex", chain="anthropic:claude-sonnet-4-5"),
            ("anthropic", "claude-sonnet-4-5"),
        ),
    ]
    for fields, expected in cases:
        result = await run_request(_request(**fields))
        assert (result.provider, result.model) == expected, fields
        assert [(r.provider, r.model) for r in _rows(database, result)] == [expected]


async def test_a_provider_switched_off_is_never_called(sim, database):
    await store_knob("gemini_enabled", "false")
    result = await run_request(_request())
    assert result.provider == "openai"
    assert not sim.requests_for("gemini") and "gemini" not in {r.provider for r in _rows(database, result)}
    rows = {r.provider: r for r in await check_providers()}
    assert rows["gemini"].detail.startswith("not configured: disabled") and not sim.requests_for("gemini")


async def test_other_knobs_reach_the_steps_of_the_run(sim, database):
    await store_knob("attempts_per_provider", "1", "agent", "coder")
    await store_knob("cache_enabled", "false")
    sim.script("gemini", [Fail(500)])
    result = await run_request(_request(agent="coder"))
    assert [(a.provider, a.attempt) for a in result.attempts] == [("gemini", 1), ("openai", 1)]  # one attempt each
    again = await run_request(_request(agent="coder"))
    assert again.source == "llm"  # the cache is off: an exact repeat is generated again


async def test_a_key_from_a_secret_block(sim, database, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    await Secret(value=FAKE_KEYS["openai"]).save(secret_block_name("openai"))
    assert await secret_block_names() == {"openai": "q2o-openai-api-key"}
    result = await run_request(_request(chain="openai"))
    assert result.status == "succeeded" and result.provider == "openai"
    assert sim.requests_for("openai")[-1].api_key == FAKE_KEYS["openai"]
    assert FAKE_KEYS["openai"] not in "".join(r.model_dump_json() for r in _rows(database, result))
    monkeypatch.setenv("OPENAI_API_KEY", "FAKE-env-key-wins-0123456789")
    assert (await run_settings()).api_key_for("openai") == "FAKE-env-key-wins-0123456789"


async def test_a_bad_value_is_refused_at_set_and_at_read(sim, database):
    with pytest.raises(ConfigError, match=r"min_quality: .*\(allowed: 0-100\)"):
        await store_knob("min_quality", "101", "project", "acme")
    assert (await read_overlay()).projects == {}
    async with get_client() as client:  # as an edit in the Prefect UI's Variables page would store it
        from prefect.client.schemas.actions import VariableCreate

        await client.create_variable(VariableCreate(name="q2o_config_projects", value={"acme": {"min_quality": 101}}))
    with pytest.raises(ConfigError, match="project acme override: min_quality"):
        await run_settings("coder", "acme")
    with pytest.raises(ConfigError, match="q2o_config_agents: expected a JSON object"):
        async with get_client() as client:
            await client.create_variable(VariableCreate(name="q2o_config_agents", value=["coder"]))
        await read_overlay()
