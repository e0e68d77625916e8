"""Admin actions on what the service did: every request is logged at the flow's start; a logged request is
re-run with another chain (flow ``rerun-request``, ``q2o requests rerun``); one call's answer is promoted to a
template with the checks of ``templates add`` (flow ``promote-call``, ``q2o templates promote``)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from codegen.admin import promote_call as promote
from contracts import CodeRequest
from flows.generate_code import run_request
from flows.promote_call import promote_call
from flows.rerun_request import rerun_request
from flows.states import result_of
from settings import UsageError, load_settings
from simulator import Fail, Reply, code_answer
from storage import CallLedger, RequestLog, TemplateStore, open_database

pytestmark = pytest.mark.usefixtures("prefect_server")
runner = CliRunner()
TASK = "Write a client class for the Orion service"
CLIENT = code_answer(
    {
        "app/client.py": (
            '"""A client of the service."""\n\n\nclass OrionClient:\n'
            '    """Talks to the service."""\n\n    def name(self) -> str:\n        return "orion"\n'
        )
    }
)
SENSITIVE = "Write a login client class for the Orion service"


def _request(task: str = TASK) -> CodeRequest:
    return CodeRequest(task=task, stack=["python"], agent="researcher", project="acme")


def _db(database: str):
    return open_database(database)


def _forget_templates(database: str) -> None:
    store = TemplateStore(_db(database))
    for template in store.list():
        if template.origin == "learned":
            store.delete(template.id)


async def test_every_request_is_logged_as_it_entered_the_flow(sim, database):
    sim.script("gemini", [Fail(500)] * 3)
    sim.script("openai", [Fail(500)] * 3)
    sim.script("anthropic", [Fail(500)] * 3)
    result = await run_request(_request())
    assert result.status == "failed"  # a failed request is logged too
    logged = RequestLog(_db(database)).get(result.request_id)
    assert logged is not None and logged.flow_run_id and logged.rerun_of is None
    assert (logged.request.task, logged.request.stack, logged.request.agent) == (TASK, ["python"], "researcher")


async def test_a_rerun_is_a_new_request_with_the_chain_it_was_given(sim, database):
    first = await run_request(_request())
    assert first.provider == "gemini"
    state = await rerun_request(first.request_id, "anthropic", return_state=True)
    again = await result_of(state)
    assert state.is_completed() and again.provider == "anthropic" and again.request_id != first.request_id
    logged = RequestLog(_db(database)).get(again.request_id)
    assert logged.rerun_of == first.request_id and logged.request.chain == ["anthropic"]
    assert logged.request.task == TASK and logged.request.project == "acme"
    assert [r.provider for r in CallLedger(_db(database)).for_request(again.request_id)] == ["anthropic"]


async def test_a_rerun_of_an_unknown_request_or_provider_fails_with_the_reason(sim, database):
    state = await rerun_request("no-such-request", return_state=True)
    assert state.is_failed() and "no request no-such-request" in state.message
    first = await run_request(_request())
    state = await rerun_request(first.request_id, "mistral", return_state=True)
    assert state.is_failed() and "unknown provider mistral" in state.message


async def test_a_promoted_answer_serves_the_next_request(sim, database):
    sim.default["gemini"] = Reply(text=CLIENT)
    first = await run_request(_request())
    _forget_templates(database)  # as if it had not been learned (a learning setting, an older version)
    [call] = CallLedger(_db(database)).for_request(first.request_id)
    added = await promote_call(call.id)
    assert added.created and TemplateStore(_db(database)).get(added.template_id).origin == "promoted"
    served = await run_request(_request("Write a client class for the Vega service"))
    assert served.source == "template" and served.template_id == added.template_id


async def test_a_sensitive_answer_is_promoted_only_after_a_review(sim, database):
    sim.default["gemini"] = Reply(text=CLIENT)
    sim.script("openai", [Reply(json={"issues": [], "severity": "none", "recommendation": "approve", "score": 97})])
    first = await run_request(_request(SENSITIVE))
    _forget_templates(database)
    generate = next(c for c in CallLedger(_db(database)).for_request(first.request_id) if c.purpose == "generate")
    sim.script("openai", [Reply(json={"issues": [], "severity": "high", "recommendation": "reject", "score": 20})])
    with pytest.raises(UsageError, match="did not approve"):
        await promote(_db(database), load_settings(), generate.id)
    sim.script("openai", [Reply(json={"issues": [], "severity": "none", "recommendation": "approve", "score": 96})])
    added = await promote(_db(database), load_settings(), generate.id)
    assert added.review is not None and added.review.outcome == "approve" and added.quality_score == 96
    assert added.review.reviewer == "openai"  # never gemini, which wrote the code


async def test_only_an_answered_generation_can_be_promoted(sim, database):
    sim.script("gemini", [Fail(500)] * 3)
    first = await run_request(_request())
    failed, *_ = CallLedger(_db(database)).for_request(first.request_id)
    assert failed.status == "failed"
    state = await promote_call(failed.id, return_state=True)
    assert state.is_failed() and "only an answered generate or repair call" in state.message
    with pytest.raises(UsageError, match="no call with id 999999"):
        await promote(_db(database), load_settings(), 999999)


def test_the_commands(sim):
    sim.default["gemini"] = Reply(text=CLIENT)
    done = runner.invoke(app, ["generate", TASK, "--stack", "python", "--json"])
    first = json.loads(done.stdout)
    shown = runner.invoke(app, ["requests", "show", first["request_id"], "--json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["request"]["task"] == TASK
    assert runner.invoke(app, ["requests", "show", "nope"]).exit_code == 2
    again = runner.invoke(app, ["requests", "rerun", first["request_id"], "--provider", "openai", "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["provider"] == "openai"
    bad = runner.invoke(app, ["requests", "rerun", first["request_id"], "--provider", "mistral"])
    assert bad.exit_code == 2 and "unknown provider mistral" in bad.output
    call_id = first["attempts"][0]["call_id"]
    promoted = runner.invoke(app, ["templates", "promote", str(call_id)])
    # the generation was learned already: promoting it is one more phrasing of the same template
    assert promoted.exit_code == 0 and "already covers" in promoted.output, promoted.output
    assert runner.invoke(app, ["templates", "promote", "999999"]).exit_code == 2
