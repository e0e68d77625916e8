"""One provider call, ledgered: the single door every provider call goes through.

A row is written (and committed) before the call and finished exactly once after it, so a crash never
loses a call and nothing is charged twice. Generation, review, repair and smart parameterization all
call ``ledgered_call``; it is also where the budget guard reserves the worst case before a call and
settles the actual cost after it.

Plain Python (no Prefect): the caller passes the run context in ``CallContext``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypedDict, TypeVar

from budget.guard import BudgetExhausted, BudgetGuard, Reservation
from codegen.loader import make_provider
from providers.base import Completion, CompletionRequest, InvalidOutput, ProviderError, redact
from providers.pricing import call_cost_usd
from settings import Settings
from storage import CallLedger, open_database
from storage.calls import CANCELLED

T = TypeVar("T")


@dataclass(frozen=True)
class CallContext:
    """Who asks: ties a call to its request, flow run, agent and project in the ledger."""

    request_id: str
    flow_run_id: str | None
    agent: str
    project: str


@dataclass(frozen=True)
class LedgeredCall(Generic[T]):
    """A successful call: its ledger row, what the provider said, its cost and the accepted value."""

    call_id: int
    completion: Completion
    model: str
    cost_usd: float | None
    value: T


class _Usage(TypedDict):
    """What an answered call puts on its ledger row, whether its answer is then accepted or not."""

    input_tokens: int | None
    output_tokens: int | None
    cost_usd: float | None
    latency_s: float
    response_text: str
    model: str


def _identity(completion: Completion) -> Completion:
    return completion


async def ledgered_call(
    settings: Settings,
    context: CallContext,
    provider: str,
    *,
    system: str,
    prompt: str,
    purpose: str = "generate",
    attempt: int = 1,
    # A default for a generic parameter: mypy cannot see that T is Completion when ``accept`` is left out.
    accept: Callable[[Completion], T] = _identity,  # type: ignore[assignment]
    json_schema: dict | None = None,
    max_output_tokens: int | None = None,
    flags: list[str] | None = None,
    model: str | None = None,
) -> LedgeredCall[T]:
    """Call ``provider`` once (with ``model``, else the one the settings give it) and ledger it.

    ``accept`` turns the completion into the caller's value or raises ``InvalidOutput``; such an
    answer is ledgered as failed (with its tokens and cost: it was billed) and the error re-raised.
    A ``ProviderError`` is ledgered as failed and re-raised; a cancellation (Ctrl-C, a cancel from the UI or
    API) as ``cancelled`` and anything else (a bug) as ``internal``, both re-raised, so no row is left running.

    Budget: the call's worst case is reserved (linked to its ledger row) before the provider is asked;
    a call that would cross a budget is ledgered as failed ``budget_exhausted`` and ``BudgetExhausted``
    raised (not retryable). After the call the reservation is settled to the actual cost (unknown cost:
    the worst case held), released when an error answer was not billed, and settled at the worst case
    when no answer came (a timeout or cancellation may still be billed). The guard sends the alerts a
    settle or a refusal fired (bounded, failures only logged).
    """
    secrets = settings.secret_values()
    ledger = CallLedger(open_database(settings.resolved_database_url), secrets=secrets)
    model = model or settings.model_for(provider)
    call_id = ledger.start(
        request_id=context.request_id,
        flow_run_id=context.flow_run_id,
        agent=context.agent,
        project=context.project,
        provider=provider,
        model=model,
        attempt=attempt,
        system_prompt=system,
        prompt=prompt,
        purpose=purpose,
        flags=flags,
    )
    max_tokens = max_output_tokens or settings.max_output_tokens
    guard = BudgetGuard(settings)
    prompt_bytes = len(system.encode("utf-8")) + len(prompt.encode("utf-8"))
    try:
        reservation = guard.reserve(
            agent=context.agent,
            project=context.project,
            provider=provider,
            model=model,
            prompt_bytes=prompt_bytes,
            max_output_tokens=max_tokens,
            call_id=call_id,
        )
    except BudgetExhausted as exc:
        ledger.finish(
            call_id,
            status="failed",
            error_kind=exc.kind,
            error_message=redact(str(exc), secrets),
            cost_usd=0.0,
            latency_s=0.0,
        )
        exc.call_id = call_id
        raise
    except BaseException as exc:  # the budget could not be checked: no call without a reservation
        ledger.finish(
            call_id,
            status="failed",
            error_kind=_error_kind(exc),
            error_message=redact(f"{type(exc).__name__}: {exc}", secrets),
            cost_usd=0.0,
            latency_s=0.0,
        )
        raise
    started = time.perf_counter()
    try:
        completion = await make_provider(provider, settings).complete(
            CompletionRequest(
                system=system,
                prompt=prompt,
                model=model,
                max_output_tokens=max_tokens,
                timeout_seconds=settings.timeout_seconds,
                json_schema=json_schema,
            )
        )
    except ProviderError as exc:
        # An error answer is not billed, nor is a request that never left (no connection could be opened).
        # With no answer to a request that was sent (a timeout, a dropped connection) we cannot know: the
        # ledger says unknown and the budget keeps the worst case.
        not_billed = exc.status_code is not None or exc.not_sent
        never_left = ""
        if exc.not_sent:
            never_left = " (no connection could be opened: the request was not sent, nothing billed)"
        ledger.finish(
            call_id,
            status="failed",
            error_kind=exc.kind,
            error_message=redact(f"{type(exc).__name__}: {exc}{never_left}", secrets),
            cost_usd=0.0 if not_billed else None,
            latency_s=time.perf_counter() - started,
        )
        await _close_budget(guard, reservation, cost=None, release=not_billed)
        exc.call_id = call_id
        raise
    except BaseException as exc:  # a bug or a cancellation must not leave the row "running"
        ledger.finish(
            call_id,
            status="failed",
            error_kind=_error_kind(exc),
            error_message=redact(_describe(exc), secrets),
            latency_s=time.perf_counter() - started,
        )
        await _close_budget(guard, reservation, cost=None)
        raise

    answered_by = completion.model or model
    # An alias the price table lacks (an OpenAI-compatible server's name for it) is priced as the model asked for;
    # the ledger keeps both names (model, model_asked).
    cost = call_cost_usd(
        completion.model, model, completion.input_tokens, completion.output_tokens, settings.model_prices
    )
    usage = _Usage(
        input_tokens=completion.input_tokens,
        output_tokens=completion.output_tokens,
        cost_usd=cost,
        latency_s=completion.latency_s,
        response_text=completion.text,
        model=answered_by,
    )
    try:
        if completion.truncated:
            raise InvalidOutput("the answer was cut at the output token cap (Q2O_MAX_OUTPUT_TOKENS)")
        value = accept(completion)
    except InvalidOutput as exc:
        ledger.finish(
            call_id,
            status="failed",
            error_kind=exc.kind,
            error_message=redact(f"{type(exc).__name__}: {exc}", secrets),
            **usage,
        )
        await _close_budget(guard, reservation, cost=cost)
        exc.call_id = call_id
        raise
    except BaseException as exc:
        ledger.finish(
            call_id,
            status="failed",
            error_kind=_error_kind(exc),
            error_message=redact(f"{type(exc).__name__}: {exc}", secrets),
            **usage,
        )
        await _close_budget(guard, reservation, cost=cost)
        raise
    ledger.finish(call_id, status="succeeded", **usage)
    await _close_budget(guard, reservation, cost=cost)
    return LedgeredCall(call_id=call_id, completion=completion, model=answered_by, cost_usd=cost, value=value)


def _error_kind(exc: BaseException) -> str:
    """A cancellation (Ctrl-C, a cancel from the UI or API, a shutdown) is ``cancelled``; anything else that is
    no provider error is ``internal`` (a bug, or a database that failed under the call)."""
    return CANCELLED if isinstance(exc, asyncio.CancelledError | KeyboardInterrupt) else "internal"


def _describe(exc: BaseException) -> str:
    """``Type: message``; a bare cancellation (Ctrl-C, a shutdown) says what it was."""
    if isinstance(exc, asyncio.CancelledError | KeyboardInterrupt) and not str(exc):
        return f"{type(exc).__name__}: the call was cancelled before it ended (Ctrl-C or a shutdown)"
    return f"{type(exc).__name__}: {exc}"


async def _close_budget(
    guard: BudgetGuard, reservation: Reservation, *, cost: float | None, release: bool = False
) -> None:
    """Release the reservation (``release``: an error answer, not billed) or settle it at ``cost`` (None: no
    answer came, or the price is unknown: the worst case held); the guard sends the alerts it fired. Never raises.
    """
    try:
        if release:
            await asyncio.to_thread(guard.release, reservation)
        else:
            await asyncio.to_thread(guard.settle, reservation, cost)
    except Exception:  # noqa: BLE001 - the call is done; an unsettled reservation expires by itself
        logging.getLogger("q2o.budget").exception("could not settle budget reservation %s", reservation.id)


@dataclass(frozen=True)
class Asker:
    """A provider behind a narrow door (``learning.smart_names.Ask``): one ledgered call per question, the
    accepted value returned. Rooms below this one ask through it instead of calling providers."""

    settings: Settings
    context: CallContext
    provider: str
    purpose: str
    max_output_tokens: int | None = None

    async def __call__(self, system: str, prompt: str, accept: Callable[[Completion], T]) -> T:
        call = await ledgered_call(
            self.settings,
            self.context,
            self.provider,
            system=system,
            prompt=prompt,
            purpose=self.purpose,
            accept=accept,
            max_output_tokens=self.max_output_tokens,
        )
        return call.value
