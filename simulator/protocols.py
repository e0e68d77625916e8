"""The wire protocols the simulator speaks: one class per provider API (paths, auth header, answer and error
bodies), so a new provider is one more ``WireProtocol`` in ``PROTOCOLS``."""

from __future__ import annotations

import re
import time
from typing import Any

from simulator.script import Reply


class WireProtocol:
    """One provider's HTTP API as the simulator speaks it: its route, its answers, its error bodies.

    A provider of ``providers/registry.py`` gets one subclass in ``PROTOCOLS``, under the same name.
    """

    name: str
    base_path = ""  # what the SDK's base URL carries past the server's root
    finish: dict[str, str]  # Reply.finish ("stop", "length") as the API says it

    def requested_model(self, path: str, body: Any) -> str | None | bool:
        """The model a request to ``path`` asks for (None: it names none); False when the path is not this API's."""
        raise NotImplementedError

    def structured(self, body: Any) -> bool:
        """The request asks for structured output, in this API's way."""
        raise NotImplementedError

    def success(self, model: str, reply: Reply, number: int, request_body: Any) -> dict[str, Any]:
        raise NotImplementedError

    def error(self, status: int, message: str) -> dict[str, Any]:
        raise NotImplementedError

    def auth_message(self, key: str | None) -> str:
        """What the API says to a wrong key: real APIs quote (part of) it, the redaction tests need all of it."""
        raise NotImplementedError

    def missing_model_message(self, model: str) -> str:
        raise NotImplementedError

    def malformed_structured(self, request_body: Any) -> Reply:
        """A well-formed answer whose structured payload is not: cut-off JSON text."""
        return Reply(text='{"issues": [{"description": "cut off')

    def dated(self, model: str) -> str:
        """How the API reports ``model`` back once it resolved it to a version."""
        raise NotImplementedError


class OpenAIWire(WireProtocol):
    name = "openai"
    base_path = "/v1"
    finish = {"stop": "stop", "length": "length"}
    _codes = {
        401: ("invalid_request_error", "invalid_api_key"),
        404: ("invalid_request_error", "model_not_found"),
        429: ("requests", "rate_limit_exceeded"),
    }

    def requested_model(self, path: str, body: Any) -> str | None | bool:
        return path in ("/v1/chat/completions", "/chat/completions") and _body_model(body)

    def structured(self, body: Any) -> bool:
        response_format = body.get("response_format")
        return isinstance(response_format, dict) and response_format.get("type") == "json_schema"

    def success(self, model: str, reply: Reply, number: int, request_body: Any) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "id": f"chatcmpl-sim-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.answer_text(), "refusal": None},
                    "logprobs": None,
                    "finish_reason": self.finish.get(reply.finish, reply.finish),
                }
            ],
        }
        if reply.input_tokens is not None and reply.output_tokens is not None:
            answer["usage"] = {
                "prompt_tokens": reply.input_tokens,
                "completion_tokens": reply.output_tokens,
                "total_tokens": reply.input_tokens + reply.output_tokens,
            }
        return answer

    def error(self, status: int, message: str) -> dict[str, Any]:
        kind, code = self._codes.get(status, ("server_error" if status >= 500 else "invalid_request_error", None))
        return {"error": {"message": message, "type": kind, "param": None, "code": code}}

    def auth_message(self, key: str | None) -> str:
        return f"Incorrect API key provided: {key}."

    def missing_model_message(self, model: str) -> str:
        return f"The model `{model}` does not exist or you do not have access to it."

    def dated(self, model: str) -> str:
        return f"{model}-2025-04-14"


