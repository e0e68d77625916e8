"""The request an agent makes and the answer it gets: the data that travels between every room above this one.

Plain pydantic, importing nothing of the project but the provider registry (a request names providers).
What validation finds (``Finding``, ``Verdict``) is validation's own, in ``validation.models``.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from providers.registry import parse_chain

MAX_TASK_CHARS = 20_000
MAX_CONTEXT_CHARS = 20_000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def is_valid_name(value: str) -> bool:
    """An agent, project or task type name: letters, digits, '.', '_', '-'; 1-64 characters."""
    return bool(_NAME.match(value))


class CodeRequest(BaseModel):
    """An agent asks for code."""

    task: str = Field(description="What the code must do, in plain words.")
    stack: list[str] = Field(description="Tech stack, e.g. ['python', 'fastapi'].")
    agent: str = Field(default="coder", description="The asking agent's name.")
    project: str = Field(default="default", description="The project the code is for.")
    chain: list[str] | None = Field(
        default=None,
        description="Providers to try, in order, each 'provider' or 'provider:model'; default is the configured "
        "chain (project > agent > system).",
    )
    request_id: str = Field(default_factory=lambda: uuid.uuid4().hex, description="Unique id.")
    flags: list[str] = Field(
        default_factory=list, description="Marks the flow puts on the request, e.g. prompt_injection."
    )
    fresh: bool = Field(
        default=False,
        description="Have the chain write the code anew: no exact repeat, no template (an admin's re-run).",
    )
    task_type: str | None = Field(
        default=None, description="The kind of task, e.g. api-integration: picks the task-type prompt layer."
    )
    custom_instructions: str = Field(
        default="", max_length=MAX_CONTEXT_CHARS, description="Rules for this request, e.g. coding standards."
    )
    requirements: str = Field(default="", max_length=MAX_CONTEXT_CHARS, description="What the code must meet.")
    research_context: str = Field(
        default="", max_length=MAX_CONTEXT_CHARS, description="Notes a researcher agent found for the task."
    )
    project_context: str = Field(
        default="", max_length=MAX_CONTEXT_CHARS, description="What the project already has (modules, conventions)."
    )

    @property
    def template_task(self) -> str:
        """What a template must answer: the task, and the request's own instructions and requirements after it
        (a template matched or learned on the task alone would serve code that ignores them). The prompt layers
        and the research and project context shape how code is written, not what it must do."""
        parts = [self.task]
        if self.custom_instructions:
            parts.append(f"Instructions: {self.custom_instructions}")
        if self.requirements:
            parts.append(f"Requirements: {self.requirements}")
        return "\n".join(parts)

    @field_validator("task")
    @classmethod
    def _task(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("the task is empty")
        if len(value) > MAX_TASK_CHARS:
            raise ValueError(f"the task has {len(value)} characters; at most {MAX_TASK_CHARS} are accepted")
        return value

    @field_validator("stack", mode="before")
    @classmethod
    def _stack(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list):
            items = [str(v).strip().lower() for v in value]
            if not items or any(not v for v in items):
                raise ValueError("the stack has an empty entry")
            return items
        return value

    @field_validator("custom_instructions", "requirements", "research_context", "project_context")
    @classmethod
    def _context(cls, value: str) -> str:
        return value.strip()

    @field_validator("task_type", mode="before")
    @classmethod
    def _task_type(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None  # "" from a form or a flag means "none named"
        return value

    @field_validator("agent", "project", "task_type")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not _NAME.match(value):
            raise ValueError(f"{value!r} is not a valid name (letters, digits, '.', '_', '-'; 1-64 chars)")
        return value

    @field_validator("chain", mode="before")
    @classmethod
    def _chain(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list):
            try:
                entries = parse_chain([str(v) for v in value])
            except ValueError as exc:
                raise ValueError(f"{exc}; entries are provider or provider:model") from None
            return [f"{e.provider}:{e.model}" if e.model else e.provider for e in entries]
        return value

    @property
    def chain_providers(self) -> list[str] | None:
        """The providers the request's chain names, in order (None: the configured chain)."""
        return None if self.chain is None else [entry.provider for entry in parse_chain(self.chain)]


PromptScope = Literal["agent", "project", "task_type"]
PROMPT_SCOPES: tuple[PromptScope, ...] = ("agent", "project", "task_type")  # lowest first: a later one wins


class PromptLayer(BaseModel):
    """One version of a prompt layer: the blocks an agent, a project or a task type puts over a prompt."""

    prompt: str = Field(description="The prompt it overrides: system, generate, repair, review_system or review.")
    scope: PromptScope
    target: str = Field(description="The agent, project or task type it is for.")
    version: int = Field(description="1, 2, ... per prompt, scope and target.")
    text: str | None = Field(description="Its block definitions; None for a reset (the layer removed).")
    author: str = Field(description="Who made the change (OS user, --by, or the deployment's by parameter).")
    created_at: datetime | None = None

    @property
    def source(self) -> str:
        """Where a part came from, as ``show`` prints it: ``project acme v2``."""
        return f"{self.scope.replace('_', '-')} {self.target} v{self.version}"


