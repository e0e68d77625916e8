"""Cross-provider review: when a request needs one, the verdict's shape, and what the verdict decides.

Plain Python: the ``review`` task (tasks/review.py) makes the calls. The verdict is asked for with each
SDK's structured-output feature (``VERDICT_SCHEMA``) and checked with pydantic (``parse_verdict``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from contracts import CodeRequest, GeneratedFile, PromptLayer, ReviewIssue, ReviewRecommendation, ReviewSeverity
from prompts.registry import base_variables, render_prompt, request_variables, untrusted
from providers.base import InvalidOutput
from settings import PROVIDER_NAMES, Settings
from validation.models import Finding

SEVERITIES: tuple[str, ...] = ("none", "low", "medium", "high", "critical")
Decision = Literal["approve", "repair", "reject"]
# A keyword also matches its common inflections and compounds: "payments", "authentication", "OAuth",
# "user_password", "PostgreSQL", but not "author" or "tokenizer".
_SUFFIXES = (
    r"(?:s|es|ed|ing|er|ers|ment|ments|ation|ations|ication|ications|entication|enticate|enticated"
    r"|orization|orize|orized|ize|ized|ise|ised|n|z)?"
)


class ReviewVerdict(BaseModel):
    """A reviewer's structured verdict."""

    issues: list[ReviewIssue] = Field(default_factory=list, description="Problems found, worst first.")
    severity: ReviewSeverity = Field(description="The worst problem's severity; none when there is none.")
    recommendation: ReviewRecommendation = Field(description="approve, fix (repairable), or reject.")
    score: float = Field(ge=0, le=100, description="Quality and safety of the code, 0-100.")

    @property
    def worst_severity(self) -> ReviewSeverity:
        """The worst severity named anywhere in the verdict (a reviewer may under-state the summary)."""
        named = [self.severity, *(i.severity for i in self.issues)]
        return max(named, key=SEVERITIES.index)


# Written by hand rather than from ``model_json_schema()``: strict structured output (OpenAI) wants every
# property required and no extra ones, and no ``$ref``s (which not every API resolves).
VERDICT_SCHEMA: dict = {
    "title": "review_verdict",
    "type": "object",
    "properties": {
        "issues": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "severity": {"type": "string", "enum": list(SEVERITIES)},
                    "line": {"type": ["integer", "null"]},
                },
                "required": ["description", "severity", "line"],
                "additionalProperties": False,
            },
        },
        "severity": {"type": "string", "enum": list(SEVERITIES)},
        "recommendation": {"type": "string", "enum": ["approve", "fix", "reject"]},
        "score": {"type": "number"},
    },
    "required": ["issues", "severity", "recommendation", "score"],
    "additionalProperties": False,
}


def sensitive_keywords_in(task: str, keywords: Iterable[str]) -> list[str]:
    """The configured keywords that occur in ``task`` as words (or their inflections and compounds)."""
    found = []
    for keyword in keywords:
        word = keyword.strip().lower()
        if word and re.search(rf"(?<![^\W_])[a-z0-9_]*{re.escape(word)}{_SUFFIXES}(?![a-z])", task, re.I):
            found.append(word)
    return found


def is_sensitive(task: str, findings: Sequence[Finding], keywords: Iterable[str], flags: Sequence[str] = ()) -> bool:
    """Security-sensitive work: a keyword in the task, a static finding of medium or worse, or a flag."""
    if flags:
        return True
    if any(f.severity in ("medium", "high", "critical") for f in findings):
        return True
    return bool(sensitive_keywords_in(task, keywords))


def _code_text(files: Sequence[GeneratedFile]) -> str:
    return untrusted("\n\n".join(f"# file: {f.path}\n{f.content.rstrip()}" for f in files))


def review_prompts(
    task: str,
    stack: Sequence[str],
    files: Sequence[GeneratedFile],
    *,
    request: CodeRequest | None = None,
    layers: Sequence[PromptLayer] = (),
) -> tuple[str, str]:
    """The (system, user) prompts that ask a reviewer for a verdict on ``files`` (under ``request``'s layers)."""
    variables = request_variables(request) if request is not None else base_variables(task, stack)
    context = {**variables, "task_description": untrusted(task), "code": _code_text(files)}
    return render_prompt("review_system", context, layers), render_prompt("review", context, layers)


def repair_prompts(
    request: CodeRequest,
    files: Sequence[GeneratedFile],
    issues: Sequence[ReviewIssue],
    layers: Sequence[PromptLayer] = (),
) -> tuple[str, str]:
    """The (system, user) prompts that ask the generator to fix the review's ``issues``."""
    context = {
        **request_variables(request),
        "code": _code_text(files),
        "issues": [{**i.model_dump(), "description": untrusted(i.description)} for i in issues],
    }
    return render_prompt("system", context, layers), render_prompt("repair", context, layers)


_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(?P<body>.*?)\n\s*```\s*$", re.S)


def parse_verdict(text: str) -> ReviewVerdict:
    """Read a verdict from the reviewer's JSON answer; raise ``InvalidOutput`` when it is not one."""
    fenced = _FENCE.match(text)
    body = fenced["body"] if fenced else text
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise InvalidOutput(f"malformed review verdict: not JSON ({exc})") from None
    try:
        return ReviewVerdict.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()[:3])
        raise InvalidOutput(f"malformed review verdict: {problems}") from None


def decide(verdict: ReviewVerdict) -> Decision:
    """reject, or any high/critical issue -> reject; fix -> one repair round; approve -> approve."""
    if verdict.recommendation == "reject" or verdict.worst_severity in ("high", "critical"):
        return "reject"
    if verdict.recommendation == "fix":
        return "repair"
    return "approve"


def reviewer_order(generator: str, chain: Sequence[str], usable: Iterable[str]) -> list[str]:
    """Every provider that may review ``generator``'s code, in order: the ones after it in ``chain``
    (wrapping around) that are ``usable`` (configured and healthy); never the generator itself."""
    usable = set(usable)
    chain = list(chain)
    start = chain.index(generator) + 1 if generator in chain else 0
    ordered = chain[start:] + chain[:start]
    return [p for p in dict.fromkeys(ordered) if p in usable and p != generator]


def choose_reviewer(generator: str, chain: Sequence[str], usable: Iterable[str]) -> str | None:
    """The first of ``reviewer_order``: the next usable provider after ``generator``; None when there is none."""
    return next(iter(reviewer_order(generator, chain, usable)), None)


def no_reviewer_reason(chain: Sequence[str] | None, generator: str, settings: Settings) -> str:
    """Why nobody can review ``generator``'s code (``chain``: the request's own, None for Q2O_CHAIN), and what
    the user can do about it."""
    spare = [p for p in PROVIDER_NAMES if p != generator and settings.is_configured(p)]
    if chain:  # the request named its providers: the reviewer must be one of them
        fix = (
            f"add one to the request, e.g. --provider {generator},{spare[0]}"
            if spare
            else "configure a second provider"
        )
        return (
            f"no provider of this request's chain ({','.join(chain)}) other than {generator} can review "
            f"this code; {fix}"
        )
    return (
        f"no provider of Q2O_CHAIN other than {generator} can review this code (configured and not failed in this run)"
    )
