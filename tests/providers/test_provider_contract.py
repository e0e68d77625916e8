"""The provider contract, proved for every provider of the registry through its real SDK and the simulator.

Every failure must arrive as our typed error after exactly one request (the SDK's retries are off),
and no error may carry the API key, not even in its traceback.
"""

from __future__ import annotations

import email.utils
import socket
import time
import traceback

import pytest

from providers.base import (
    AuthError,
    BadRequest,
    CompletionRequest,
    MalformedResponse,
    ModelNotFound,
    ProviderError,
    RateLimited,
    Timeout,
    Unavailable,
)
from providers.loader import provider_class
from providers.pricing import cost_usd
from providers.registry import PROVIDER_NAMES, spec_for
from simulator import DEFAULT_ANSWER, PROTOCOLS, Fail, Hang, Malformed, ProviderSim, Reply, base_url_for

KEY = "sk-test-SECRET-abcdef0123456789"
pytestmark = pytest.mark.parametrize("name", PROVIDER_NAMES)


def model_of(name: str) -> str:
    return spec_for(name).default_model


def provider_for(name: str, sim: ProviderSim | None, key: str | None = KEY, base_url: str | None = None):
    return provider_class(spec_for(name))(key, base_url or (sim.base_url(name) if sim else None))


def request_for(name: str, *, timeout: float = 5.0) -> CompletionRequest:
    return CompletionRequest(
        system="You write Python.",
        prompt="Write a hello world.",
        model=model_of(name),
        max_output_tokens=512,
        timeout_seconds=timeout,
    )


async def failure(name: str, sim: ProviderSim, step, *, timeout: float = 5.0) -> ProviderError:
    """Play one scripted step and return the error, after checking one request reached the simulator."""
    sim.script(name, [step])
    with pytest.raises(ProviderError) as caught:
        await provider_for(name, sim).complete(request_for(name, timeout=timeout))
    assert len(sim.requests_for(name)) == 1, "the SDK retried: its retries must be off"
    assert sim.pending(name) == 0
    return caught.value


async def test_success_reports_text_model_tokens_and_cost(name, sim):
    sim.script(name, [Reply(input_tokens=1000, output_tokens=2000)])
    completion = await provider_for(name, sim).complete(request_for(name))

    assert completion.text == DEFAULT_ANSWER
    assert completion.model == model_of(name)
    assert (completion.input_tokens, completion.output_tokens) == (1000, 2000)
    assert completion.truncated is False
    assert 0 < completion.latency_s < 5
    assert cost_usd(completion.model, completion.input_tokens, completion.output_tokens) > 0
    [sent] = sim.requests_for(name)
    assert sent.api_key == KEY
    assert "Write a hello world." in str(sent.body) and "You write Python." in str(sent.body)
    assert "512" in str(sent.body)  # the output token cap went out


async def test_dated_model_reported_back_is_priced_as_its_base(name, sim):
    dated = PROTOCOLS[name].dated(model_of(name))
    sim.script(name, [Reply(model=dated, input_tokens=1_000_000, output_tokens=0)])
    completion = await provider_for(name, sim).complete(request_for(name))

    assert completion.model == dated != model_of(name)
    assert cost_usd(completion.model, 1_000_000, 0) == cost_usd(model_of(name), 1_000_000, 0)


async def test_answer_cut_at_the_token_cap_is_flagged(name, sim):
    sim.script(name, [Reply(finish="length")])
    completion = await provider_for(name, sim).complete(request_for(name))
    assert completion.truncated is True


async def test_unknown_usage_gives_no_tokens(name, sim):
    sim.script(name, [Reply(input_tokens=None, output_tokens=None)])
    completion = await provider_for(name, sim).complete(request_for(name))
    assert completion.input_tokens is None and completion.output_tokens is None
    assert cost_usd(completion.model, completion.input_tokens, completion.output_tokens) is None


