"""The request's ``CodeResult``, assembled from the call ledger (plain Python, no Prefect).

The flow builds a succeeded result itself; the ``report`` task builds a failed one and writes the
failure report for it. Either way the attempts come from the ledger, so the result shows every call.
"""

from __future__ import annotations

from contracts import Attempt, CodeRequest, CodeResult, GeneratedFile, Generation, ReviewSummary, total_cost
from learning.engine import TemplateMatch
from settings import Settings
from storage import CallLedger, CallRecord, CallVerdict, open_database
from validation.models import Verdict

REJECTED_KIND = "rejected_by_review"
INVALID_KIND = "failed_validation"


def _attempt(record: CallRecord) -> Attempt:
    """One ledger row as an attempt; an answer the review or static validation rejected is a failed attempt."""
    return Attempt(
        call_id=record.id,
        provider=record.provider,
        model=record.model,
        attempt=record.attempt,
        purpose=record.purpose,
        status="failed" if record.verdict else record.status,
        error=record.verdict_reason if record.verdict else record.error_message,
        error_kind=record.verdict or record.error_kind,
        started_at=record.created_at,
        duration_s=round(record.latency_s or 0.0, 3),
        input_tokens=record.input_tokens,
        output_tokens=record.output_tokens,
        cost_usd=record.cost_usd,
    )


def _ledger(settings: Settings) -> CallLedger:
    return CallLedger(open_database(settings.resolved_database_url), secrets=settings.secret_values())


def request_attempts(settings: Settings, request: CodeRequest) -> list[Attempt]:
    """Every ledger row of ``request`` as an attempt, oldest first, with the verdicts the ledger holds."""
    return [_attempt(r) for r in _ledger(settings).for_request(request.request_id)]


def record_verdict(settings: Settings, call_id: int | None, verdict: CallVerdict, reason: str) -> None:
    """Keep in the ledger that the answer of call ``call_id`` was rejected, and why."""
    if call_id is not None:
        _ledger(settings).set_verdict(call_id, verdict, reason)


def final_error_text(attempts: list[Attempt], error: str) -> str:
    """One line that says why the request failed, from its last real failure."""
    failed = [a for a in attempts if a.status == "failed"]
    rejected = [a for a in failed if a.error_kind == REJECTED_KIND]
    if error == REJECTED_KIND and rejected:  # the review's reason, not a malformed review call's
        failed = rejected
    if failed:
        last = failed[-1]
        return f"{error}: last attempt {last.provider} #{last.attempt}: {last.error}"
    skipped = [a for a in attempts if a.status == "skipped"]
    budget = [a for a in skipped if a.error_kind == "budget_exhausted"]
    if budget:  # template-only mode: one reason for every provider
        # The reason names the scope and how it lifts (a daily limit resets; a month is raised or ends).
        return f"{error}: {budget[0].error} (no template fit, so nothing was served)"
    if skipped:
        return f"{error}: " + "; ".join(f"{a.provider} {a.error}" for a in skipped)
    return error


def template_result(
    request: CodeRequest, attempts: list[Attempt], template: TemplateMatch, verdict: Verdict
) -> CodeResult:
    """A request served from ``template`` (validated by ``verdict``): no provider call, cost 0."""
    return CodeResult(
        request_id=request.request_id,
        status="succeeded",
        source="template",
        files=[GeneratedFile(path=f.path, content=f.content) for f in template.files],
        cost_usd=0.0,
        quality_score=verdict.score,
        attempts=attempts,
        template_id=template.template_id,
        match_score=template.score,
        bindings={k: " ".join(v) for k, v in template.bindings.items()},
        flags=list(request.flags),
    )


def llm_result(
    request: CodeRequest,
    attempts: list[Attempt],
    generation: Generation | None,
    verdict: Verdict | None,
    error: str | None,
    review: ReviewSummary | None = None,
) -> CodeResult:
    """A request answered by ``generation`` (succeeded), or failed with the machine-readable ``error``."""
    return CodeResult(
        request_id=request.request_id,
        status="succeeded" if generation else "failed",
        source="llm" if generation else None,
        files=generation.files if generation else [],
        provider=generation.provider if generation else None,
        model=generation.model if generation else None,
        cost_usd=total_cost(attempts),
        quality_score=verdict.score if verdict and generation else None,
        attempts=attempts,
        error=None if generation else error,
        flags=list(request.flags),
        review=review,
    )
