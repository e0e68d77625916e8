"""The ``generate-code`` flow: match -> generate (with failover) -> validate -> review -> learn, or -> report.

A template that fits is rendered, validated and served at zero cost. Otherwise failover is
Prefect's: each provider of the chain gets one ``generate`` task run with
``Q2O_ATTEMPTS_PER_PROVIDER`` attempts and exponential backoff; when its state is not completed, the
next provider runs. Providers without a key are skipped and the skip is recorded.

Security-sensitive or injection-flagged requests (with ``Q2O_CROSS_VALIDATE`` on) are reviewed by the
next healthy provider; "fix" buys one repair round. Output that fails validation or review counts as a
failed attempt of its provider and the chain goes on; the ledger row of that call keeps the verdict and why,
so the result, ``q2o calls`` and the report read one story. Non-sensitive requests run no extra task.
The steps fold into a ``ChainOutcome``; ``failure_kind`` names why a request failed.

A succeeded request ends with its result, assembled from the ledger in the flow; only a failed one runs the
``report`` task, which writes the failure report. (One task run costs 5–8 ms of Prefect's bookkeeping
here: ``bench/overhead.py``.)
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time

from prefect import Task, flow
from prefect.artifacts import acreate_markdown_artifact
from prefect.client.orchestration import PrefectClient
from prefect.context import FlowRunContext
from prefect.states import State

from budget import BudgetExhausted, exhausted_reason
from codegen.cache import cached_result, keep_result
from codegen.circuit import admit, after_answer, after_failure
from codegen.outcome import ChainOutcome, failure_kind
from codegen.result import llm_result, record_verdict, request_attempts, template_result
from contracts import CodeRequest, CodeResult, GeneratedFile, Generation, ReviewSummary, provider_calls
from flows.admission import admitted
from flows.logs import forward_q2o_logs
from flows.states import failed, result_of
from learning.engine import TemplateMatch
from reports.run_summary import run_summary_markdown
from settings import Settings, load_settings, settings_in_force
from storage import RequestLog, open_database
from tasks.config import run_settings
from tasks.generate import generate, record_skip
from tasks.learn import learn
from tasks.match import match, record_template_outcome
from tasks.report import report
from tasks.review import repair, review
from tasks.validate import validate
from validation.injection import injection_flags
from validation.models import Verdict
from validation.review import is_sensitive, reviewer_order

forward_q2o_logs()  # q2o.* logs reach the run they happen in


def _flow_run_id() -> str | None:
    context = FlowRunContext.get()
    return str(context.flow_run.id) if context is not None and context.flow_run is not None else None


def run_name(request: CodeRequest) -> str:
    """The run's readable name in the UI: ``coder/acme: CRUD API for Customer``."""
    return f"{request.agent}/{request.project}: {request.task.strip().splitlines()[0][:60]}"


async def _name_run(name: str) -> None:
    """Rename the current flow run; best effort (a run keeps Prefect's generated name if this fails).

    Done from inside the run, concurrently with the first steps, instead of with ``flow_run_name=``: Prefect
    resolves that before the run starts, through a client and a server read of its own (about 25 ms a run here).
    """
    context = FlowRunContext.get()
    if context is None or context.flow_run is None or not isinstance(context.client, PrefectClient):
        return  # no run, or no async client to await (an async flow has one)
    try:
        await context.client.set_flow_run_name(context.flow_run.id, name)
    except Exception as exc:  # noqa: BLE001 - the name is cosmetic; the request must not fail for it
        logging.getLogger("q2o.flow").warning("could not name flow run %s: %s", context.flow_run.id, exc)


@functools.lru_cache(maxsize=32)
def _generate_with_retries(retries: int, delays: tuple[float, ...]) -> Task:
    """The generate task with the configured retries (one Task object per setting, not one per run)."""
    return generate.with_options(retries=retries, retry_delay_seconds=list(delays))


