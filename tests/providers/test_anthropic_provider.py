"""What only the Anthropic provider does: Messages request shape, text blocks, 529 overload."""

from __future__ import annotations

import pytest

from providers.anthropic import AnthropicProvider
from providers.base import CompletionRequest, RateLimited
from simulator import Fail, Reply

REQUEST = CompletionRequest(
    system="sys", prompt="hi", model="claude-haiku-4-5", max_output_tokens=64, timeout_seconds=5
)


async def test_request_shape(sim):
    await AnthropicProvider("sk-ant-test", sim.base_url("anthropic")).complete(REQUEST)

    [sent] = sim.requests_for("anthropic")
    assert sent.path == "/v1/messages"
    assert sent.api_key == "sk-ant-test"
    assert sent.headers.get("anthropic-version")
    assert sent.body["system"] == "sys" and sent.body["max_tokens"] == 64
    assert sent.body["messages"] == [{"role": "user", "content": "hi"}]


async def test_text_blocks_are_joined_and_thinking_left_out(sim):
    body = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-haiku-4-5-20251001",
        "content": [
            {"type": "thinking", "thinking": "hmm", "signature": "x"},
            {"type": "text", "text": "one "},
            {"type": "text", "text": "two"},
        ],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 4},
    }
    sim.script("anthropic", [Reply(body=body)])
    completion = await AnthropicProvider("k" * 20, sim.base_url("anthropic")).complete(REQUEST)
    assert completion.text == "one two"
    assert completion.model == "claude-haiku-4-5-20251001"


async def test_overloaded_without_retry_after(sim):
    sim.script("anthropic", [Fail(529)])
    with pytest.raises(RateLimited) as caught:
        await AnthropicProvider("k" * 20, sim.base_url("anthropic")).complete(REQUEST)
    assert caught.value.status_code == 529 and caught.value.retry_after is None
    assert "overloaded" in str(caught.value).lower()


async def test_overloaded_with_retry_after_is_rate_limited(sim):
    sim.script("anthropic", [Fail(529, headers={"Retry-After": "3"})])
    with pytest.raises(RateLimited) as caught:
        await AnthropicProvider("k" * 20, sim.base_url("anthropic")).complete(REQUEST)
    assert caught.value.retry_after == 3.0 and caught.value.retryable
