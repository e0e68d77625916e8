"""What a scripted provider answers: a reply, a failure, a hang or a malformed body, and the requests it saw."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


def code_answer(files: dict[str, str] | None = None, *, prose: str = "Here is the code.") -> str:
    """An answer in the format the parser reads: prose, then one fenced block per file."""
    blocks = [f"```python\n# file: {path}\n{code.rstrip()}\n```" for path, code in (files or {}).items()]
    return "\n\n".join([prose, *blocks]) + "\n"


DEFAULT_CODE = '''"""A greeting."""


def main() -> None:
    """Say hello."""
    print("hello")


if __name__ == "__main__":
    main()
'''
DEFAULT_ANSWER = code_answer({"app/main.py": DEFAULT_CODE})


@dataclass(frozen=True)
class Reply:
    """A 200 answer. ``finish``: "stop" or "length" (mapped to each API's value), or a raw value."""

    text: str = DEFAULT_ANSWER
    input_tokens: int | None = 120
    output_tokens: int | None = 80
    finish: str = "stop"
    model: str | None = None  # the model the answer reports; None: the one requested
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None  # replaces the whole answer JSON when given (for shapes the fields above cannot make)
    # A structured (JSON) answer: OpenAI puts it as a JSON string in message.content, Gemini in a text
    # part; Anthropic answers a forced tool (``tool_choice``) with a tool_use block whose input is it.
    json: Any = None

    def answer_text(self) -> str:
        """The text the answer carries: ``text``, or ``json`` serialised when given."""
        return self.text if self.json is None else json.dumps(self.json)


@dataclass(frozen=True)
class Fail:
    """An error answer in the provider's own error JSON (a 401/403 quotes the key the client sent)."""

    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    message: str | None = None
    body: Any = None  # replaces the whole error JSON when given


@dataclass(frozen=True)
class Hang:
    """Answer nothing for ``seconds`` (capped, cut short by ``stop()``), then play ``then`` or the default."""

    seconds: float = 5.0
    then: Reply | Fail | Malformed | None = None


@dataclass(frozen=True)
class Malformed:
    """A 200 that is not the provider's format: "json" (cut-off JSON), "shape" (JSON of the wrong shape),
    "empty" (right shape, empty text) or "html" (a proxy's text/html page). "structured" is a well-formed
    answer whose structured payload is not: cut-off JSON text (OpenAI, Gemini) or, for Anthropic, whose
    API always sends a tool input object, a tool_use block with an input of the wrong shape."""

    kind: str = "json"


Step = Reply | Fail | Hang | Malformed


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it arrived."""

    provider: str
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: Any  # parsed JSON, or None
    at: float  # time.monotonic() on arrival
    model: str | None

    @property
    def api_key(self) -> str | None:
        """The key the client sent, whichever header its SDK uses."""
        auth = self.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:]
        return self.headers.get("x-api-key") or self.headers.get("x-goog-api-key")
