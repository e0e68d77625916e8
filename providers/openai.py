"""OpenAI, or any OpenAI-compatible server (Ollama, vLLM, LM Studio), through the official async SDK.

One Chat Completions request per call (SDK retries off: Prefect owns retrying); every SDK failure
leaves as one of our typed errors, its message redacted of the key.
"""

from __future__ import annotations

import asyncio
import re
import time

import openai
from openai.types.chat import ChatCompletion

from providers.base import (
    AuthError,
    Completion,
    CompletionRequest,
    MalformedResponse,
    ProviderError,
    Timeout,
    Unavailable,
    redact,
)
from providers.errors import DEADLINE_GRACE_SECONDS, HostedProvider, error_for_status, mark_not_sent, tls_context

DEFAULT_BASE_URL = "https://api.openai.com/v1"
NO_KEY = "openai: no API key (set OPENAI_API_KEY, or Q2O_OPENAI_BASE_URL for an OpenAI-compatible server)"


class OpenAIProvider(HostedProvider):
    """Chat Completions on api.openai.com or on ``base_url`` (which then needs no key)."""

    name = "openai"

    no_key_message = NO_KEY

    async def complete(self, request: CompletionRequest) -> Completion:
        key = self._key()
        # Given explicitly so the SDK reads no OPENAI_BASE_URL from the environment.
        client = openai.AsyncOpenAI(api_key=key, base_url=self._base_url or DEFAULT_BASE_URL,
                                    max_retries=0, timeout=request.timeout_seconds,
                                    http_client=openai.DefaultAsyncHttpxClient(verify=tls_context()))
        failure: ProviderError | None = None
        try:
            started = time.perf_counter()
            async with asyncio.timeout(request.timeout_seconds + DEADLINE_GRACE_SECONDS):
                response = await client.chat.completions.create(
                    model=request.model,
                    messages=[{"role": "system", "content": request.system},
                              {"role": "user", "content": request.prompt}],
                    timeout=request.timeout_seconds,
                    **token_cap_argument(self._base_url, request.max_output_tokens),
                    **response_format_argument(request.json_schema),
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
        if isinstance(exc, openai.APITimeoutError | TimeoutError):
            return Timeout(f"openai: no answer within {timeout:g} s")
        if isinstance(exc, openai.APIStatusError):
            message = _body_message(exc.body) or exc.message
            if exc.status_code == 429 and exc.code == "insufficient_quota":
                # Out of credit is a billing state, not a rate: retrying will not help.
                return AuthError(redact(f"openai HTTP 429 (insufficient quota): {message}", secrets),
                                 status_code=429)
            return error_for_status("openai", exc.status_code, message,
                                    headers=exc.response.headers, secrets=secrets)
        if isinstance(exc, openai.APIConnectionError):
            where = self._base_url or DEFAULT_BASE_URL
            return Unavailable(redact(f"openai: cannot reach {where}: {exc.__cause__ or exc}", secrets))
        if isinstance(exc, openai.APIResponseValidationError | ValueError):  # ValueError: JSON that does not parse
            return MalformedResponse(redact(f"openai: unreadable answer: {exc}", secrets))
        if isinstance(exc, openai.OpenAIError):
            return ProviderError(redact(f"openai: {exc}", secrets))
        return None


def token_cap_argument(base_url: str | None, limit: int) -> dict[str, int]:
    """OpenAI deprecated ``max_tokens`` (o-series and GPT-5 reject it); compatible servers mostly know only it."""
    official = base_url is None or base_url.rstrip("/") == DEFAULT_BASE_URL
    return {"max_completion_tokens": limit} if official else {"max_tokens": limit}


def response_format_argument(schema: dict | None) -> dict[str, object]:
    """Structured output: Chat Completions' strict ``json_schema`` response format (the answer is JSON text)."""
    if schema is None:
        return {}
    name = str(schema.get("title") or "answer")
    json_schema = {"name": re.sub(r"[^A-Za-z0-9_-]", "_", name)[:64], "schema": schema, "strict": True}
    return {"response_format": {"type": "json_schema", "json_schema": json_schema}}


def _completion(response: object, requested_model: str, latency: float) -> Completion:
    """Read a chat completion; anything missing is a ``MalformedResponse``."""
    if not isinstance(response, ChatCompletion):  # the SDK hands back the raw text of a non-JSON body
        raise MalformedResponse("openai: the answer is not a JSON chat completion")
    try:
        choice = response.choices[0]
        text, finish = choice.message.content, choice.finish_reason
        usage = response.usage
        input_tokens = usage.prompt_tokens if usage else None
        output_tokens = usage.completion_tokens if usage else None
    except (AttributeError, IndexError, TypeError, KeyError):
        raise MalformedResponse("openai: the answer has no choices or no message") from None
    truncated = finish == "length"
    if not isinstance(text, str) or (not text.strip() and not truncated):
        raise MalformedResponse(f"openai: empty answer (finish_reason={finish})")
    return Completion(text=text, model=response.model or requested_model, input_tokens=_int(input_tokens),
                      output_tokens=_int(output_tokens), truncated=truncated, latency_s=latency)


def _body_message(body: object) -> str | None:
    """The ``error.message`` of an error body (the SDK has already unwrapped ``error``)."""
    message = body.get("message") if isinstance(body, dict) else None
    return message if isinstance(message, str) and message else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