def _needs_review(request: CodeRequest, verdict: Verdict, settings: Settings) -> bool:
    return settings.cross_validate and is_sensitive(
        request.task, verdict.findings, settings.sensitive_keywords, request.flags
    )


async def _reviewed(
    request: CodeRequest, generation: Generation, verdict: Verdict, reviewers: list[str]
) -> tuple[Generation, Verdict, ReviewSummary]:
    """Review ``generation``; on "fix", one repair round (regenerate, validate, review again)."""
    summary = await _review_or_no_verdict(request, generation, reviewers)
    if summary.outcome != "repair":
        return generation, verdict, summary
    # Prefect types an async task's return_state=True call as a State; it is a coroutine that gives one.
    state = await repair(request, generation, summary, return_state=True)  # type: ignore[misc]
    if not state.is_completed():
        return (
            generation,
            verdict,
            summary.model_copy(update={"outcome": "reject", "error": "the repair round produced no usable code"}),
        )
    repaired: Generation = await state.aresult()
    checked = await validate(repaired.files)
    if not checked.passed:
        return (
            repaired,
            checked,
            summary.model_copy(
                update={"outcome": "reject", "repaired": True, "error": "the repaired code failed static validation"}
            ),
        )
    # The same reviewer judges the repair (then the others, should it have gone away meanwhile).
    again = [summary.reviewer] + [r for r in reviewers if r != summary.reviewer] if summary.reviewer else reviewers
    second = await _review_or_no_verdict(request, repaired, again)
    # After the one repair round the verdict is final: anything but approve (even another "fix") rejects.
    outcome = second.outcome if second.outcome in ("approve", "no_verdict") else "reject"
    return (
        repaired,
        checked,
        second.model_copy(
            update={"outcome": outcome, "repaired": True, "call_ids": summary.call_ids + second.call_ids}
        ),
    )


async def _review_or_no_verdict(request: CodeRequest, generation: Generation, reviewers: list[str]) -> ReviewSummary:
    """The first verdict of ``reviewers`` in order: a reviewer that never answers (provider errors only)
    passes the review to the next one. A crashed review or a malformed verdict is no verdict (fail closed)."""
    passed_over: list[str] = []
    call_ids: list[int] = []
    summary: ReviewSummary | None = None
    order: list[str | None] = [*reviewers] or [None]  # None: the review task says no other provider can review
    for reviewer in order:
        # Prefect types an async task's return_state=True call as a State; it is a coroutine that gives one.
        state = await review(request, generation, reviewer, return_state=True)  # type: ignore[misc]
        if not state.is_completed():
            return ReviewSummary(
                reviewer=reviewer,
                outcome="no_verdict",
                passed_over=passed_over,
                error=f"the review failed: {state.message}",
            )
        summary = await state.aresult()
        call_ids += summary.call_ids
        summary = summary.model_copy(update={"passed_over": list(passed_over), "call_ids": list(call_ids)})
        if not summary.unreachable or reviewer is None:  # None comes alone: there is no next one to ask
            return summary
        passed_over.append(reviewer)
    assert summary is not None  # the loop ran at least once
    return summary


@flow(name="generate-code", validate_parameters=False)
async def generate_code(request: CodeRequest) -> CodeResult | State[CodeResult]:
    """Generate code for ``request`` from a template or the provider chain. A succeeded request completes with
    its result; a failed one ends Failed, its message the error, the result attached (``run_request``)."""
    # Validated here, not by Prefect (which builds a pydantic model of the signature for every run, ~2 ms):
    # a deployment run passes the request as a dict; a CodeRequest passes through as it is.
    request = CodeRequest.model_validate(request)
    started = time.perf_counter()
    naming = asyncio.ensure_future(_name_run(run_name(request)))
    try:
        result = await _generate(request)
    finally:
        await naming
    await _show_work(request, result, time.perf_counter() - started)
    return result if result.status == "succeeded" else failed(result.error or "failed", result)


