"""Structured output (``CompletionRequest.json_schema``): each SDK's own feature, in each API's wire shape."""

from __future__ import annotations

import json

import pytest

from providers.anthropic import STRUCTURED_TOOL, AnthropicProvider
from providers.base import CompletionRequest
from providers.gemini import GeminiProvider
from providers.openai import OpenAIProvider
from tests.sim import Malformed, Reply

SCHEMA = {"title": "verdict", "type": "object", "properties": {"ok": {"type": "boolean"}},
          "required": ["ok"], "additionalProperties": False}
MODELS = {"openai": "gpt-4o-mini", "anthropic": "claude-haiku-4-5", "gemini": "gemini-2.5-flash"}
MAKERS = {"openai": OpenAIProvider, "anthropic": AnthropicProvider, "gemini": GeminiProvider}


def _provider(sim, name: str):
    return MAKERS[name]("test-key-0123456789", sim.base_url(name))


def _request(name: str, schema: dict | None = SCHEMA) -> CompletionRequest:
    return CompletionRequest(system="sys", prompt="judge", model=MODELS[name], max_output_tokens=64,
                             timeout_seconds=5, json_schema=schema)


def _structured_part(name: str, body: dict) -> dict | None:
    if name == "openai":
        return body.get("response_format")
    if name == "anthropic":
        return {"tools": body.get("tools"), "tool_choice": body.get("tool_choice")} if "tools" in body else None
    return body.get("generationConfig", {}).get("responseJsonSchema")


@pytest.mark.parametrize("name", list(MAKERS))
async def test_schema_reaches_the_api_and_json_comes_back(sim, name):
    sim.script(name, [Reply(json={"ok": True})])
    completion = await _provider(sim, name).complete(_request(name))
    assert json.loads(completion.text) == {"ok": True} and not completion.truncated
    [sent] = sim.requests_for(name)
    if name == "openai":
        assert sent.body["response_format"] == {"type": "json_schema", "json_schema": {
            "name": "verdict", "schema": SCHEMA, "strict": True}}
    elif name == "anthropic":
        assert sent.body["tools"] == [{"name": STRUCTURED_TOOL, "description": sent.body["tools"][0]["description"],
                                       "input_schema": SCHEMA}]
        assert sent.body["tool_choice"] == {"type": "tool", "name": STRUCTURED_TOOL}
    else:
        config = sent.body["generationConfig"]
        assert config["responseMimeType"] == "application/json" and config["responseJsonSchema"] == SCHEMA


@pytest.mark.parametrize("name", list(MAKERS))
async def test_plain_requests_ask_for_no_structure(sim, name):
    await _provider(sim, name).complete(_request(name, schema=None))
    [sent] = sim.requests_for(name)
    assert _structured_part(name, sent.body) is None


@pytest.mark.parametrize("name", list(MAKERS))
async def test_malformed_structured_answer_arrives_as_text_for_the_caller_to_reject(sim, name):
    sim.script(name, [Malformed("structured")])
    completion = await _provider(sim, name).complete(_request(name))
    if name == "anthropic":  # the tool input is always an object, here of the wrong shape
        assert json.loads(completion.text) == {"unexpected": "shape"}
    else:
        with pytest.raises(ValueError):
            json.loads(completion.text)


async def test_anthropic_tool_use_block_wins_over_text(sim):
    body = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
            "content": [{"type": "text", "text": "Here is my verdict."},
                        {"type": "tool_use", "id": "toolu_1", "name": STRUCTURED_TOOL, "input": {"ok": False}}],
            "stop_reason": "tool_use", "stop_sequence": None, "usage": {"input_tokens": 3, "output_tokens": 4}}
    sim.script("anthropic", [Reply(body=body)])
    completion = await _provider(sim, "anthropic").complete(_request("anthropic"))
    assert json.loads(completion.text) == {"ok": False} and completion.output_tokens == 4
