"""The budget guard: may this call run? Reserve its worst case before it, settle the actual cost after.

Worst case = estimated prompt tokens (UTF-8 bytes / 3, rounded up: high for English and code with the
providers' tokenizers, about right for CJK text, and no tokenizer download) + the output token cap, at the
model's list price. A model with no known price is reserved at the most expensive price in the table
(never refused, never free); a call whose actual cost is unknown settles at the amount reserved.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field

from budget.alerts import BudgetAlert, fire_alerts, usd_text
from budget.periods import day_of, month_of
from providers.base import ProviderError
from providers.pricing import PRICES, cost_usd, price_for
from settings import Settings
from storage import BudgetStore, Limit, micro_dollars, open_database
from storage.budget import FiredAlert, Usage

# A conservative token estimate for the worst case: UTF-8 bytes / 3. English prose runs ~4 bytes a token and
# code ~3-4, so this over-reserves a little there; CJK text is ~3 bytes a character and about a token each,
# which characters / 4 would undercount four times over.
BYTES_PER_TOKEN = 3


class BudgetExhausted(ProviderError):
    """The call would cross a budget: it is not made. No retry helps until the budget changes."""

    retryable = False
    kind = "budget_exhausted"

    def __init__(self, message: str, *, scope: str = "month") -> None:
        super().__init__(message)
        self.scope = scope


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
    """Reserve, settle, release against the budgets of ``settings``, in one database."""

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
        """Hold the call's worst case, or raise ``BudgetExhausted`` naming the budget it would cross."""
        amount = worst_case_usd(model, prompt_bytes, max_output_tokens, self.settings.model_prices)
        month, day = month_of(self.settings.timezone), day_of(self.settings.timezone)
        budget = monthly_budget(self.settings, self.store)
        outcome = self.store.reserve(
            amount_usd=amount,
            month=month,
            day=day,
            agent=agent,
            project=project,
            provider=provider,
            model=model,
            call_id=call_id,
            limits=limits_for(self.settings, budget, agent, project),
            daily_call_limit=self.settings.daily_call_limit,
            expire_before=self._expire_before(),
        )
        if outcome.reservation_id is None:
            scope = outcome.refused_scope or "month"
            if scope == "daily-calls":
                raise BudgetExhausted(
                    f"budget_exhausted: the daily call limit ({int(outcome.budget_usd)}, "
                    f"Q2O_DAILY_CALL_LIMIT) is reached for {day}",
                    scope=scope,
                )
            raise BudgetExhausted(
                f"budget_exhausted: a call of up to ${amount} would cross the {scope} budget of {month} "
                f"({usd_text(outcome.used_usd)} used or held of {usd_text(outcome.budget_usd)}); "
                "provider calls are off",
                scope=scope,
            )
        return Reservation(id=outcome.reservation_id, amount_usd=amount, month=month, agent=agent, project=project)

    def settle(self, reservation: Reservation, actual_cost: float | None) -> list[BudgetAlert]:
        """Charge the actual cost once (unknown: the worst case held) and return the alerts it fired."""
        cost = reservation.amount_usd if actual_cost is None else micro_dollars(actual_cost)
        self.store.settle(reservation.id, cost)
        return self.check_alerts(reservation.agent, reservation.project, reservation.month)

    def release(self, reservation: Reservation) -> None:
        """Give the reservation back: the call failed and nothing was charged."""
        self.store.release(reservation.id)

    def check_alerts(self, agent: str, project: str, month: str | None = None) -> list[BudgetAlert]:
        """Fire the newly crossed levels of every budget this agent and project count against."""
        month = month or month_of(self.settings.timezone)
        limits = limits_for(self.settings, monthly_budget(self.settings, self.store), agent, project)
        fired: list[BudgetAlert] = []
        for usage in self.store.usage(month, limits, self._expire_before()):
            fired += fire_alerts(self.store, usage.scope, month, usage.settled_usd, usage.budget_usd)
        if self.settings.daily_cost_alert_usd is not None:
            day = day_of(self.settings.timezone)
            _, cost = self.store.day_totals(day)
            fired += fire_alerts(self.store, "daily-cost", day, cost, self.settings.daily_cost_alert_usd, levels=(100,))
        return fired


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
        description="True: the month's budget is used up or today's call limit is reached (template-only mode)."
    )
    today_calls: int
    today_cost_usd: float
    by_provider: dict[str, float]
    by_agent: dict[str, float]
    scopes: list[Usage] = Field(description="Every budget in force: month, agent shares, projects.")
    alerts_fired: list[int] = Field(description="Levels of the month budget fired this period.")
    alerts: list[FiredAlert] = Field(default=[], description="Every alert fired this period, any scope.")


def budget_status(settings: Settings) -> BudgetStatus:
    """The month's budget, spend, holds, today's calls, spend by provider and agent, alerts fired."""
    guard = BudgetGuard(settings)
    store = guard.store
    month, day = month_of(settings.timezone), day_of(settings.timezone)
    budget = monthly_budget(settings, store)
    limits = all_limits(settings, budget)
    scopes = store.usage(month, limits, guard._expire_before())
    total = scopes[0]
    used = total.settled_usd + total.reserved_usd
    calls, cost = store.day_totals(day)
    alerts = store.alerts(month)
    return BudgetStatus(
        month=month,
        timezone=settings.timezone,
        budget_usd=budget,
        spent_usd=round(total.settled_usd, 6),
        reserved_usd=round(total.reserved_usd, 6),
        remaining_usd=round(max(budget - used, 0.0), 6),
        percent=round(used / budget * 100, 2) if budget > 0 else 100.0,
        exhausted=used >= budget or (settings.daily_call_limit is not None and calls >= settings.daily_call_limit),
        today_calls=calls,
        today_cost_usd=round(cost, 6),
        by_provider=store.spend_by(month, "provider"),
        by_agent=store.spend_by(month, "agent"),
        scopes=scopes,
        alerts_fired=sorted({a.level for a in alerts if a.scope == "month"}),
        alerts=alerts,
    )


def exhausted_reason(settings: Settings, agent: str, project: str) -> str | None:
    """Why provider calls are off for this agent and project, in one sentence; None while they are on."""
    guard = BudgetGuard(settings)
    month = month_of(settings.timezone)
    limits = limits_for(settings, monthly_budget(settings, guard.store), agent, project)
    for usage in guard.store.usage(month, limits, guard._expire_before()):
        used = usage.settled_usd + usage.reserved_usd
        if used >= usage.budget_usd:
            what = "the monthly budget" if usage.scope == "month" else f"the {usage.scope} budget"
            return (
                f"{what} of {month} is used up ({usd_text(used)} of {usd_text(usage.budget_usd)}): "
                "provider calls are off until it is raised (q2o budget set) or the month ends"
            )
    if settings.daily_call_limit is not None:
        calls, _ = guard.store.day_totals(day_of(settings.timezone))
        if calls >= settings.daily_call_limit:
            limit = settings.daily_call_limit
            return f"the daily call limit ({limit}: Q2O_DAILY_CALL_LIMIT or q2o config) is reached for today"
    return None


def is_exhausted(settings: Settings, agent: str, project: str) -> bool:
    """True when a budget this agent and project count against is used up (or today's call limit reached).

    The flow calls this to go template-only; the guard itself still refuses any call that would
    cross a budget, so a race between this check and a call cannot overspend.
    """
    return exhausted_reason(settings, agent, project) is not None
