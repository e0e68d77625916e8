"""What static validation finds: one ``Finding`` per problem, one ``Verdict`` per set of files."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["info", "low", "medium", "high"]


class Finding(BaseModel):
    """One problem the static validator found."""

    rule: str = Field(description='Rule name, e.g. "syntax", "ruff:F821", "bandit:B602", "sql-injection".')
    severity: Severity
    file: str | None = None
    line: int | None = None
    message: str


class Verdict(BaseModel):
    """The validator's judgement of a set of files."""

    passed: bool
    score: float = Field(ge=0, le=100)
    findings: list[Finding] = Field(default_factory=list)
    not_checked: list[str] = Field(
        default_factory=list, description="Files in a language the validator cannot check (never silently passed)."
    )
