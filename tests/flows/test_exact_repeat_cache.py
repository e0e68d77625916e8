"""Exact repeats are free: the same request again is served from the cache, with a $0 ledger row and no call."""

from __future__ import annotations

import pytest

from contracts import CodeRequest
from flows.generate_code import run_request
from learning.library import template_stats
from storage import CallLedger, open_database

pytestmark = pytest.mark.usefixtures("prefect_server")
TASK = "Write a greeting script for the Orion service"


def _request(**kw) -> CodeRequest:
    return CodeRequest(
        task=kw.pop("task", TASK),
        stack=kw.pop("stack", ["python"]),
        agent=kw.pop("agent", "coder"),
        project="acme",
        **kw,
    )


async def test_the_same_request_again_is_served_from_the_cache_at_no_cost(sim, database):
    first = await run_request(_request())
    calls = len(sim.requests)
    again = await run_request(_request())
    assert first.source == "llm" and again.source == "cache"
    assert len(sim.requests) == calls  # no provider was asked
    assert again.cost_usd == 0 and [(f.path, f.content) for f in again.files] == [
        (f.path, f.content) for f in first.files
    ]
    [row] = CallLedger(open_database(database)).for_request(again.request_id)
    assert (row.purpose, row.status, row.cost_usd, row.provider) == ("cache", "succeeded", 0.0, "gemini")
    assert first.request_id in (row.response_text or "")
    stats = template_stats(open_database(database))
    assert stats.cache_hits == 1 and stats.cache_saved_usd == pytest.approx(first.cost_usd)


@pytest.mark.parametrize(
    "change",
    [{"task": TASK + " in French"}, {"stack": ["python", "fastapi"]}, {"agent": "researcher"}, {"chain": ["openai"]}],
)
async def test_anything_that_shapes_the_answer_changing_is_no_repeat(sim, database, change):
    await run_request(_request())
    again = await run_request(_request(**change))
    assert again.source == "llm"


async def test_a_prompt_change_is_no_repeat(sim, database, monkeypatch):
    import prompts.registry

    await run_request(_request())
    monkeypatch.setattr(prompts.registry, "prompts_version", lambda: "another")  # a prompt file changed
    assert (await run_request(_request())).source == "llm"


async def test_ttl_zero_turns_the_cache_off(sim, database, monkeypatch):
    monkeypatch.setenv("Q2O_CACHE_TTL_DAYS", "0")
    await run_request(_request())
    assert (await run_request(_request())).source == "llm"
