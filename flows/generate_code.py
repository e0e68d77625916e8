"""The ``generate-code`` flow: match -> generate (with failover) -> validate -> learn -> report.

A template that fits is rendered, validated and served at zero cost. Otherwise failover is
Prefect's: each provider of the chain gets one ``generate`` task run with
``Q2O_ATTEMPTS_PER_PROVIDER`` attempts and exponential backoff; when its state is not completed, the
next provider runs. Providers without a key are skipped and the skip is recorded.
"""

from __future__ import annotations

from prefect import flow
from prefect.runtime import flow_run

from codegen.models import CodeRequest, CodeResult, GeneratedFile, Generation, Verdict
from settings import load_settings
from tasks.generate import generate, record_skip
from tasks.learn import learn
from tasks.match import match, record_template_outcome
from tasks.report import report
from tasks.validate import validate


def _run_name() -> str:
    """Readable run names in the UI: ``coder/acme: CRUD API for Customer``."""
    request = flow_run.get_parameters().get("request")
    if isinstance(request, dict):
        request = CodeRequest.model_validate(request)
    if not isinstance(request, CodeRequest):
        return "generate-code"
    return f"{request.agent}/{request.project}: {request.task.splitlines()[0][:60]}"


@flow(name="generate-code", flow_run_name=_run_name)
async def generate_code(request: CodeRequest) -> CodeResult:
    """Generate code for ``request`` from a template or the provider chain and return the result."""
    fit = await match(request)
    if fit is not None:
        files = [GeneratedFile(path=f.path, content=f.content) for f in fit.files]
        checked = await validate(files)
        await record_template_outcome(fit.template_id, checked.passed)
        if checked.passed:
            return await report(request, None, checked, None, fit)

    settings = load_settings()
    chain = request.chain or list(settings.chain)
    generation: Generation | None = None
    verdict: Verdict | None = None
    configured = [p for p in chain if settings.is_configured(p)]
    for provider in chain:
        if provider not in configured:
            await record_skip(request, provider)
            continue
        attempts = generate.with_options(
            retries=settings.attempts_per_provider - 1, retry_delay_seconds=settings.retry_delays()
        )
        state = await attempts(request, provider, return_state=True)
        if not state.is_completed():
            continue
        candidate: Generation = await state.aresult()
        checked = await validate(candidate.files)
        if checked.passed:
            generation, verdict = candidate, checked
            break
    if generation is None:
        error = "no_provider_configured" if not configured else "all_providers_failed"
        return await report(request, None, None, error)
    await learn(request, generation, verdict)
    return await report(request, generation, verdict, None)