class AnthropicWire(WireProtocol):
    name = "anthropic"
    finish = {"stop": "end_turn", "length": "max_tokens"}
    _error_types = {
        400: "invalid_request_error",
        401: "authentication_error",
        403: "permission_error",
        404: "not_found_error",
        413: "request_too_large",
        429: "rate_limit_error",
        500: "api_error",
        529: "overloaded_error",
    }

    def requested_model(self, path: str, body: Any) -> str | None | bool:
        return path == "/v1/messages" and _body_model(body)

    def structured(self, body: Any) -> bool:
        return forced_tool(body) is not None

    def success(self, model: str, reply: Reply, number: int, request_body: Any) -> dict[str, Any]:
        finish = self.finish.get(reply.finish, reply.finish)
        tool = forced_tool(request_body)
        content: list[dict[str, Any]] = [{"type": "text", "text": reply.answer_text()}]
        if tool is not None and reply.json is not None:  # the real API answers a forced tool with tool_use
            content = [{"type": "tool_use", "id": f"toolu_sim_{number}", "name": tool, "input": reply.json}]
            finish = "tool_use" if reply.finish == "stop" else finish
        known = reply.input_tokens is not None and reply.output_tokens is not None
        return {
            "id": f"msg_sim_{number}",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": content,
            "stop_reason": finish,
            "stop_sequence": None,
            "usage": {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens} if known else None,
        }

    def error(self, status: int, message: str) -> dict[str, Any]:
        kind = self._error_types.get(status, "api_error" if status >= 500 else "invalid_request_error")
        return {"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_sim"}

    def auth_message(self, key: str | None) -> str:
        return f"invalid x-api-key: {key}"

    def missing_model_message(self, model: str) -> str:
        return f"model: {model}"

    def malformed_structured(self, request_body: Any) -> Reply:
        # The API always sends a forced tool's input as an object: a malformed one is of the wrong shape.
        if forced_tool(request_body):
            return Reply(json={"unexpected": "shape"})
        return super().malformed_structured(request_body)

    def dated(self, model: str) -> str:
        return f"{model}-20250929"


class GeminiWire(WireProtocol):
    name = "gemini"
    finish = {"stop": "STOP", "length": "MAX_TOKENS"}
    _statuses = {
        400: "INVALID_ARGUMENT",
        401: "UNAUTHENTICATED",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
        429: "RESOURCE_EXHAUSTED",
        500: "INTERNAL",
        503: "UNAVAILABLE",
        504: "DEADLINE_EXCEEDED",
    }
    _path = re.compile(r"^/(?:v1\w*/)?models/(?P<model>[^/:]+):generateContent$")

    def requested_model(self, path: str, body: Any) -> str | None | bool:
        match = self._path.match(path)
        return match["model"] if match else False

    def structured(self, body: Any) -> bool:
        config = body.get("generationConfig") or {}
        return isinstance(config, dict) and ("responseJsonSchema" in config or "responseSchema" in config)

    def success(self, model: str, reply: Reply, number: int, request_body: Any) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "candidates": [
                {
                    "content": {"role": "model", "parts": [{"text": reply.answer_text()}]},
                    "finishReason": self.finish.get(reply.finish, reply.finish),
                    "index": 0,
                }
            ],
            "modelVersion": model,
            "responseId": f"sim-{number}",
        }
        if reply.input_tokens is not None and reply.output_tokens is not None:
            answer["usageMetadata"] = {
                "promptTokenCount": reply.input_tokens,
                "candidatesTokenCount": reply.output_tokens,
                "totalTokenCount": reply.input_tokens + reply.output_tokens,
            }
        return answer

    def error(self, status: int, message: str) -> dict[str, Any]:
        return {"error": {"code": status, "message": message, "status": self._statuses.get(status, "UNKNOWN")}}

    def auth_message(self, key: str | None) -> str:
        return f"API key not valid: {key}. Please pass a valid API key."

    def missing_model_message(self, model: str) -> str:
        return f"models/{model} is not found for API version v1, or is not supported for generateContent."

    def dated(self, model: str) -> str:
        return f"models/{model}"


PROTOCOLS: dict[str, WireProtocol] = {p.name: p for p in (OpenAIWire(), AnthropicWire(), GeminiWire())}
PROVIDERS = tuple(PROTOCOLS)


def _body_model(body: Any) -> str | None:
    model = body.get("model") if isinstance(body, dict) else None
    return model if isinstance(model, str) else None


def forced_tool(request_body: Any) -> str | None:
    """The tool an Anthropic request forces (``tool_choice: {type: tool, name}``), if any."""
    choice = request_body.get("tool_choice") if isinstance(request_body, dict) else None
    if isinstance(choice, dict) and choice.get("type") == "tool":
        return str(choice.get("name"))
    return None
