"""The check step of the admin flow: one tiny call to one provider, ledgered and budgeted like any call."""

from __future__ import annotations

import time

from prefect.runtime import flow_run
from pydantic import BaseModel

from codegen.calling import CallContext, LedgeredCall, ledgered_call
from providers.base import Completion, ProviderError, redact
from settings import load_settings
from tasks.defaults import forge_task

CHECK_SYSTEM = "You are a health check. Answer with the single word OK."
CHECK_PROMPT = "Say OK."


class ProviderCheck(BaseModel):
    provider: str
    model: str
    ok: bool
    detail: str
    latency_s: float | None = None


@forge_task("check", "check: {provider}")
async def check_provider(provider: str) -> ProviderCheck:
    """Call ``provider`` once with a tiny prompt; never raises for a provider error."""
    settings = load_settings()
    model = settings.model_for(provider)
    if not settings.is_configured(provider):
        return ProviderCheck(provider=provider, model=model, ok=False, detail="not configured (no key)")
    run_id = flow_run.get_id()
    context = CallContext(
        request_id=f"check-{run_id or int(time.time())}",
        flow_run_id=str(run_id) if run_id else None,
        agent="admin",
        project="q2o",
    )
    started = time.perf_counter()
    try:  # through the one door: ledgered and held against the budget like every call
        call: LedgeredCall[Completion] = await ledgered_call(
            settings, context, provider, system=CHECK_SYSTEM, prompt=CHECK_PROMPT, purpose="check", max_output_tokens=16
        )
    except ProviderError as exc:
        detail = redact(f"{type(exc).__name__}: {exc}", settings.secret_values())
        return ProviderCheck(
            provider=provider, model=model, ok=False, detail=detail, latency_s=time.perf_counter() - started
        )
    return ProviderCheck(provider=provider, model=call.model, ok=True, detail="ok", latency_s=call.completion.latency_s)
