"""The review and repair steps: a second provider judges sensitive code; the generator gets one repair round.

Both call through ``ledgered_call`` (purpose ``review`` / ``repair``), so they are ledgered, budgeted
and carry the request's flags like any call. A malformed verdict is asked for once more; a second one
means "no verdict", which the flow treats as a rejection (fail closed).
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from codegen.calling import ledgered_call
from codegen.models import CodeRequest, Generation, ReviewSummary
from providers.base import Completion, InvalidOutput, MalformedResponse, ProviderError
from settings import load_settings
from tasks.generate import call_context, retry_unless_permanent, usable_files_for
from validation.review import (
    VERDICT_SCHEMA,
    ReviewVerdict,
    decide,
    no_reviewer_reason,
    parse_verdict,
    repair_prompts,
    review_prompts,
)

VERDICT_TRIES = 2


def _verdict_of(completion: Completion) -> ReviewVerdict:
    return parse_verdict(completion.text)


@task(name="review", task_run_name="review: {reviewer}", cache_policy=NO_CACHE)
async def review(request: CodeRequest, generation: Generation, reviewer: str | None) -> ReviewSummary:
    """Ask ``reviewer`` for a structured verdict on ``generation``; no verdict after two malformed ones."""
    settings = load_settings()
    if reviewer is None:
        return ReviewSummary(reviewer=None, outcome="no_verdict",
                             error=no_reviewer_reason(request.chain, generation.provider, settings))
    system, prompt = review_prompts(request.task, request.stack, generation.files)
    call_ids: list[int] = []
    errors: list[str] = []
    answered = False  # a malformed verdict is an answer; only provider errors mean "unreachable"
    for attempt in range(1, VERDICT_TRIES + 1):
        try:
            call = await ledgered_call(settings, call_context(request), reviewer, system=system, prompt=prompt,
                                       purpose="review", attempt=attempt, accept=_verdict_of,
                                       json_schema=VERDICT_SCHEMA, flags=request.flags)
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
            reviewer=reviewer, model=call.model, outcome=decide(verdict), recommendation=verdict.recommendation,
            severity=verdict.worst_severity, score=verdict.score, issues=verdict.issues,
            call_ids=[*call_ids, call.call_id],
        )
    return ReviewSummary(reviewer=reviewer, model=settings.model_for(reviewer), outcome="no_verdict",
                         error=f"no verdict after {len(errors)} tries: {errors[-1]}", unreachable=not answered,
                         call_ids=call_ids)


@task(name="repair", task_run_name="repair: {generation.provider}", cache_policy=NO_CACHE,
      retry_condition_fn=retry_unless_permanent)
async def repair(request: CodeRequest, generation: Generation, summary: ReviewSummary) -> Generation:
    """The generator rewrites its code with the review's issues (one repair round)."""
    settings = load_settings()
    provider = generation.provider
    system, prompt = repair_prompts(request.task, request.stack, request.agent, request.project,
                                    generation.files, summary.issues)
    call = await ledgered_call(settings, call_context(request), provider, system=system, prompt=prompt,
                               purpose="repair", accept=usable_files_for(request), flags=request.flags)
    return Generation(provider=provider, model=call.model, files=call.value, call_id=call.call_id,
                      cost_usd=call.cost_usd, input_tokens=call.completion.input_tokens,
                      output_tokens=call.completion.output_tokens)