async def _show_work(request: CodeRequest, result: CodeResult, duration_s: float) -> None:
    """The run's summary in the UI (a markdown artifact) and one log line; best effort, never fails a request."""
    log = logging.getLogger("q2o.flow")
    cost = "unknown" if result.cost_usd is None else f"${result.cost_usd:.6f}"
    made_by = " ".join(x for x in (result.provider or result.template_id, result.model) if x) or "-"
    log.info(
        "%s from %s (%s), cost %s, score %s, %d calls, %.2f s",
        result.status,
        result.source or "nothing",
        made_by,
        cost,
        result.quality_score,
        len(provider_calls(result.attempts)),
        duration_s,
    )
    if FlowRunContext.get() is None:
        return
    try:
        await acreate_markdown_artifact(
            markdown=run_summary_markdown(result, request.task, duration_s),
            description=f"{result.status}: {result.source or result.error}",
        )
    except Exception as exc:  # noqa: BLE001 - the summary is for people; the request's result stands without it
        log.warning("could not publish the run summary: %s", exc)


async def run_request(request: CodeRequest) -> CodeResult:
    """Run the generate-code flow and return its ``CodeResult``, whether the run Completed or Failed.

    Runs asked for together in one process take turns for its run slots (``flows/admission.py``): on a SQLite
    Prefect server, runs at once stall on its lock for seconds."""
    async with admitted(load_settings()):
        state = await generate_code(request, return_state=True)
    result: CodeResult = await result_of(state)
    return result


async def _generate(request: CodeRequest) -> CodeResult:
    """The flow's steps for a validated request (the flow around it names the run), with the settings read at
    the run's start: the stored overrides for its agent and project and its own chain over the environment's.
    Every step of the run sees them (``load_settings``); a change is seen by the next run."""
    settings = await run_settings(request.agent, request.project, request.chain)
    with settings_in_force(settings):
        return await _generate_with(request, settings)


async def _generate_with(request: CodeRequest, settings: Settings) -> CodeResult:
    request = _with_injection_flags(request)
    # Kept before any step, so a request that crashes later can still be re-run by id.
    RequestLog(open_database(settings.resolved_database_url)).record(request, _flow_run_id())
    served = await _serve_without_a_call(request, settings)
    if isinstance(served, CodeResult):
        return served
    outcome = ChainOutcome(configured=[p for p in _chain(request, settings) if settings.is_configured(p)])
    refused = await _template_only_mode(request, outcome, settings)
    if refused is not None:
        return refused
    for provider in _chain(request, settings):
        result = await _try_provider(request, provider, outcome, settings)
        if result is not None:
            return result
    failed: CodeResult = await report(request, failure_kind(outcome), review=outcome.last_review)
    if served is not None and failed.error == "no_provider_configured":
        return failed.model_copy(update={"unreviewed_template": served})
    return failed


def _with_injection_flags(request: CodeRequest) -> CodeRequest:
    """The request flagged when its task or any text it puts into the prompt (its instructions, requirements,
    research and project context: an agent's, so untrusted as the task is) tries to steer the model."""
    texts = (
        request.task,
        request.custom_instructions,
        request.requirements,
        request.research_context,
        request.project_context,
    )
    flags = sorted(set(request.flags).union(*(injection_flags(t) for t in texts if t)))
    return request if flags == request.flags else request.model_copy(update={"flags": flags})


def _failed_calls(settings: Settings, request: CodeRequest, provider: str) -> int:
    """How many of the request's generate calls to ``provider`` failed (its attempts, as the ledger has them)."""
    return sum(
        1
        for a in request_attempts(settings, request)
        if a.provider == provider and a.purpose == "generate" and a.status == "failed"
    )


def _chain(request: CodeRequest, settings: Settings) -> list[str]:
    """The providers to try: the request's own, else the configured chain; a provider switched off never."""
    return [p for p in request.chain_providers or settings.chain if settings.is_enabled(p)]


