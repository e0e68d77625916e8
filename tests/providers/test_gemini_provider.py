"""What only the Gemini provider does: the URL google-genai builds, Google's error details, thinking tokens."""

from __future__ import annotations

import pytest

from providers.base import AuthError, CompletionRequest, MalformedResponse, RateLimited
from providers.gemini import GeminiProvider
from simulator import Fail, Reply

KEY = "AIza-test-SECRET-0123456789abcdef"
REQUEST = CompletionRequest(
    system="sys", prompt="hi", model="gemini-2.5-flash", max_output_tokens=64, timeout_seconds=5
)


def gemini(sim) -> GeminiProvider:
    return GeminiProvider(KEY, sim.base_url("gemini"))


async def test_request_shape(sim):
    await gemini(sim).complete(REQUEST)

    [sent] = sim.requests_for("gemini")
    assert sent.path == "/v1/models/gemini-2.5-flash:generateContent"  # google-genai 3.x defaults to v1
    assert sent.headers["x-goog-api-key"] == KEY
    assert sent.body["systemInstruction"]["parts"] == [{"text": "sys"}]
    assert sent.body["contents"] == [{"role": "user", "parts": [{"text": "hi"}]}]
    assert sent.body["generationConfig"]["maxOutputTokens"] == 64


async def test_invalid_key_answered_with_400_is_auth_error(sim):
    body = {
        "error": {
            "code": 400,
            "message": f"API key not valid: {KEY}",
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                }
            ],
        }
    }
    sim.script("gemini", [Fail(400, body=body)])
    with pytest.raises(AuthError) as caught:
        await gemini(sim).complete(REQUEST)
    assert not caught.value.retryable and KEY not in repr(caught.value)


async def test_retry_delay_from_retry_info(sim):
    body = {
        "error": {
            "code": 429,
            "message": "Quota exceeded",
            "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}],
        }
    }
    sim.script("gemini", [Fail(429, body=body)])
    with pytest.raises(RateLimited) as caught:
        await gemini(sim).complete(REQUEST)
    assert caught.value.retry_after == 37.0


async def test_thoughts_are_left_out_of_the_text_and_billed_as_output(sim):
    body = {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": "pondering", "thought": True}, {"text": "answer"}]},
                "finishReason": "STOP",
            }
        ],
        "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5, "thoughtsTokenCount": 100},
        "modelVersion": "gemini-2.5-flash",
    }
    sim.script("gemini", [Reply(body=body)])
    completion = await gemini(sim).complete(REQUEST)
    assert completion.text == "answer"
    assert (completion.input_tokens, completion.output_tokens) == (10, 105)


async def test_blocked_prompt_is_malformed_and_says_why(sim):
    sim.script("gemini", [Reply(body={"promptFeedback": {"blockReason": "SAFETY"}})])
    with pytest.raises(MalformedResponse, match="SAFETY"):
        await gemini(sim).complete(REQUEST)
