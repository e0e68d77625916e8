"""The generate step: one provider per task run, every attempt a row in the call ledger.

Prefect owns the retries (``retries``/``retry_delay_seconds`` set per run by the flow from settings);
``retry_unless_permanent`` stops retrying what a retry cannot fix. Unusable output raises
``InvalidOutput`` so it is retried like an error.
"""

from __future__ import annotations

import asyncio
import time

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run, task_run

from codegen.failover import extra_wait_for_retry_after, is_retryable
from codegen.models import CodeRequest, Generation
from codegen.parse import parse_files
from prompts.registry import generation_prompts
from providers.base import CompletionRequest, InvalidOutput, ProviderError, RateLimited, redact
from providers.pricing import cost_usd
from providers.registry import make_provider
from settings import KEY_VARIABLES, load_settings
from storage import CallLedger, open_database
from validation.static import check_syntax


def retry_unless_permanent(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's hook signature
    """Prefect retry condition (must be a plain function): retry unless the error is permanent."""
    exc = state.data if isinstance(state.data, BaseException) else None
    return True if exc is None else is_retryable(exc)


def _flow_run_id() -> str | None:
    run_id = flow_run.get_id()
    return str(run_id) if run_id else None


@task(name="skip", task_run_name="skip: {provider}", cache_policy=NO_CACHE)
async def record_skip(request: CodeRequest, provider: str) -> int:
    """Record in the ledger that a provider without a key was skipped."""
    settings = load_settings()
    ledger = CallLedger(open_database(settings.resolved_database_url), secrets=settings.secret_values())
    reason = f"not configured: set {' or '.join(KEY_VARIABLES[provider])}"
    if provider == "openai":
        reason += " (or Q2O_OPENAI_BASE_URL for an OpenAI-compatible server)"
    return ledger.record_skip(
        request_id=request.request_id, flow_run_id=_flow_run_id(), agent=request.agent,
        project=request.project, provider=provider, model=settings.model_for(provider), reason=reason,
    )


@task(
    name="generate",
    task_run_name="generate: {provider}",
    cache_policy=NO_CACHE,
    retry_condition_fn=retry_unless_permanent,
)
async def generate(request: CodeRequest, provider: str) -> Generation:
    """Ask one provider for the code; raise a ``ProviderError`` (retried by Prefect) on failure."""
    settings = load_settings()
    secrets = settings.secret_values()
    ledger = CallLedger(open_database(settings.resolved_database_url), secrets=secrets)
    attempt = task_run.get_run_count() or 1
    model = settings.model_for(provider)
    system, prompt = generation_prompts(request.task, request.stack, request.agent, request.project)
    call_id = ledger.start(
        request_id=request.request_id, flow_run_id=_flow_run_id(), agent=request.agent,
        project=request.project, provider=provider, model=model, attempt=attempt,
        system_prompt=system, prompt=prompt,
    )
    started = time.perf_counter()
    try:
        completion = await make_provider(provider, settings).complete(
            CompletionRequest(system=system, prompt=prompt, model=model,
                              max_output_tokens=settings.max_output_tokens,
                              timeout_seconds=settings.timeout_seconds)
        )
    except ProviderError as exc:
        ledger.finish(
            call_id, status="failed", error_kind=exc.kind,
            error_message=redact(f"{type(exc).__name__}: {exc}", secrets),
            # An error answer is not billed; with no answer at all we cannot know.
            cost_usd=0.0 if exc.status_code is not None else None,
            latency_s=time.perf_counter() - started,
        )
        if isinstance(exc, RateLimited):
            await asyncio.sleep(extra_wait_for_retry_after(
                exc.retry_after, settings.retry_delays(), attempt, settings.attempts_per_provider))
        raise
    except BaseException as exc:  # a bug or a cancellation must not leave the row "running"
        ledger.finish(call_id, status="failed", error_kind="internal",
                      error_message=redact(f"{type(exc).__name__}: {exc}", secrets),
                      latency_s=time.perf_counter() - started)
        raise

    cost = cost_usd(completion.model or model, completion.input_tokens, completion.output_tokens)
    usage = dict(input_tokens=completion.input_tokens, output_tokens=completion.output_tokens,
                 cost_usd=cost, latency_s=completion.latency_s, response_text=completion.text,
                 model=completion.model or model)
    try:
        if completion.truncated:
            raise InvalidOutput("the answer was cut at the output token cap (Q2O_MAX_OUTPUT_TOKENS)")
        files = parse_files(completion.text, request.stack)
        broken = check_syntax(files)
        if broken:
            first = broken[0]
            raise InvalidOutput(f"invalid Python in {first.file} line {first.line}: {first.message}")
    except InvalidOutput as exc:
        ledger.finish(call_id, status="failed", error_kind=exc.kind,
                      error_message=f"{type(exc).__name__}: {exc}", **usage)
        raise
    ledger.finish(call_id, status="succeeded", **usage)
    return Generation(provider=provider, model=completion.model or model, files=files, call_id=call_id,
                      cost_usd=cost, input_tokens=completion.input_tokens,
                      output_tokens=completion.output_tokens)
