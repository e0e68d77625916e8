"""Google Gemini (the Gemini Developer API) through the official ``google-genai`` async client.

One ``generateContent`` request per call: the client gets ``HttpRetryOptions(attempts=1)``, which also
turns off the SDK's hidden one-shot retry of connection errors. Google's error details (a wrong key said
with a 400, the wait in a RetryInfo) are read here; the rest of a call is ``HTTPProvider``'s.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TypedDict

import pydantic
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from providers.base import (
    AuthError,
    Completion,
    CompletionRequest,
    MalformedResponse,
    ProviderError,
    RateLimited,
    redact,
)
from providers.errors import error_for_status
from providers.http import HTTP_MODULES, HTTPProvider, tls_context
from providers.registry import spec_for

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")  # protobuf Duration in JSON: "37s", "1.5s"


class GeminiProvider(HTTPProvider):
    """``models/{model}:generateContent`` on Google's endpoint or on ``base_url``."""

    spec = spec_for("gemini")
    timeout_errors = (TimeoutError, *(module.TimeoutException for module in HTTP_MODULES))
    status_errors = (genai_errors.APIError,)
    connection_errors = (OSError, *(module.TransportError for module in HTTP_MODULES))
    unreadable_errors = (json.JSONDecodeError, pydantic.ValidationError, genai_errors.UnknownApiResponseError)
    argument_errors = (ValueError,)  # the SDK checks its arguments with ValueError

    def open_client(self, key: str, timeout_seconds: float) -> genai.Client:
        # vertexai=False and an explicit base URL keep the SDK from switching on environment variables.
        options = types.HttpOptions(
            base_url=self.base_url,
            timeout=max(int(timeout_seconds * 1000), 1),  # milliseconds
            retry_options=types.HttpRetryOptions(attempts=1),
            # The process's shared TLS context: the SDK would otherwise build two per client (~35 ms).
            client_args={"verify": tls_context()},
            async_client_args={"verify": tls_context(), "ssl": tls_context()},
        )
        return genai.Client(vertexai=False, api_key=key, http_options=options)

    async def send(self, client: genai.Client, request: CompletionRequest) -> object:
        config = types.GenerateContentConfig(
            system_instruction=request.system,
            max_output_tokens=request.max_output_tokens,
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
            **structured_output_config(request.json_schema),
        )
        return await client.aio.models.generate_content(model=request.model, contents=request.prompt, config=config)

    async def close_client(self, client: genai.Client) -> None:
        await client.aio.aclose()
        client.close()

    def status_error(self, exc: genai_errors.APIError, secrets: list[str]) -> ProviderError:
        status = int(exc.code or 0)
        details = _error_details(exc.details if isinstance(exc.details, Mapping) else {})
        message = f"{exc.status}: {exc.message}" if exc.status else str(exc.message or "")
        if status == 400 and any(d.get("reason") == "API_KEY_INVALID" for d in details):
            # Google answers a wrong key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
            return AuthError(redact(f"gemini HTTP 400: {message}", secrets), status_code=400)
        headers = getattr(getattr(exc, "response", None), "headers", None)
        error = error_for_status(
            self.name, status, message, headers=headers if isinstance(headers, Mapping) else None, secrets=secrets
        )
        if isinstance(error, RateLimited) and error.retry_after is None:
            error.retry_after = _retry_delay(details)  # Google puts the wait in a RetryInfo detail
        return error

    def read_answer(self, answer: types.GenerateContentResponse, requested_model: str, latency: float) -> Completion:
        """The first candidate's text parts (thoughts left out); anything missing is ``MalformedResponse``."""
        if not answer.candidates:
            feedback = answer.prompt_feedback
            reason = f" (prompt blocked: {feedback.block_reason})" if feedback and feedback.block_reason else ""
            raise MalformedResponse(f"gemini: the answer has no candidates{reason}")
        candidate = answer.candidates[0]
        parts = candidate.content.parts if candidate.content and candidate.content.parts else []
        usage = answer.usage_metadata
        output_tokens = None
        if usage and usage.candidates_token_count is not None:
            # Thinking tokens are billed as output tokens.
            output_tokens = usage.candidates_token_count + (usage.thoughts_token_count or 0)
        return self.completion(
            text="".join(part.text for part in parts if isinstance(part.text, str) and not part.thought),
            model=answer.model_version or requested_model,
            input_tokens=usage.prompt_token_count if usage else None,
            output_tokens=output_tokens,
            truncated=candidate.finish_reason == types.FinishReason.MAX_TOKENS,
            latency=latency,
            finish=f"finish_reason={getattr(candidate.finish_reason, 'value', candidate.finish_reason)}",
        )


class StructuredOutput(TypedDict, total=False):
    """The ``GenerateContentConfig`` fields that ask for a JSON answer (none when no schema is asked for)."""

    response_mime_type: str
    response_json_schema: dict


def structured_output_config(schema: dict | None) -> StructuredOutput:
    """Structured output: a JSON answer constrained by ``schema`` (sent as ``responseJsonSchema``)."""
    if schema is None:
        return {}
    return {"response_mime_type": "application/json", "response_json_schema": schema}


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
