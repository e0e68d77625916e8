"""Prompt layers in a run: the prompts a call was made with carry the request's layers and stay in the ledger,
a layer change means the exact-repeat cache does not serve the old answer, and the ``set-prompt-layer`` admin
flow sets a layer (or ends Failed, saying why it refused one)."""

from __future__ import annotations

import pytest
from prefect.client.orchestration import get_client

from codegen.prompt_layers import set_layer
from contracts import CodeRequest
from flows.generate_code import run_request
from flows.set_prompt_layer import set_prompt_layer
from flows.states import result_of
from storage import CallLedger, PromptLayerStore, open_database

pytestmark = pytest.mark.usefixtures("prefect_server")
TASK = "Write a greeting script for the Vega service"


def _request(**kw) -> CodeRequest:
    return CodeRequest(task=TASK, stack=["python"], agent="coder", project="acme", **kw)


async def test_each_call_is_ledgered_with_the_prompts_its_layers_made(sim, database):
    db = open_database(database)
    set_layer(db, "system", "agent", "coder", "{% block role %}You are the CODER agent.{% endblock %}", "a")
    set_layer(db, "system", "project", "acme", "{% block role %}You write code for ACME.{% endblock %}", "a")
    set_layer(db, "generate", "task_type", "script", "{% block instructions %}Keep it one file.{% endblock %}", "a")
    result = await run_request(_request(task_type="script", custom_instructions="Log with structlog."))
    assert result.source == "llm"
    [call] = [r for r in CallLedger(db).for_request(result.request_id) if r.purpose == "generate"]
    assert call.system_prompt.startswith("You write code for ACME.")  # the project's layer over the agent's
    assert "CODER" not in call.system_prompt and "Log with structlog." in call.system_prompt
    assert "Keep it one file." in call.prompt and f"<<<TASK\n{TASK}\nTASK>>>" in call.prompt
    assert sim.requests[-1].body  # the provider got what the ledger kept
    assert "You write code for ACME." in str(sim.requests[-1].body)


async def test_a_layer_change_is_no_exact_repeat(sim, database):
    db = open_database(database)
    first = await run_request(_request())
    assert (await run_request(_request())).source == "cache"
    set_layer(db, "generate", "project", "acme", "{% block instructions %}Add type hints.{% endblock %}", "a")
    again = await run_request(_request())
    assert first.source == "llm" and again.source == "llm"
    assert (await run_request(_request())).source == "cache"  # the answer made under the new layer is kept
    other = await run_request(_request(custom_instructions="Use tabs."))
    assert other.source == "llm"  # the request's own instructions shape the answer too


async def test_the_admin_flow_sets_a_layer_and_refuses_a_bad_one(database):
    text = "{% block instructions %}Follow ACME coding standards.{% endblock %}"
    state = await set_prompt_layer("system", by="alice", text=text, project="acme", return_state=True)
    assert state.is_completed()
    outcome = await result_of(state)
    assert outcome.layer.version == 1 and outcome.layer.author == "alice"
    [layer] = PromptLayerStore(open_database(database)).current()
    assert (layer.prompt, layer.scope, layer.target, layer.text) == ("system", "project", "acme", text)

    bad = "{% block instructions %}{{ task_description }}{% endblock %}"
    refused = await set_prompt_layer("generate", by="alice", text=bad, agent="coder", return_state=True)
    assert refused.is_failed() and refused.message.startswith("layer refused: a layer may not place")
    async with get_client() as client:
        stored = (await client.read_flow_run(refused.state_details.flow_run_id)).state
    assert (await stored.aresult(raise_on_failure=False)).problem  # persisted: readable from the server

    reset = await set_prompt_layer("system", by="bob", project="acme", reset=True, return_state=True)
    assert reset.is_completed() and PromptLayerStore(open_database(database)).current() == []
    neither = await set_prompt_layer("system", by="bob", text=text, return_state=True)
    assert neither.is_failed() and "name one layer" in neither.message


async def test_an_answer_made_before_a_layer_changed_is_not_kept_under_the_new_prompts(sim, database):
    from codegen.cache import keep_result
    from settings import load_settings

    request = _request()
    made = await run_request(request)
    set_layer(
        open_database(database), "generate", "agent", "coder", "{% block instructions %}Be terse.{% endblock %}", "a"
    )
    keep_result(load_settings(), request, made)  # as if the run had ended only now, after the change
    assert (await run_request(_request())).source == "llm"
