"""Structured output (``CompletionRequest.json_schema``): each SDK's own feature, in each API's wire shape."""

from __future__ import annotations

import json

import pytest

from providers.anthropic import STRUCTURED_TOOL
from providers.base import CompletionRequest
from providers.loader import provider_class
from providers.registry import PROVIDER_NAMES, spec_for
from simulator import PROTOCOLS, Malformed, Reply

SCHEMA = {
    "title": "verdict",
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
    "additionalProperties": False,
}


def _provider(sim, name: str):
    return provider_class(spec_for(name))("test-key-0123456789", sim.base_url(name))


def _request(name: str, schema: dict | None = SCHEMA) -> CompletionRequest:
    return CompletionRequest(
        system="sys",
        prompt="judge",
        model=spec_for(name).default_model,
        max_output_tokens=64,
        timeout_seconds=5,
        json_schema=schema,
    )


@pytest.mark.parametrize("name", PROVIDER_NAMES)
async def test_schema_reaches_the_api_and_json_comes_back(sim, name):
    sim.script(name, [Reply(json={"ok": True})])
    completion = await _provider(sim, name).complete(_request(name))
    assert json.loads(completion.text) == {"ok": True} and not completion.truncated
    [sent] = sim.requests_for(name)
    assert PROTOCOLS[name].structured(sent.body)
    if name == "openai":
        assert sent.body["response_format"] == {
            "type": "json_schema",
            "json_schema": {"name": "verdict", "schema": SCHEMA, "strict": True},
        }
    elif name == "anthropic":
        assert sent.body["tools"] == [
            {"name": STRUCTURED_TOOL, "description": sent.body["tools"][0]["description"], "input_schema": SCHEMA}
        ]
        assert sent.body["tool_choice"] == {"type": "tool", "name": STRUCTURED_TOOL}
    elif name == "gemini":
        config = sent.body["generationConfig"]
        assert config["responseMimeType"] == "application/json" and config["responseJsonSchema"] == SCHEMA


@pytest.mark.parametrize("name", PROVIDER_NAMES)
async def test_plain_requests_ask_for_no_structure(sim, name):
    await _provider(sim, name).complete(_request(name, schema=None))
    [sent] = sim.requests_for(name)
    assert not PROTOCOLS[name].structured(sent.body)


@pytest.mark.parametrize("name", PROVIDER_NAMES)
async def test_malformed_structured_answer_arrives_as_text_for_the_caller_to_reject(sim, name):
    sim.script(name, [Malformed("structured")])
    completion = await _provider(sim, name).complete(_request(name))
    [sent] = sim.requests_for(name)
    sent_as = PROTOCOLS[name].malformed_structured(sent.body).json
    if sent_as is not None:  # an API whose structured payload is always an object: here of the wrong shape
        assert json.loads(completion.text) == sent_as
    else:
        with pytest.raises(ValueError):
            json.loads(completion.text)


async def test_anthropic_tool_use_block_wins_over_text(sim):
    body = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-haiku-4-5",
        "content": [
            {"type": "text", "text": "Here is my verdict."},
            {"type": "tool_use", "id": "toolu_1", "name": STRUCTURED_TOOL, "input": {"ok": False}},
        ],
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 4},
    }
    sim.script("anthropic", [Reply(body=body)])
    completion = await _provider(sim, "anthropic").complete(_request("anthropic"))
    assert json.loads(completion.text) == {"ok": False} and completion.output_tokens == 4
