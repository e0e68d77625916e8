"""One cross-provider review of some code: a structured verdict, asked for once more when malformed.

Plain Python (no Prefect): the ``review`` task calls it for a generation, and ``codegen.templates`` for
hand-written code of a security-sensitive task. Every try goes through ``ledgered_call`` (purpose
``review``), so it is ledgered and budgeted like any call.
"""

from __future__ import annotations

from collections.abc import Sequence

from codegen.calling import CallContext, ledgered_call
from codegen.prompt_layers import layers_for
from contracts import CodeRequest, GeneratedFile, ReviewSummary
from providers.base import Completion, InvalidOutput, MalformedResponse, ProviderError
from settings import Settings
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
    (provider errors only), so a caller may ask another.
    """
    layers = layers_for(settings, request) if request is not None else []  # hand-written code: system prompts
    system, prompt = review_prompts(task, list(stack), list(files), request=request, layers=layers)
    call_ids: list[int] = []
    errors: list[str] = []
    answered = False  # a malformed verdict is an answer; only provider errors mean "unreachable"
    for attempt in range(1, VERDICT_TRIES + 1):
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
            if exc.call_id is not None:
                call_ids.append(exc.call_id)
            answered = answered or isinstance(exc, InvalidOutput | MalformedResponse)
            if not exc.retryable and not isinstance(exc, InvalidOutput | MalformedResponse):
                break  # a 401 or a budget refusal: asking again cannot help
            continue
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
