"""Google Gemini (the Gemini Developer API) through the official ``google-genai`` async client.

One ``generateContent`` request per call: the client gets ``HttpRetryOptions(attempts=1)``, which also
turns off the SDK's hidden one-shot retry of connection errors. Failures leave as our typed errors.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Mapping

import httpx
import pydantic
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from providers.base import (
    AuthError,
    BadRequest,
    Completion,
    CompletionRequest,
    MalformedResponse,
    ProviderError,
    RateLimited,
    Timeout,
    Unavailable,
    redact,
)
from providers.errors import DEADLINE_GRACE_SECONDS, HostedProvider, error_for_status, mark_not_sent, tls_context

try:  # google-genai prefers httpx2 when it is installed (openai and anthropic bring it); else httpx
    import httpx2
except ImportError:  # pragma: no cover - depends on the installed SDKs
    httpx2 = None  # type: ignore[assignment]

_HTTP = tuple(module for module in (httpx, httpx2) if module is not None)
_TIMEOUTS: tuple[type[BaseException], ...] = (TimeoutError, *(m.TimeoutException for m in _HTTP))
_TRANSPORT: tuple[type[BaseException], ...] = (OSError, *(m.TransportError for m in _HTTP))

DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/"
NO_KEY = "gemini: no API key (set GEMINI_API_KEY or GOOGLE_API_KEY)"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")  # protobuf Duration in JSON: "37s", "1.5s"


class GeminiProvider(HostedProvider):
    """``models/{model}:generateContent`` on Google's endpoint or on ``base_url``."""

    name = "gemini"

    no_key_message = NO_KEY

    async def complete(self, request: CompletionRequest) -> Completion:
        key = self._key()
        failure: ProviderError | None = None
        client: genai.Client | None = None
        try:
            client = self._client(key, request.timeout_seconds)
            config = types.GenerateContentConfig(
                system_instruction=request.system,
                max_output_tokens=request.max_output_tokens,
                automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
                **structured_output_config(request.json_schema),
            )
            started = time.perf_counter()
            async with asyncio.timeout(request.timeout_seconds + DEADLINE_GRACE_SECONDS):
                response = await client.aio.models.generate_content(
                    model=request.model, contents=request.prompt, config=config)
            latency = time.perf_counter() - started
        except Exception as exc:
            failure = _translate(exc, key, request.timeout_seconds)
            if failure is None:
                raise
            mark_not_sent(failure, exc)
        finally:
            if client is not None:
                await client.aio.aclose()
                client.close()
        if failure is not None:
            raise failure  # outside the handler: the SDK error (which may quote the key) is not chained
        return _completion(response, request.model, latency)

    def _client(self, key: str, timeout_seconds: float) -> genai.Client:
        # vertexai=False and an explicit base URL keep the SDK from switching on environment variables.
        options = types.HttpOptions(
            base_url=self._base_url or DEFAULT_BASE_URL,
            timeout=max(int(timeout_seconds * 1000), 1),  # milliseconds
            retry_options=types.HttpRetryOptions(attempts=1),
            # The process's shared TLS context: the SDK would otherwise build two per client (~35 ms).
            client_args={"verify": tls_context()},
            async_client_args={"verify": tls_context(), "ssl": tls_context()},
        )
        return genai.Client(vertexai=False, api_key=key, http_options=options)


def structured_output_config(schema: dict | None) -> dict[str, object]:
    """Structured output: a JSON answer constrained by ``schema`` (sent as ``responseJsonSchema``)."""
    if schema is None:
        return {}
    return {"response_mime_type": "application/json", "response_json_schema": schema}


def _translate(exc: Exception, key: str, timeout: float) -> ProviderError | None:
    secrets = [key]
    if isinstance(exc, _TIMEOUTS):
        return Timeout(f"gemini: no answer within {timeout:g} s")
    if isinstance(exc, genai_errors.APIError):
        return _status_error(exc, secrets)
    if isinstance(exc, _TRANSPORT):
        return Unavailable(redact(f"gemini: cannot reach the API: {type(exc).__name__}: {exc}", secrets))
    if isinstance(exc, json.JSONDecodeError | pydantic.ValidationError | genai_errors.UnknownApiResponseError):
        return MalformedResponse(redact(f"gemini: unreadable answer: {exc}", secrets))
    if isinstance(exc, ValueError):  # the SDK checks its arguments with ValueError
        return BadRequest(redact(f"gemini: {exc}", secrets))
    return None


def _status_error(exc: genai_errors.APIError, secrets: list[str]) -> ProviderError:
    status = int(exc.code or 0)
    body = exc.details if isinstance(exc.details, Mapping) else {}
    details = _error_details(body)
    message = f"{exc.status}: {exc.message}" if exc.status else str(exc.message or "")
    if status == 400 and any(d.get("reason") == "API_KEY_INVALID" for d in details):
        # Google answers a wrong key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
        return AuthError(redact(f"gemini HTTP 400: {message}", secrets), status_code=400)
    headers = getattr(getattr(exc, "response", None), "headers", None)
    error = error_for_status("gemini", status, message,
                             headers=headers if isinstance(headers, Mapping) else None, secrets=secrets)
    if isinstance(error, RateLimited) and error.retry_after is None:
        error.retry_after = _retry_delay(details)  # Google puts the wait in a RetryInfo detail
    return error


def _error_details(body: Mapping[str, object]) -> list[Mapping[str, object]]:
    error = body.get("error", body)
    details = error.get("details") if isinstance(error, Mapping) else None
    return [d for d in details if isinstance(d, Mapping)] if isinstance(details, list) else []


def _retry_delay(details: list[Mapping[str, object]]) -> float | None:
    for detail in details:
        if str(detail.get("@type", "")).endswith("google.rpc.RetryInfo"):
            match = _DURATION.match(str(detail.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None


def _completion(response: types.GenerateContentResponse, requested_model: str, latency: float) -> Completion:
    """Read the first candidate's text parts (thoughts left out); anything missing is ``MalformedResponse``."""
    candidates = response.candidates or []
    if not candidates:
        feedback = response.prompt_feedback
        reason = f" (prompt blocked: {feedback.block_reason})" if feedback and feedback.block_reason else ""
        raise MalformedResponse(f"gemini: the answer has no candidates{reason}")
    candidate = candidates[0]
    parts = candidate.content.parts if candidate.content and candidate.content.parts else []
    text = "".join(part.text for part in parts if isinstance(part.text, str) and not part.thought)
    truncated = candidate.finish_reason == types.FinishReason.MAX_TOKENS
    if not text.strip() and not truncated:
        finish = getattr(candidate.finish_reason, "value", candidate.finish_reason)
        raise MalformedResponse(f"gemini: empty answer (finish_reason={finish})")
    usage = response.usage_metadata
    input_tokens = usage.prompt_token_count if usage else None
    output_tokens = None
    if usage and usage.candidates_token_count is not None:
        # Thinking tokens are billed as output tokens.
        output_tokens = usage.candidates_token_count + (usage.thoughts_token_count or 0)
    return Completion(text=text, model=response.model_version or requested_model, input_tokens=input_tokens,
                      output_tokens=output_tokens, truncated=truncated, latency_s=latency)
