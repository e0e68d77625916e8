"""Anthropic (Claude) through the official async SDK: one Messages request per call, SDK retries off.

A 529 "overloaded" answer becomes ``RateLimited`` (worth a retry later); every other failure leaves
as one of our typed errors, its message redacted of the key.
"""

from __future__ import annotations

import asyncio
import json
import time

import anthropic
from anthropic.types import Message

from providers.base import (
    Completion,
    CompletionRequest,
    MalformedResponse,
    ProviderError,
    Timeout,
    Unavailable,
    redact,
)
from providers.errors import DEADLINE_GRACE_SECONDS, HostedProvider, error_for_status, mark_not_sent, tls_context

DEFAULT_BASE_URL = "https://api.anthropic.com"
NO_KEY = "anthropic: no API key (set ANTHROPIC_API_KEY)"
# "model_context_window_exceeded" also means the answer stopped before it was done.
TRUNCATING_STOPS = frozenset({"max_tokens", "model_context_window_exceeded"})
STRUCTURED_TOOL = "record_answer"


class AnthropicProvider(HostedProvider):
    """The Messages API on api.anthropic.com or on ``base_url`` (a proxy may need no key)."""

    name = "anthropic"

    no_key_message = NO_KEY

    async def complete(self, request: CompletionRequest) -> Completion:
        key = self._key()
        # An explicit key and base URL keep the SDK away from its environment, profile and config files.
        client = anthropic.AsyncAnthropic(api_key=key, base_url=self._base_url or DEFAULT_BASE_URL,
                                          max_retries=0, timeout=request.timeout_seconds,
                                          http_client=anthropic.DefaultAsyncHttpxClient(verify=tls_context()))
        failure: ProviderError | None = None
        try:
            started = time.perf_counter()
            async with asyncio.timeout(request.timeout_seconds + DEADLINE_GRACE_SECONDS):
                response = await client.messages.create(
                    model=request.model,
                    max_tokens=request.max_output_tokens,
                    system=request.system,
                    messages=[{"role": "user", "content": request.prompt}],
                    timeout=request.timeout_seconds,
                    **forced_tool_arguments(request.json_schema),
                )
            latency = time.perf_counter() - started
        except Exception as exc:
            failure = self._translate(exc, key, request.timeout_seconds)
            if failure is None:
                raise
            mark_not_sent(failure, exc)
        finally:
            await client.close()
        if failure is not None:
            raise failure  # outside the handler: the SDK error (which may quote the key) is not chained
        return _completion(response, request.model, latency)

    def _translate(self, exc: Exception, key: str, timeout: float) -> ProviderError | None:
        secrets = [key]
        if isinstance(exc, anthropic.APITimeoutError | TimeoutError):
            return Timeout(f"anthropic: no answer within {timeout:g} s")
        if isinstance(exc, anthropic.APIStatusError):
            # api_message is the body's error.message; the SDK's own message quotes the whole body.
            message = exc.api_message or exc.message
            if exc.type:
                message = f"{exc.type}: {message}"
            return error_for_status("anthropic", exc.status_code, message,
                                    headers=exc.response.headers, secrets=secrets)
        if isinstance(exc, anthropic.APIConnectionError):
            where = self._base_url or DEFAULT_BASE_URL
            return Unavailable(redact(f"anthropic: cannot reach {where}: {exc.__cause__ or exc}", secrets))
        if isinstance(exc, anthropic.APIResponseValidationError | ValueError):  # ValueError: JSON that does not parse
            return MalformedResponse(redact(f"anthropic: unreadable answer: {exc}", secrets))
        if isinstance(exc, anthropic.AnthropicError):
            return ProviderError(redact(f"anthropic: {exc}", secrets))
        return None


def forced_tool_arguments(schema: dict | None) -> dict[str, object]:
    """Structured output by forced tool use: the model must "call" a tool whose input schema is ``schema``.

    Forced tool use works on every Claude model and on Anthropic-compatible proxies, unlike the newer
    ``output_config.format`` (only some models); the tool's input is the answer, returned as JSON text.
    """
    if schema is None:
        return {}
    tool = {"name": STRUCTURED_TOOL, "description": "Record the answer in the required structure.",
            "input_schema": schema}
    return {"tools": [tool], "tool_choice": {"type": "tool", "name": STRUCTURED_TOOL}}


def _answer_text(content: list) -> str:
    """The forced tool's input as JSON text when the model called it; else the text blocks joined."""
    for block in content:
        if getattr(block, "type", None) == "tool_use" and block.name == STRUCTURED_TOOL:
            return json.dumps(block.input)
    return "".join(block.text for block in content if getattr(block, "type", None) == "text")


def _completion(response: object, requested_model: str, latency: float) -> Completion:
    """Read a Messages answer: the text blocks joined (or the forced tool's input); anything missing is
    a ``MalformedResponse``."""
    if not isinstance(response, Message):  # the SDK hands back the raw text of a non-JSON body
        raise MalformedResponse("anthropic: the answer is not a JSON message")
    try:
        text = _answer_text(response.content)
        stop = response.stop_reason
        usage = response.usage
        input_tokens = usage.input_tokens if usage else None
        output_tokens = usage.output_tokens if usage else None
    except (AttributeError, TypeError, KeyError):
        raise MalformedResponse("anthropic: the answer has no content blocks") from None
    truncated = stop in TRUNCATING_STOPS
    if not text.strip() and not truncated:
        raise MalformedResponse(f"anthropic: empty answer (stop_reason={stop})")
    return Completion(text=text, model=response.model or requested_model, input_tokens=_int(input_tokens),
                      output_tokens=_int(output_tokens), truncated=truncated, latency_s=latency)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
