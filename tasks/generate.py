"""The generate step: one provider per task run, every attempt a row in the call ledger.

Prefect owns the retries (``retries``/``retry_delay_seconds`` set per run by the flow from settings);
``retry_unless_permanent`` stops retrying what a retry cannot fix. Unusable output raises
``InvalidOutput`` so it is retried like an error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from prefect.context import TaskRunContext
from prefect.runtime import flow_run, task_run

from codegen.calling import CallContext, ledgered_call
from codegen.failover import extra_wait_for_retry_after, is_retryable
from codegen.parse import parse_files
from codegen.prompt_layers import generation_prompts_for
from contracts import CodeRequest, GeneratedFile, Generation
from providers.base import Completion, InvalidOutput, RateLimited
from providers.registry import spec_for
from settings import load_settings
from storage import CallLedger, open_database
from tasks.defaults import forge_task
from validation.static import check_syntax


def retry_unless_permanent(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's hook signature
    """Prefect retry condition (must be a plain function): retry unless the error is permanent."""
    exc = state.data if isinstance(state.data, BaseException) else None
    return True if exc is None else is_retryable(exc)


def _flow_run_id() -> str | None:
    run_id = flow_run.get_id()
    return str(run_id) if run_id else None


def call_context(request: CodeRequest) -> CallContext:
    """The ledger context of a call made for ``request`` inside the current flow run."""
    return CallContext(
        request_id=request.request_id, flow_run_id=_flow_run_id(), agent=request.agent, project=request.project
    )


def usable_files_for(request: CodeRequest) -> Callable[[Completion], list[GeneratedFile]]:
    """The ``accept`` check of a code answer: files parsed for the request's stack, Python that parses."""

    def usable_files(completion: Completion) -> list[GeneratedFile]:
        files = parse_files(completion.text, request.stack)
        broken = check_syntax(files)
        if broken:
            first = broken[0]
            raise InvalidOutput(f"invalid Python in {first.file} line {first.line}: {first.message}")
        return files

    return usable_files


@forge_task("skip", "skip: {provider}")
async def record_skip(
    request: CodeRequest, provider: str, reason: str | None = None, *, kind: str = "budget_exhausted"
) -> int:
    """Record in the ledger that a provider was skipped: no key, or not called for ``reason``, of ``kind``
    (no budget left; its circuit open)."""
    settings = load_settings()
    ledger = CallLedger(open_database(settings.resolved_database_url), secrets=settings.secret_values())
    if reason is not None:
        reason = f"not called: {reason}"
    else:
        reason, kind = f"not configured: {spec_for(provider).how_to_configure()}", "not_configured"
    return ledger.record_skip(
        request_id=request.request_id,
        flow_run_id=_flow_run_id(),
        agent=request.agent,
        project=request.project,
        provider=provider,
        model=settings.model_for(provider),
        reason=reason,
        kind=kind,
    )


@forge_task("generate", "generate: {provider}", retry_condition_fn=retry_unless_permanent)
async def generate(request: CodeRequest, provider: str, refused: list[str] | None = None) -> Generation:
    """Ask one provider for the code; raise a ``ProviderError`` (retried by Prefect) on failure. ``refused``:
    the findings for which static validation refused an earlier answer of this request (the prompt says them)."""
    settings = load_settings()
    attempt = task_run.get_run_count() or 1
    context = TaskRunContext.get()
    # This run's own attempts: a circuit's probe is one (retries=0), whatever Q2O_ATTEMPTS_PER_PROVIDER says.
    attempts = context.task.retries + 1 if context is not None else settings.attempts_per_provider
    system, prompt = generation_prompts_for(settings, request, refused or ())

    try:
        call = await ledgered_call(
            settings,
            call_context(request),
            provider,
            system=system,
            prompt=prompt,
            attempt=attempt,
            accept=usable_files_for(request),
            flags=request.flags,
        )
    except RateLimited as exc:
        await asyncio.sleep(extra_wait_for_retry_after(exc.retry_after, settings.retry_delays(), attempt, attempts))
        raise
    return Generation(
        provider=provider,
        model=call.model,
        files=call.value,
        call_id=call.call_id,
        cost_usd=call.cost_usd,
        input_tokens=call.completion.input_tokens,
        output_tokens=call.completion.output_tokens,
    )
