"""Anthropic (Claude) through the official async SDK: one Messages request per call.

A 529 "overloaded" answer becomes ``RateLimited`` (worth a retry later, see ``providers.errors``); what every
provider shares (deadline, error translation, closing the client) is ``HTTPProvider``'s.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import ClassVar, TypedDict

import anthropic
from anthropic.types import Message, ToolChoiceToolParam, ToolParam

from providers.base import Completion, CompletionRequest, MalformedResponse, ProviderError
from providers.errors import error_for_status
from providers.http import StainlessProvider
from providers.registry import spec_for

# "model_context_window_exceeded" also means the answer stopped before it was done.
TRUNCATING_STOPS = frozenset({"max_tokens", "model_context_window_exceeded"})
STRUCTURED_TOOL = "record_answer"


class AnthropicProvider(StainlessProvider):
    """The Messages API on api.anthropic.com or on ``base_url`` (a proxy may need no key)."""

    spec = spec_for("anthropic")
    sdk: ClassVar[ModuleType] = anthropic  # annotated: mypy takes a bare `= module` for an alias
    client_class = anthropic.AsyncAnthropic
    sdk_errors = (anthropic.AnthropicError,)

    async def send(self, client: anthropic.AsyncAnthropic, request: CompletionRequest) -> object:
        return await client.messages.create(
            model=request.model,
            max_tokens=request.max_output_tokens,
            system=request.system,
            messages=[{"role": "user", "content": request.prompt}],
            timeout=request.timeout_seconds,
            **forced_tool_arguments(request.json_schema),
        )

    def status_error(self, exc: anthropic.APIStatusError, secrets: list[str]) -> ProviderError:
        # api_message is the body's error.message; the SDK's own message quotes the whole body.
        message = exc.api_message or exc.message
        if exc.type:
            message = f"{exc.type}: {message}"
        return error_for_status(self.name, exc.status_code, message, headers=exc.response.headers, secrets=secrets)

    def read_answer(self, answer: object, requested_model: str, latency: float) -> Completion:
        """The text blocks joined (or the forced tool's input); anything missing is a ``MalformedResponse``."""
        if not isinstance(answer, Message):  # the SDK hands back the raw text of a non-JSON body
            raise MalformedResponse("anthropic: the answer is not a JSON message")
        try:
            text = _answer_text(answer.content)
            stop, usage = answer.stop_reason, answer.usage
        except (AttributeError, TypeError, KeyError):
            raise MalformedResponse("anthropic: the answer has no content blocks") from None
        return self.completion(
            text=text,
            model=answer.model or requested_model,
            input_tokens=usage.input_tokens if usage else None,
            output_tokens=usage.output_tokens if usage else None,
            truncated=stop in TRUNCATING_STOPS,
            latency=latency,
            finish=f"stop_reason={stop}",
        )


class ForcedTool(TypedDict, total=False):
    """The Messages arguments that force the structured-output tool (none when no schema is asked for)."""

    tools: list[ToolParam]
    tool_choice: ToolChoiceToolParam


def forced_tool_arguments(schema: dict | None) -> ForcedTool:
    """Structured output by forced tool use: the model must "call" a tool whose input schema is ``schema``.

    Forced tool use works on every Claude model and on Anthropic-compatible proxies, unlike the newer
    ``output_config.format`` (only some models); the tool's input is the answer, returned as JSON text.
    """
    if schema is None:
        return {}
    tool: ToolParam = {
        "name": STRUCTURED_TOOL,
        "description": "Record the answer in the required structure.",
        "input_schema": schema,
    }
    return {"tools": [tool], "tool_choice": {"type": "tool", "name": STRUCTURED_TOOL}}


def _answer_text(content: list) -> str:
    """The forced tool's input as JSON text when the model called it; else the text blocks joined."""
    for block in content:
        if getattr(block, "type", None) == "tool_use" and block.name == STRUCTURED_TOOL:
            return json.dumps(block.input)
    return "".join(block.text for block in content if getattr(block, "type", None) == "text")