async def _serve_without_a_call(request: CodeRequest, settings: Settings) -> CodeResult | str | None:
    """An exact repeat from the cache, else a fitting template; else None when the chain must write the code, or
    the id of a template that fits security-sensitive work but has no reviewer to check it."""
    if request.fresh:
        return None
    cached = cached_result(settings, request, _flow_run_id())
    if cached is not None:
        return cached
    # A flagged task is untrusted beyond its wording: a template's slots would be filled from it and served
    # unreviewed, so flagged requests skip the library and go to the chain, where review is mandatory.
    if request.flags and settings.cross_validate:
        return None
    fit = await match(request)
    return None if fit is None else await _serve_template(request, fit, settings)


async def _template_only_mode(request: CodeRequest, outcome: ChainOutcome, settings: Settings) -> CodeResult | None:
    """A budget this request counts against is used up: no provider is called, every one is recorded as skipped.
    (The guard still refuses any single call that would cross a budget, so a race here cannot overspend.)
    Off the event loop: a refusal sends its scope's 100 % alert when none went out yet."""
    reason = None
    if outcome.configured:
        reason = await asyncio.to_thread(exhausted_reason, settings, request.agent, request.project)
    if reason is None:
        return None
    for provider in _chain(request, settings):
        await record_skip(request, provider, reason if provider in outcome.configured else None)
    return await report(request, "budget_exhausted")


async def _try_provider(
    request: CodeRequest, provider: str, outcome: ChainOutcome, settings: Settings
) -> CodeResult | None:
    """Generate with ``provider``, validate, review where needed, learn: the result, or None (the try is
    folded into ``outcome`` and the ledger holds each rejected answer's verdict)."""
    if provider not in outcome.configured:
        await record_skip(request, provider)
        return None
    gate = admit(settings, provider)
    if gate.skip is not None:  # its circuit is open (or another caller probes it): it costs no time now
        await record_skip(request, provider, gate.skip, kind="circuit_open")
        outcome.failed.append(provider)
        return None
    # A half-open circuit's probe is one call: a provider that is still down costs one attempt, not all.
    retries = 0 if gate.probe is not None else settings.attempts_per_provider - 1
    attempts = _generate_with_retries(retries, tuple(settings.retry_delays()))
    state = await attempts(request, provider, outcome.refused_findings or None, return_state=True)
    outcome.ran.append(provider)
    if not state.is_completed():
        outcome.failed.append(provider)
        error = await state.aresult(raise_on_failure=False)
        if isinstance(error, BudgetExhausted):
            outcome.refused.append(provider)  # a cheaper model further down the chain may still fit
        after_failure(
            settings,
            provider,
            error if isinstance(error, BaseException) else None,
            probe=gate.probe,
            failed_calls=_failed_calls(settings, request, provider),
        )
        return None
    after_answer(settings, provider)
    candidate: Generation = await state.aresult()
    checked = await validate(candidate.files)
    if not checked.passed:  # a failed attempt of its provider; the ledger and the report say why
        why = validation_reason(checked, settings.min_quality)
        record_verdict(settings, candidate.call_id, "failed_validation", why)
        outcome.invalid += [candidate.call_id] if candidate.call_id is not None else []
        # The next provider is told what was refused: the same prompt again would earn the same findings.
        outcome.refused_findings = list(dict.fromkeys([*outcome.refused_findings, *refusal_findings(checked)]))
        return None
    summary: ReviewSummary | None = None
    if _needs_review(request, checked, settings):
        reviewers = reviewer_order(provider, _chain(request, settings), outcome.healthy())
        generated_by = candidate.call_id
        candidate, checked, summary = await _reviewed(request, candidate, checked, reviewers)
        summary = _hold_to_min_quality(summary, settings)
        outcome.last_review = summary
        if summary.outcome != "approve":  # a rejected answer is a failed attempt of its provider
            for call_id in sorted({c for c in (generated_by, candidate.call_id) if c is not None}):
                record_verdict(settings, call_id, "rejected_by_review", _rejection_reason(summary))
                outcome.rejected.append(call_id)
            return None
        checked = checked.model_copy(update={"score": min(checked.score, summary.score or 0.0)})
    if not request.flags:  # a flagged task would put its injected wording into a template's skeleton
        await learn(request, candidate, checked)
    # Succeeded: every call is in the ledger already; no report task (that is for failures).
    result = llm_result(request, request_attempts(settings, request), candidate, checked, None, review=summary)
    keep_result(settings, request, result)
    return result


