"""The review and repair steps: a second provider judges sensitive code; the generator gets one repair round.

Both call through ``ledgered_call`` (purpose ``review`` / ``repair``), so they are ledgered, budgeted
and carry the request's flags like any call. A malformed verdict is asked for once more; a second one
means "no verdict", which the flow treats as a rejection (fail closed).
"""

from __future__ import annotations

from codegen.calling import ledgered_call
from codegen.prompt_layers import layers_for
from codegen.reviewing import review_code
from contracts import CodeRequest, Generation, ReviewSummary
from settings import load_settings
from tasks.defaults import forge_task
from tasks.generate import call_context, retry_unless_permanent, usable_files_for
from validation.review import no_reviewer_reason, repair_prompts


@forge_task("review", "review: {reviewer}")
async def review(request: CodeRequest, generation: Generation, reviewer: str | None) -> ReviewSummary:
    """Ask ``reviewer`` for a structured verdict on ``generation``; no verdict after two malformed ones."""
    settings = load_settings()
    if reviewer is None:
        return ReviewSummary(
            reviewer=None, outcome="no_verdict", error=no_reviewer_reason(request.chain, generation.provider, settings)
        )
    return await review_code(
        settings,
        call_context(request),
        reviewer,
        request.task,
        request.stack,
        generation.files,
        flags=request.flags,
        request=request,
    )


@forge_task("repair", "repair: {generation.provider}", retry_condition_fn=retry_unless_permanent)
async def repair(request: CodeRequest, generation: Generation, summary: ReviewSummary) -> Generation:
    """The generator rewrites its code with the review's issues (one repair round)."""
    settings = load_settings()
    provider = generation.provider
    system, prompt = repair_prompts(request, generation.files, summary.issues, layers_for(settings, request))
    call = await ledgered_call(
        settings,
        call_context(request),
        provider,
        system=system,
        prompt=prompt,
        purpose="repair",
        accept=usable_files_for(request),
        flags=request.flags,
    )
    return Generation(
        provider=provider,
        model=call.model,
        files=call.value,
        call_id=call.call_id,
        cost_usd=call.cost_usd,
        input_tokens=call.completion.input_tokens,
        output_tokens=call.completion.output_tokens,
    )
