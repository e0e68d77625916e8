"""OpenAI, or any OpenAI-compatible server (Ollama, vLLM, LM Studio), through the official async SDK.

One Chat Completions request per call; what every provider shares (deadline, error translation, closing the
client) is ``HTTPProvider``'s. Out of credit (429 ``insufficient_quota``) is an ``AuthError``: no retry helps.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import ClassVar, TypedDict

import openai
from openai.types.chat import ChatCompletion
from openai.types.shared_params import ResponseFormatJSONSchema
from openai.types.shared_params.response_format_json_schema import JSONSchema

from providers.base import AuthError, Completion, CompletionRequest, MalformedResponse, ProviderError, redact
from providers.errors import error_for_status
from providers.http import StainlessProvider
from providers.registry import spec_for

DEFAULT_BASE_URL = spec_for("openai").default_base_url


class OpenAIProvider(StainlessProvider):
    """Chat Completions on api.openai.com or on ``base_url`` (which then needs no key)."""

    spec = spec_for("openai")
    sdk: ClassVar[ModuleType] = openai  # annotated: mypy takes a bare `= module` for an alias
    client_class = openai.AsyncOpenAI
    sdk_errors = (openai.OpenAIError,)

    async def send(self, client: openai.AsyncOpenAI, request: CompletionRequest) -> object:
        return await client.chat.completions.create(
            model=request.model,
            messages=[{"role": "system", "content": request.system}, {"role": "user", "content": request.prompt}],
            timeout=request.timeout_seconds,
            **token_cap_argument(self._base_url, request.max_output_tokens),
            **response_format_argument(request.json_schema),
        )

    def status_error(self, exc: openai.APIStatusError, secrets: list[str]) -> ProviderError:
        message = _body_message(exc.body) or exc.message
        if exc.status_code == 429 and exc.code == "insufficient_quota":
            # Out of credit is a billing state, not a rate: retrying will not help.
            return AuthError(redact(f"openai HTTP 429 (insufficient quota): {message}", secrets), status_code=429)
        return error_for_status(self.name, exc.status_code, message, headers=exc.response.headers, secrets=secrets)

    def read_answer(self, answer: object, requested_model: str, latency: float) -> Completion:
        if not isinstance(answer, ChatCompletion):  # the SDK hands back the raw text of a non-JSON body
            raise MalformedResponse("openai: the answer is not a JSON chat completion")
        try:
            choice = answer.choices[0]
            text, finish = choice.message.content, choice.finish_reason
            usage = answer.usage
        except (AttributeError, IndexError, TypeError, KeyError):
            raise MalformedResponse("openai: the answer has no choices or no message") from None
        return self.completion(
            text=text,
            model=answer.model or requested_model,
            input_tokens=usage.prompt_tokens if usage else None,
            output_tokens=usage.completion_tokens if usage else None,
            truncated=finish == "length",
            latency=latency,
            finish=f"finish_reason={finish}",
        )


class TokenCap(TypedDict, total=False):
    """The output token cap, under the name the server knows (one of the two)."""

    max_completion_tokens: int
    max_tokens: int


class ResponseFormat(TypedDict, total=False):
    """The structured-output argument (none when no schema is asked for)."""

    response_format: ResponseFormatJSONSchema


def token_cap_argument(base_url: str | None, limit: int) -> TokenCap:
    """OpenAI deprecated ``max_tokens`` (o-series and GPT-5 reject it); compatible servers mostly know only it."""
    official = base_url is None or base_url.rstrip("/") == DEFAULT_BASE_URL
    return {"max_completion_tokens": limit} if official else {"max_tokens": limit}


def response_format_argument(schema: dict | None) -> ResponseFormat:
    """Structured output: Chat Completions' strict ``json_schema`` response format (the answer is JSON text)."""
    if schema is None:
        return {}
    name = str(schema.get("title") or "answer")
    json_schema: JSONSchema = {"name": re.sub(r"[^A-Za-z0-9_-]", "_", name)[:64], "schema": schema, "strict": True}
    return {"response_format": {"type": "json_schema", "json_schema": json_schema}}


def _body_message(body: object) -> str | None:
    """The ``error.message`` of an error body (the SDK has already unwrapped ``error``)."""
    message = body.get("message") if isinstance(body, dict) else None
    return message if isinstance(message, str) and message else None
