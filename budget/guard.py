"""The budget guard: may this call run? Reserve its worst case before it, settle the actual cost after.

Worst case = estimated prompt tokens (UTF-8 bytes / 3, rounded up: high for English and code with the
providers' tokenizers, about right for CJK text, and no tokenizer download) + the output token cap, at the
model's list price. A model with no known price is reserved at the most expensive price in the table
(never refused, never free); a call whose actual cost is unknown settles at the amount reserved.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field

from budget.alerts import BudgetAlert, fire_alerts, fire_refusal
from budget.channels import deliver_alerts
from budget.periods import day_end, day_of, month_bounds, month_of
from budget.scopes import DAILY_CALLS, DAILY_COST, ScopeState, lift_text, scope_name, scope_state, usd_text
from providers.base import ProviderError
from providers.pricing import PRICES, cost_usd, price_for
from settings import Settings
from storage import BudgetStore, Limit, micro_dollars, open_database
from storage.budget import FiredAlert, MonthCloseRecord, Usage

logger = logging.getLogger("q2o.budget")

# A conservative token estimate for the worst case: UTF-8 bytes / 3. English prose runs ~4 bytes a token and
# code ~3-4, so this over-reserves a little there; CJK text is ~3 bytes a character and about a token each,
# which characters / 4 would undercount four times over.
BYTES_PER_TOKEN = 3


class BudgetExhausted(ProviderError):
    """The call would cross a budget: it is not made. No retry helps until the budget changes."""

    retryable = False
    kind = "budget_exhausted"

    def __init__(self, message: str, *, scope: str = "month", alerts: list[BudgetAlert] | None = None) -> None:
        super().__init__(message)
        self.scope = scope
        self.alerts = alerts or []  # what the refusal fired (already sent)


@dataclass(frozen=True)
class Reservation:
    """A held worst case: settle or release it once the call is over."""

    id: int
    amount_usd: Decimal
    month: str
    agent: str
    project: str


def estimate_tokens(text: str) -> int:
    """Prompt tokens, estimated high: UTF-8 bytes / 3 rounded up."""
    return math.ceil(len(text.encode("utf-8")) / BYTES_PER_TOKEN)


def worst_case_usd(
    model: str, prompt_bytes: int, max_output_tokens: int, extra: Mapping[str, tuple[float, float]] | None = None
) -> Decimal:
    """The most one call can cost: estimated input + the whole output cap, rounded up to micro-dollars."""
    input_tokens = math.ceil(prompt_bytes / BYTES_PER_TOKEN)
    if price_for(model, extra) is not None:
        amount = cost_usd(model, input_tokens, max_output_tokens, extra) or 0.0
    else:  # unknown price: assume the dearest model we know of
        top_in = max(p.long_input or p.input for p in PRICES.values())
        top_out = max(p.long_output or p.output for p in PRICES.values())
        amount = (input_tokens * top_in + max_output_tokens * top_out) / 1_000_000
    return micro_dollars(amount, up=True)


def monthly_budget(settings: Settings, store: BudgetStore) -> float:
    """The stored budget (``q2o budget set``) or else Q2O_MONTHLY_BUDGET_USD."""
    stored = store.stored_budget()
    return settings.monthly_budget_usd if stored is None else stored


def limits_for(settings: Settings, budget: float, agent: str, project: str) -> list[Limit]:
    """Every budget a call of ``agent`` for ``project`` counts against."""
    limits = [Limit(scope="month", budget_usd=micro_dollars(budget))]
    shares = settings.agent_shares
    if agent in shares:
        limits.append(
            Limit(scope=f"agent:{agent}", budget_usd=micro_dollars(budget * shares[agent] / 100), agent=agent)
        )
    elif "*" in shares:  # the rest: one pool for every agent not named
        named = tuple(sorted(a for a in shares if a != "*"))
        limits.append(
            Limit(scope="agent:*", budget_usd=micro_dollars(budget * shares["*"] / 100), other_than_agents=named)
        )
    if project in settings.project_budgets:
        limits.append(
            Limit(
                scope=f"project:{project}", budget_usd=micro_dollars(settings.project_budgets[project]), project=project
            )
        )
    return limits


def all_limits(settings: Settings, budget: float) -> list[Limit]:
    """Every budget in force: the month first, then each agent share and each project budget."""
    limits = [Limit(scope="month", budget_usd=micro_dollars(budget))]
    for agent in settings.agent_shares:
        name = "\0other" if agent == "*" else agent  # an agent name no caller has: the "*" pool
        limits += limits_for(settings, budget, name, "")[1:]
    for project in settings.project_budgets:
        limits.append(limits_for(settings, budget, "\0none", project)[-1])
    return limits


class BudgetGuard:
    """Reserve, settle, release against the budgets of ``settings``, in one database.

    Every change of spending or of the budget goes through here (a settle, a release, a refusal, ``set_budget``,
    ``close_month``) and ends in ``_after_change``: the one place that evaluates the thresholds and sends what
    they fired (``deliver_alerts``) on the channels this process has.
    """

    def __init__(self, settings: Settings, store: BudgetStore | None = None) -> None:
        self.settings = settings
        self.store = store or BudgetStore(open_database(settings.resolved_database_url))

    def _expire_before(self, now: datetime | None = None) -> datetime:
        from storage.models import utcnow

        return (now or utcnow()) - timedelta(seconds=self.settings.reservation_timeout_seconds)

    def reserve(
        self,
        *,
        agent: str,
        project: str,
        provider: str,
        model: str,
        prompt_bytes: int,
        max_output_tokens: int,
        call_id: int | None = None,
    ) -> Reservation:
        """Hold the call's worst case, or raise ``BudgetExhausted`` naming the budget it would cross and how
        that budget lifts (the refusal's alert is sent first)."""
        amount = worst_case_usd(model, prompt_bytes, max_output_tokens, self.settings.model_prices)
        month, day = month_of(self.settings.timezone), day_of(self.settings.timezone)
        budget = monthly_budget(self.settings, self.store)
        limits = limits_for(self.settings, budget, agent, project)
        outcome = self.store.reserve(
            amount_usd=amount,
            month=month,
            day=day,
            agent=agent,
            project=project,
            provider=provider,
            model=model,
            call_id=call_id,
            limits=limits,
            daily_call_limit=self.settings.daily_call_limit,
            expire_before=self._expire_before(),
        )
        if outcome.reservation_id is not None:
            return Reservation(id=outcome.reservation_id, amount_usd=amount, month=month, agent=agent, project=project)
        scope = outcome.refused_scope or "month"
        lift = lift_text(scope, self.settings.timezone)
        if scope == DAILY_CALLS:
            message = (
                f"budget_exhausted: the daily call limit ({int(outcome.budget_usd)} calls, Q2O_DAILY_CALL_LIMIT) "
                f"is reached for {day}; {lift}"
            )
        else:
            message = (
                f"budget_exhausted: a call of up to ${amount} would cross {scope_name(scope)} of {month} "
                f"({usd_text(outcome.used_usd)} used or held of {usd_text(outcome.budget_usd)}); {lift}"
            )
        refusal = _Refusal(scope, outcome.used_usd, outcome.budget_usd, None if scope == DAILY_CALLS else float(amount))
        alerts = self._after_change(limits, month, [refusal])
        raise BudgetExhausted(message, scope=scope, alerts=alerts)

    def settle(self, reservation: Reservation, actual_cost: float | None) -> list[BudgetAlert]:
        """Charge the actual cost once (unknown: the worst case held); return (and send) the alerts it fired."""
        cost = reservation.amount_usd if actual_cost is None else micro_dollars(actual_cost)
        self.store.settle(reservation.id, cost)
        return self.check_alerts(reservation.agent, reservation.project, reservation.month)

    def release(self, reservation: Reservation) -> list[BudgetAlert]:
        """Give the reservation back: the call failed and nothing was charged (it still counts as a call today)."""
        self.store.release(reservation.id)
        return self.check_alerts(reservation.agent, reservation.project, reservation.month)

    def set_budget(self, amount: float) -> list[BudgetAlert]:
        """Store the monthly budget (it wins over Q2O_MONTHLY_BUDGET_USD); return (and send) what it fired:
        a lower budget can put the month's spending past a level at once."""
        self.store.set_budget(amount)
        return self._after_change(all_limits(self.settings, amount), month_of(self.settings.timezone))

    def close_month(self, month: str, html_path: str, pdf_path: str, spent_usd: float) -> MonthCloseRecord:
        """Record the month's close once, expire its holds left by crashed processes, and fire any level the
        month crossed that no settle has fired yet (a budget lowered through the environment, say)."""
        record = self.store.record_close(month, html_path, pdf_path, spent_usd)
        self.store.expire(month_bounds(month, self.settings.timezone)[1])
        self._after_change(all_limits(self.settings, monthly_budget(self.settings, self.store)), month)
        return record

    def check_alerts(self, agent: str, project: str, month: str | None = None) -> list[BudgetAlert]:
        """Fire (and send) the newly crossed levels of every budget this agent and project count against."""
        month = month or month_of(self.settings.timezone)
        limits = limits_for(self.settings, monthly_budget(self.settings, self.store), agent, project)
        return self._after_change(limits, month)

    def blocking(self, agent: str, project: str) -> list[ScopeState]:
        """The used-up scopes that turn off calls of this agent and project (template-only mode), each a
        refusal: its 100 % alert is fired and sent when no earlier one was."""
        month = month_of(self.settings.timezone)
        limits = limits_for(self.settings, monthly_budget(self.settings, self.store), agent, project)
        states = [s for s in self.states(limits, month) if s.blocking]
        if states:
            self._after_change(limits, month, [_Refusal(s.scope, s.used, s.limit, None) for s in states])
        return states

    def states(self, limits: list[Limit], month: str) -> list[ScopeState]:
        """Where each limit stands (dollars settled and held), then the daily call limit and cost alert level."""
        tz = self.settings.timezone
        states = [
            scope_state(u.scope, month, u.settled_usd + u.reserved_usd, u.budget_usd, tz, blocking=_used_up(u))
            for u in self.store.usage(month, limits, self._expire_before())
        ]
        day = day_of(tz)
        calls, cost = self.store.day_totals(day)
        if (limit := self.settings.daily_call_limit) is not None:
            states.append(scope_state(DAILY_CALLS, day, calls, limit, tz, blocking=calls >= limit))
        if (level := self.settings.daily_cost_alert_usd) is not None:
            states.append(scope_state(DAILY_COST, day, cost, level, tz, blocking=False))
        return states

    def _after_change(
        self, limits: list[Limit], month: str, refusals: list[_Refusal] | None = None
    ) -> list[BudgetAlert]:
        """Evaluate every threshold of ``limits`` (and today's daily limits) and send what fired; never raises:
        the change itself is done, and an alert that cannot be evaluated is logged instead."""
        try:
            fired = self._evaluate(limits, month, refusals or [])
        except Exception:  # noqa: BLE001 - spending was recorded; the alert must not undo or fail it
            logger.exception("could not evaluate the budget alerts of %s", month)
            return []
        deliver_alerts(fired, self.settings)
        return fired

    def _evaluate(self, limits: list[Limit], month: str, refusals: list[_Refusal]) -> list[BudgetAlert]:
        tz = self.settings.timezone
        month_reset = month_bounds(month, tz)[1]
        day, day_reset = day_of(tz), day_end(tz)
        fired: list[BudgetAlert] = []
        for usage in self.store.usage(month, limits, self._expire_before()):
            fired += fire_alerts(
                self.store, usage.scope, month, usage.settled_usd, usage.budget_usd, timezone=tz, resets_at=month_reset
            )
        calls, cost = self.store.day_totals(day)
        if (level := self.settings.daily_cost_alert_usd) is not None:
            fired += fire_alerts(self.store, DAILY_COST, day, cost, level, (100,), timezone=tz, resets_at=day_reset)
        if (limit := self.settings.daily_call_limit) is not None:
            fired += fire_alerts(self.store, DAILY_CALLS, day, calls, limit, (100,), timezone=tz, resets_at=day_reset)
        for r in refusals:  # after the levels: a scope that spent its way to 100 % says so in those words
            period, reset = (day, day_reset) if r.scope == DAILY_CALLS else (month, month_reset)
            fired += fire_refusal(
                self.store, r.scope, period, r.used, r.limit, r.refused_usd, timezone=tz, resets_at=reset
            )
        return fired


@dataclass(frozen=True)
class _Refusal:
    """A call (or a request in template-only mode) a scope turned away: that scope's 100 %."""

    scope: str
    used: float
    limit: float
    refused_usd: float | None  # the refused call's worst case; None for template-only mode and daily calls


def _used_up(usage: Usage) -> bool:
    return usage.settled_usd + usage.reserved_usd >= usage.budget_usd


class BudgetStatus(BaseModel):
    """Where the month stands: what ``q2o budget status`` prints and the flow reads."""

    month: str
    timezone: str
    budget_usd: float
    spent_usd: float = Field(description="Settled (charged) dollars this month.")
    reserved_usd: float = Field(description="Dollars held by calls in flight.")
    remaining_usd: float
    percent: float = Field(description="(spent + reserved) / budget * 100.")
    exhausted: bool = Field(
        description="True: every provider call is off (template-only mode): the month's budget is used up or "
        "today's call limit is reached; blocked_by says which."
    )
    blocked_by: list[ScopeState] = Field(
        description="Every used-up scope with its figures, whose calls it turns off and when it resets: the month "
        "or the daily call limit (every call), an agent share or a project budget (that agent's or project's)."
    )
    limits: list[ScopeState] = Field(
        description="Every limit in force: month, agent shares, projects, daily call limit, daily cost alert level."
    )
    today_calls: int
    today_cost_usd: float
    by_provider: dict[str, float]
    by_agent: dict[str, float]
    scopes: list[Usage] = Field(description="Every budget in force: month, agent shares, projects.")
    alerts_fired: list[int] = Field(description="Levels of the month budget fired this period.")
    alerts: list[FiredAlert] = Field(default=[], description="Every alert fired this month and today, any scope.")


def budget_status(settings: Settings) -> BudgetStatus:
    """The month's budget, spend, holds, today's calls, every limit and what blocks, spend by provider and agent,
    alerts fired. Reads only: nothing is fired."""
    guard = BudgetGuard(settings)
    store = guard.store
    month, day = month_of(settings.timezone), day_of(settings.timezone)
    budget = monthly_budget(settings, store)
    limits = all_limits(settings, budget)
    scopes = store.usage(month, limits, guard._expire_before())
    states = guard.states(limits, month)
    blocked = [s for s in states if s.blocking]
    total = scopes[0]
    used = total.settled_usd + total.reserved_usd
    calls, cost = store.day_totals(day)
    alerts = store.alerts(month) + store.alerts(day)
    return BudgetStatus(
        month=month,
        timezone=settings.timezone,
        budget_usd=budget,
        spent_usd=round(total.settled_usd, 6),
        reserved_usd=round(total.reserved_usd, 6),
        remaining_usd=round(max(budget - used, 0.0), 6),
        percent=round(used / budget * 100, 2) if budget > 0 else 100.0,
        exhausted=any(s.scope in ("month", DAILY_CALLS) for s in blocked),
        blocked_by=blocked,
        limits=states,
        today_calls=calls,
        today_cost_usd=round(cost, 6),
        by_provider=store.spend_by(month, "provider"),
        by_agent=store.spend_by(month, "agent"),
        scopes=scopes,
        alerts_fired=sorted({a.level for a in alerts if a.scope == "month"}),
        alerts=alerts,
    )


def exhausted_reason(settings: Settings, agent: str, project: str) -> str | None:
    """Why provider calls are off for this agent and project, in one sentence naming the scope, its figures and
    how it lifts; None while they are on. Asking is a refusal: a used-up scope's 100 % alert is sent once."""
    states = BudgetGuard(settings).blocking(agent, project)
    return states[0].text if states else None


def is_exhausted(settings: Settings, agent: str, project: str) -> bool:
    """True when a budget this agent and project count against is used up (or today's call limit reached).

    The flow calls this to go template-only; the guard itself still refuses any call that would
    cross a budget, so a race between this check and a call cannot overspend.
    """
    return exhausted_reason(settings, agent, project) is not None