async def test_429_with_retry_after_seconds(name, sim):
    error = await failure(name, sim, Fail(429, headers={"Retry-After": "7"}))
    assert isinstance(error, RateLimited) and error.retryable
    assert error.retry_after == 7.0 and error.status_code == 429


async def test_429_with_retry_after_http_date(name, sim):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    error = await failure(name, sim, Fail(429, headers={"Retry-After": when}))
    assert isinstance(error, RateLimited)
    assert 25 <= error.retry_after <= 31


async def test_429_with_retry_after_ms(name, sim):
    error = await failure(name, sim, Fail(429, headers={"retry-after-ms": "1500"}))
    assert isinstance(error, RateLimited) and error.retry_after == 1.5


@pytest.mark.parametrize("status", [500, 503])  # google-genai would retry 503 by default
async def test_server_error_is_unavailable(name, sim, status):
    error = await failure(name, sim, Fail(status))
    assert isinstance(error, Unavailable) and error.retryable and error.status_code == status


async def test_529_overloaded_is_retryable(name, sim):
    error = await failure(name, sim, Fail(529, headers={"Retry-After": "3"}))
    assert error.retryable and error.status_code == 529


@pytest.mark.parametrize("status", [401, 403])
async def test_auth_error_is_permanent_and_never_shows_the_key(name, sim, status):
    error = await failure(name, sim, Fail(status))
    assert isinstance(error, AuthError) and not error.retryable and error.status_code == status
    assert sim.requests_for(name)[0].api_key == KEY  # so the simulator's error body quoted the key
    shown = [str(error), repr(error), error.message, "".join(traceback.format_exception(error))]
    assert all(KEY not in text for text in shown), shown
    assert all(KEY[:12] not in text and KEY[-8:] not in text for text in shown)
    assert error.__cause__ is None and error.__context__ is None


async def test_unknown_model_is_model_not_found(name, sim):
    error = await failure(name, sim, Fail(404))
    assert isinstance(error, ModelNotFound) and not error.retryable and error.status_code == 404


async def test_400_model_not_found_from_a_compatible_server(name, sim):
    error = await failure(name, sim, Fail(400, message='model "llama9" not found, try pulling it first'))
    assert isinstance(error, ModelNotFound) and error.status_code == 400


async def test_bad_request_is_permanent(name, sim):
    error = await failure(name, sim, Fail(400, message="max_tokens: must be at most 8192"))
    assert type(error) is BadRequest and not error.retryable and error.status_code == 400


async def test_hang_past_the_timeout_is_timeout(name, sim):
    started = time.monotonic()
    error = await failure(name, sim, Hang(3), timeout=0.5)
    assert isinstance(error, Timeout) and error.retryable
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("kind", ["json", "shape", "empty", "html"])
async def test_malformed_200_is_malformed_response(name, sim, kind):
    error = await failure(name, sim, Malformed(kind))
    assert isinstance(error, MalformedResponse) and error.retryable


async def test_connection_refused_is_unavailable(name):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = provider_for(name, None, base_url=base_url_for(port, name))
    with pytest.raises(Unavailable) as caught:
        await provider.complete(request_for(name, timeout=2))
    assert KEY not in str(caught.value)


async def test_no_key_and_no_base_url_fails_at_once(name):
    with pytest.raises(AuthError) as caught:
        await provider_for(name, None, key=None).complete(request_for(name))
    assert caught.value.status_code is None
    assert f"{name}: no API key (set {spec_for(name).key_hint}" in str(caught.value)  # what to set, from the row


async def test_script_then_default(name, sim):
    sim.script(name, [Fail(500)])
    sim.default[name] = Reply(text="```python\n# file: app/x.py\nX = 1\n```")
    provider = provider_for(name, sim)
    with pytest.raises(Unavailable):
        await provider.complete(request_for(name))
    first = await provider.complete(request_for(name))
    second = await provider.complete(request_for(name))
    assert first.text == second.text == "```python\n# file: app/x.py\nX = 1\n```"
    assert len(sim.requests_for(name)) == 3