class GeneratedFile(BaseModel):
    path: str
    content: str


AttemptStatus = Literal["succeeded", "failed", "skipped", "running"]


class Attempt(BaseModel):
    """One try of one provider (or a skip), as the ledger recorded it."""

    call_id: int | None = None
    provider: str
    model: str | None = None
    attempt: int = 0
    purpose: str = Field(
        default="generate", description="generate | review | repair | check | fit | parameterize | cache"
    )
    status: AttemptStatus
    error: str | None = Field(default=None, description="Error class and message, redacted.")
    error_kind: str | None = None
    started_at: datetime | None = None
    duration_s: float = 0.0
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None


class Generation(BaseModel):
    """Usable code from one provider."""

    provider: str
    model: str
    files: list[GeneratedFile]
    call_id: int | None = None
    cost_usd: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None


ReviewSeverity = Literal["none", "low", "medium", "high", "critical"]
ReviewRecommendation = Literal["approve", "fix", "reject"]
ReviewOutcome = Literal["approve", "repair", "reject", "no_verdict"]


class ReviewIssue(BaseModel):
    """One problem a reviewer found."""

    description: str = Field(description="What is wrong and why it matters.")
    severity: ReviewSeverity = Field(description="How bad it is.")
    line: int | None = Field(default=None, description="Line in the code, when the reviewer names one.")


class ReviewSummary(BaseModel):
    """What the cross-provider review of one generation decided (and the repair round, if any)."""

    reviewer: str | None = Field(description="The reviewing provider; None when no other one is configured.")
    model: str | None = None
    outcome: ReviewOutcome = Field(description="approve, repair (one round), reject, or no_verdict.")
    recommendation: ReviewRecommendation | None = None
    severity: ReviewSeverity | None = None
    score: float | None = Field(default=None, ge=0, le=100)
    issues: list[ReviewIssue] = Field(default_factory=list)
    repaired: bool = Field(default=False, description="A repair round ran: the final verdict is on repaired code.")
    error: str | None = Field(default=None, description="Why there is no verdict, when there is none.")
    call_ids: list[int] = Field(default_factory=list, description="Ledger rows of the review calls.")
    unreachable: bool = Field(
        default=False,
        description="The reviewer never answered (every try was a provider "
        "error, not a malformed verdict): the flow asks the next provider.",
    )
    passed_over: list[str] = Field(default_factory=list, description="Reviewers tried first that never answered.")


class CodeResult(BaseModel):
    """What the flow returns and ``q2o generate --json`` prints."""

    request_id: str
    status: Literal["succeeded", "failed"]
    source: Literal["llm", "template", "cache"] | None = None
    files: list[GeneratedFile] = Field(default_factory=list)
    provider: str | None = None
    model: str | None = None
    cost_usd: float | None = None
    quality_score: float | None = None
    attempts: list[Attempt] = Field(default_factory=list)
    template_id: str | None = None
    match_score: float | None = Field(default=None, description="Skeleton similarity of the served template.")
    bindings: dict[str, str] | None = Field(default=None, description="Template slot -> the request's name.")
    error: str | None = Field(default=None, description="Short machine-readable reason on failure.")
    unreviewed_template: str | None = Field(
        default=None,
        description="A template that fits but was not served: the work is security-sensitive, so a template hit "
        "needs another provider's review, and none is configured.",
    )
    flags: list[str] = Field(default_factory=list, description="Marks on the request, e.g. prompt_injection.")
    review: ReviewSummary | None = Field(default=None, description="The cross-provider review, when one ran.")
    report_paths: list[str] = Field(default_factory=list)


def cost_unknown(attempt: Attempt) -> bool:
    """A call whose cost nobody knows: no price for its model, or no answer to a request that was sent.

    A skip made no call, so it cost nothing; an unknown cost is never counted as $0.
    """
    return attempt.status != "skipped" and attempt.cost_usd is None


def provider_calls(attempts: list[Attempt]) -> list[Attempt]:
    """The provider calls a request made: its attempts but skips (a provider not asked: no key, an open circuit)
    and the cache hit's $0 row (answered from the cache). The one meaning of "calls" wherever a count is shown
    (the CLI's summary line, the flow's log line, the run's summary artifact)."""
    return [a for a in attempts if a.status != "skipped" and a.purpose != "cache"]


def total_cost(attempts: list[Attempt]) -> float | None:
    """What a request cost: the sum of its attempts, or None when any call's cost is unknown."""
    if any(cost_unknown(a) for a in attempts):
        return None
    return round(sum(a.cost_usd or 0.0 for a in attempts), 6)
