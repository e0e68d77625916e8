"""The check step of the admin flow: one tiny, ledgered call to one provider."""

from __future__ import annotations

import time

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from pydantic import BaseModel

from providers.base import CompletionRequest, ProviderError, redact
from providers.pricing import cost_usd
from providers.registry import make_provider
from settings import load_settings
from storage import CallLedger, open_database

CHECK_SYSTEM = "You are a health check. Answer with the single word OK."
CHECK_PROMPT = "Say OK."


class ProviderCheck(BaseModel):
    provider: str
    model: str
    ok: bool
    detail: str
    latency_s: float | None = None


@task(name="check", task_run_name="check: {provider}", cache_policy=NO_CACHE)
async def check_provider(provider: str) -> ProviderCheck:
    """Call ``provider`` once with a tiny prompt; never raises for a provider error."""
    settings = load_settings()
    model = settings.model_for(provider)
    if not settings.is_configured(provider):
        return ProviderCheck(provider=provider, model=model, ok=False, detail="not configured (no key)")
    secrets = settings.secret_values()
    ledger = CallLedger(open_database(settings.resolved_database_url), secrets=secrets)
    run_id = flow_run.get_id()
    call_id = ledger.start(
        request_id=f"check-{run_id or int(time.time())}", flow_run_id=str(run_id) if run_id else None,
        agent="admin", project="q2o", provider=provider, model=model, attempt=1,
        system_prompt=CHECK_SYSTEM, prompt=CHECK_PROMPT, purpose="check",
    )
    started = time.perf_counter()
    try:
        answer = await make_provider(provider, settings).complete(
            CompletionRequest(system=CHECK_SYSTEM, prompt=CHECK_PROMPT, model=model,
                              max_output_tokens=16, timeout_seconds=min(settings.timeout_seconds, 30))
        )
    except ProviderError as exc:
        detail = redact(f"{type(exc).__name__}: {exc}", secrets)
        latency = time.perf_counter() - started
        ledger.finish(call_id, status="failed", error_kind=exc.kind, error_message=detail,
                      cost_usd=0.0 if exc.status_code is not None else None, latency_s=latency)
        return ProviderCheck(provider=provider, model=model, ok=False, detail=detail, latency_s=latency)
    ledger.finish(
        call_id, status="succeeded", input_tokens=answer.input_tokens, output_tokens=answer.output_tokens,
        cost_usd=cost_usd(answer.model or model, answer.input_tokens, answer.output_tokens),
        latency_s=answer.latency_s, response_text=answer.text, model=answer.model or model,
    )
    return ProviderCheck(provider=provider, model=answer.model or model, ok=True, detail="ok",
                         latency_s=answer.latency_s)
