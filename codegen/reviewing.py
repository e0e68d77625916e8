"""One cross-provider review of some code: a structured verdict, asked for once more when malformed.

Plain Python (no Prefect): the ``review`` task calls it for a generation, and ``codegen.templates`` for
hand-written code of a security-sensitive task. Every try goes through ``ledgered_call`` (purpose
``review``), so it is ledgered and budgeted like any call.
"""

from __future__ import annotations

from collections.abc import Sequence

from codegen.calling import CallContext, ledgered_call
from codegen.circuit import admit, after_answer, after_failure
from codegen.prompt_layers import layers_for
from contracts import CodeRequest, GeneratedFile, ReviewSummary
from providers.base import Completion, InvalidOutput, MalformedResponse, ProviderError
from settings import Settings
from storage import CallLedger, open_database
from validation.injection import injection_flags
from validation.models import Finding
from validation.review import VERDICT_SCHEMA, ReviewVerdict, decide, is_sensitive, parse_verdict, review_prompts

VERDICT_TRIES = 2


class NoReviewer(Exception):
    """A review is needed and no provider is configured to give it."""


def _verdict_of(completion: Completion) -> ReviewVerdict:
    return parse_verdict(completion.text)


async def review_code(
    settings: Settings,
    context: CallContext,
    reviewer: str,
    task: str,
    stack: Sequence[str],
    files: Sequence[GeneratedFile],
    flags: list[str] | None = None,
    request: CodeRequest | None = None,
) -> ReviewSummary:
    """Ask ``reviewer`` for a verdict on ``files``; "no verdict" after two malformed answers or a permanent error.

    Under ``request``'s prompt layers when it is given. ``unreachable`` is set when the reviewer never answered
    (provider errors only), so a caller may ask another. The reviewer's circuit is the generator's: an open one
    is not asked (a ``circuit_open`` skip in the ledger, purpose ``review``), a half-open one is asked once as
    its probe, and an outage opens it for every caller.
    """
    gate = admit(settings, reviewer)
    if gate.skip is not None:
        CallLedger(open_database(settings.resolved_database_url), secrets=settings.secret_values()).record_skip(
            request_id=context.request_id,
            flow_run_id=context.flow_run_id,
            agent=context.agent,
            project=context.project,
            provider=reviewer,
            model=settings.model_for(reviewer),
            reason=f"not called: {gate.skip}",
            kind="circuit_open",
            purpose="review",
        )
        return ReviewSummary(
            reviewer=reviewer,
            model=settings.model_for(reviewer),
            outcome="no_verdict",
            error=f"not asked: {gate.skip}",
            unreachable=True,
        )
    layers = layers_for(settings, request) if request is not None else []  # hand-written code: system prompts
    system, prompt = review_prompts(task, list(stack), list(files), request=request, layers=layers)
    call_ids: list[int] = []
    errors: list[str] = []
    answered = False  # a malformed verdict is an answer; only provider errors mean "unreachable"
    last: ProviderError | None = None
    retries = 1 if gate.probe is not None else VERDICT_TRIES  # a probe is one call
    for attempt in range(1, retries + 1):
        try:
            call = await ledgered_call(
                settings,
                context,
                reviewer,
                system=system,
                prompt=prompt,
                purpose="review",
                attempt=attempt,
                accept=_verdict_of,
                json_schema=VERDICT_SCHEMA,
                flags=flags,
            )
        except ProviderError as exc:  # malformed verdict or a failed call: ask once more, then give up
            errors.append(f"{type(exc).__name__}: {exc}")
            last = exc
            if exc.call_id is not None:
                call_ids.append(exc.call_id)
            answered = answered or isinstance(exc, InvalidOutput | MalformedResponse)
            if not exc.retryable and not isinstance(exc, InvalidOutput | MalformedResponse):
                break  # a 401 or a budget refusal: asking again cannot help
            continue
        after_answer(settings, reviewer)
        verdict = call.value
        return ReviewSummary(
            reviewer=reviewer,
            model=call.model,
            outcome=decide(verdict),
            recommendation=verdict.recommendation,
            severity=verdict.worst_severity,
            score=verdict.score,
            issues=verdict.issues,
            call_ids=[*call_ids, call.call_id],
        )
    if answered:
        after_answer(settings, reviewer)  # alive: its verdicts were malformed
    else:
        after_failure(settings, reviewer, last, probe=gate.probe, failed_calls=len(errors))
    return ReviewSummary(
        reviewer=reviewer,
        model=settings.model_for(reviewer),
        outcome="no_verdict",
        error=f"no verdict after {len(errors)} tries: {errors[-1]}",
        unreachable=not answered,
        call_ids=call_ids,
    )


async def review_if_sensitive(
    settings: Settings,
    context: CallContext,
    task: str,
    stack: Sequence[str],
    files: Sequence[GeneratedFile],
    findings: Sequence[Finding],
    *,
    author: str | None = None,
) -> ReviewSummary | None:
    """Code that will be served without a review (a template added by hand) is reviewed first when its task
    is security-sensitive, as a generation would be: by the first configured provider of Q2O_CHAIN that
    answers, never ``author`` (the provider that wrote it, for a promoted answer). None: no review needed.
    Raises ``NoReviewer`` when one is needed and no provider is configured."""
    flags = injection_flags(task)
    if not (settings.cross_validate and is_sensitive(task, findings, settings.sensitive_keywords, flags)):
        return None
    reviewers = [p for p in settings.chain if settings.is_configured(p) and p != author]
    if not reviewers:
        other = f" other than {author}, which wrote it" if author else ""
        raise NoReviewer(
            f"this task is security-sensitive, so its code needs a provider's review, and no provider{other} is "
            "configured"
        )
    summary: ReviewSummary | None = None
    for reviewer in reviewers:  # the first that answers; one that never answers passes it on
        summary = await review_code(settings, context, reviewer, task, stack, files, flags=flags)
        if not summary.unreachable:
            break
    return summary
