"""What only the OpenAI provider does: compatible servers without a key, the token cap's name, quota."""

from __future__ import annotations

from providers.base import AuthError, CompletionRequest
from providers.http import PLACEHOLDER_KEY
from providers.openai import DEFAULT_BASE_URL, OpenAIProvider, token_cap_argument
from simulator import Fail

REQUEST = CompletionRequest(system="sys", prompt="hi", model="llama3.1:8b", max_output_tokens=64, timeout_seconds=5)


async def test_compatible_server_needs_no_key(sim):
    completion = await OpenAIProvider(None, sim.base_url("openai")).complete(REQUEST)

    assert completion.model == "llama3.1:8b"
    [sent] = sim.requests_for("openai")
    assert sent.path == "/v1/chat/completions"
    assert sent.api_key == PLACEHOLDER_KEY
    assert sent.body["messages"] == [{"role": "system", "content": "sys"}, {"role": "user", "content": "hi"}]
    assert sent.body["max_tokens"] == 64 and "max_completion_tokens" not in sent.body


def test_official_endpoint_gets_max_completion_tokens():
    assert token_cap_argument(None, 10) == {"max_completion_tokens": 10}
    assert token_cap_argument(DEFAULT_BASE_URL + "/", 10) == {"max_completion_tokens": 10}
    assert token_cap_argument("http://localhost:11434/v1", 10) == {"max_tokens": 10}


async def test_insufficient_quota_is_not_retried(sim):
    sim.script(
        "openai",
        [
            Fail(
                429,
                body={
                    "error": {
                        "message": "You exceeded your current quota.",
                        "type": "insufficient_quota",
                        "code": "insufficient_quota",
                    }
                },
            )
        ],
    )
    try:
        await OpenAIProvider("sk-x", sim.base_url("openai")).complete(REQUEST)
    except AuthError as exc:
        assert exc.status_code == 429 and not exc.retryable and "quota" in str(exc)
    else:
        raise AssertionError("expected AuthError")