async def _serve_template(request: CodeRequest, fit: TemplateMatch, settings: Settings) -> CodeResult | str | None:
    """Serve a fitting template: its render validated like LLM output plus an import check, and for
    security-sensitive work reviewed by a provider (fail closed: no reviewer, no verdict or a rejection means
    the chain writes the code instead). None when it is not served; the template's id when it is not for want of
    a reviewer (so a user with no provider is told why)."""
    files = [GeneratedFile(path=f.path, content=f.content) for f in fit.files]
    checked = await validate(files, imports=True)
    if not checked.passed:
        await record_template_outcome(fit.template_id, False, request)
        return None
    summary: ReviewSummary | None = None
    if _needs_review(request, checked, settings):
        chain = _chain(request, settings)
        reviewers = reviewer_order("template", chain, [p for p in chain if settings.is_configured(p)])
        if not reviewers:
            return fit.template_id
        summary = _hold_to_min_quality(
            await _review_or_no_verdict(
                request, Generation(provider="template", model=fit.template_id, files=files), reviewers
            ),
            settings,
        )
        if summary.outcome != "approve":
            return None
        checked = checked.model_copy(update={"score": min(checked.score, summary.score or 0.0)})
    await record_template_outcome(fit.template_id, True, request)  # a use (and its saving) only when served
    return template_result(request, request_attempts(settings, request), fit, checked)


def _hold_to_min_quality(summary: ReviewSummary, settings: Settings) -> ReviewSummary:
    """An approval scoring below ``Q2O_MIN_QUALITY`` is a rejection, for templates and generations alike."""
    if summary.outcome == "approve" and summary.score is not None and summary.score < settings.min_quality:
        return summary.model_copy(
            update={
                "outcome": "reject",
                "error": (
                    f"the reviewer approved with score {summary.score:.0f}, "
                    f"below the minimum {settings.min_quality:.0f}"
                ),
            }
        )
    return summary


_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def _worst(verdict: Verdict, limit: int) -> list[str]:
    """The ``limit`` worst findings of ``verdict`` (info left out), one line each."""
    shown = [f for f in verdict.findings if f.severity != "info"]
    worst = sorted(shown, key=lambda f: _SEVERITY_ORDER[f.severity])[:limit]
    return [f"{f.severity} {f.rule}" + (f" at {f.file}:{f.line}" if f.line else "") + f" ({f.message})" for f in worst]


def refusal_findings(verdict: Verdict) -> list[str]:
    """The findings a rejected answer is refused for, for the next attempt's prompt (at most eight)."""
    return _worst(verdict, 8)


def validation_reason(verdict: Verdict, min_quality: float) -> str:
    """Why static validation rejected an answer, in one line: the score and the worst findings."""
    found = "; ".join(_worst(verdict, 3))
    return f"failed static validation: score {verdict.score:.0f} (minimum {min_quality:.0f})" + (
        f"; {found}" if found else ""
    )


def _rejection_reason(summary: ReviewSummary) -> str:
    if summary.outcome == "no_verdict":
        return f"no review verdict (fail closed): {summary.error}"
    issues = "; ".join(i.description for i in summary.issues[:3])
    return (
        f"rejected by {summary.reviewer} review: recommendation {summary.recommendation}, "
        f"severity {summary.severity}, score {summary.score}"
        + (f": {issues}" if issues else "")
        + (f" ({summary.error})" if summary.error else "")
    )
