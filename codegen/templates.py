"""Add hand-written code to the template library: held to the bar of generated code before it is served.

Static validation, a provider's review when the task is security-sensitive (a served template is never
reviewed again), then learning (names of the task made into slots). ``q2o templates add`` calls this.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from pydantic import BaseModel, Field

from codegen.calling import CallContext
from codegen.reviewing import NoReviewer, review_if_sensitive
from contracts import GeneratedFile, ReviewSummary
from learning.engine import learn_template
from settings import Settings, UsageError
from storage import Database, TemplateStore
from validation.models import Finding
from validation.static import validate_files


class TemplateRefused(UsageError):
    """The code was not added; the message says why in one line.

    ``review`` is the approving review when the refusal came after it (the code passed review but could not be
    learned), so a caller can still say that the review ran and was paid for.
    """

    def __init__(self, message: str, review: ReviewSummary | None = None) -> None:
        super().__init__(message)
        self.review = review


class ReviewerMissing(TemplateRefused):
    """The task is security-sensitive, so the code needs a provider's review, and no provider is configured."""


class AddedTemplate(BaseModel):
    """What adding the code did."""

    template_id: str
    created: bool = Field(description="False: a stored template has this code; the task is one more phrasing of it.")
    name: str = Field(description="The stored template's name (stack and phrasing).")
    slots: dict[str, list[str]] = Field(description="Each slot of the template and the words it was made from.")
    validation_score: float = Field(description="The static validation score of the code.")
    quality_score: float = Field(description="The score stored with the template: the lower of validation and review.")
    review: ReviewSummary | None = Field(default=None, description="The approving review; None when none was needed.")


async def add_template(
    db: Database,
    settings: Settings,
    task: str,
    stack: list[str],
    files: Sequence[GeneratedFile],
    *,
    review: bool = True,
    origin: str = "manual",
    author: str | None = None,
) -> AddedTemplate:
    """Check ``files`` as a generation would be checked and store them as a template of ``task``.

    ``review=False``: the caller vouches for a security-sensitive task's code, no provider is asked. ``author``:
    the provider that wrote the code (a promoted answer), which does not review it.
    Raises ``TemplateRefused`` (``ReviewerMissing`` when a review is needed and nobody can give it).
    """
    verdict = validate_files(list(files), min_quality=settings.min_quality)
    if not verdict.passed:
        raise TemplateRefused(_validation_refusal(verdict.score, settings.min_quality, verdict.findings))
    summary = await _review(settings, task, stack, files, verdict.findings, author) if review else None
    score = verdict.score if summary is None else min(verdict.score, float(summary.score or 0.0))
    outcome = learn_template(
        db,
        task,
        stack,
        [GeneratedFile(path=f.path, content=f.content) for f in files],
        quality_score=score,
        origin=origin,
    )
    if not outcome.learned or outcome.template_id is None:
        raise TemplateRefused(f"not added: {outcome.reason}", review=summary)
    record = TemplateStore(db).get(outcome.template_id)
    return AddedTemplate(
        template_id=outcome.template_id,
        created=outcome.created,
        name=record.name if record else "",
        slots={s["name"]: list(s["words"]) for s in record.slots} if record else {},
        validation_score=verdict.score,
        quality_score=score,
        review=summary,
    )


def _validation_refusal(score: float, minimum: float, findings: Sequence[Finding]) -> str:
    worst = [f for f in findings if f.severity in ("high", "medium")][:3] or list(findings[:3])
    found = "; ".join(f"{f.severity} {f.rule} at {f.file}:{f.line} ({f.message})" for f in worst)
    return f"the code fails static validation: score {score:.0f} (minimum {minimum:.0f}); {found}"


async def _review(
    settings: Settings,
    task: str,
    stack: list[str],
    files: Sequence[GeneratedFile],
    findings: Sequence[Finding],
    author: str | None,
) -> ReviewSummary | None:
    """The approving review a security-sensitive task's code needs (None: none needed), or a refusal."""
    context = CallContext(request_id=f"template-add-{uuid.uuid4().hex}", flow_run_id=None, agent="admin", project="q2o")
    try:
        summary = await review_if_sensitive(settings, context, task, stack, files, findings, author=author)
    except NoReviewer as exc:
        raise ReviewerMissing(f"not added: {exc}") from None
    if summary is not None and summary.outcome != "approve":
        issues = "; ".join(i.description for i in summary.issues[:3])
        why = summary.error or f"recommendation {summary.recommendation}, severity {summary.severity}"
        raise TemplateRefused(
            f"not added: the {summary.reviewer} review did not approve the code ({why})"
            + (f": {issues}" if issues else "")
        )
    return summary
