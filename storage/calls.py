"""The call ledger's repository: a row is written (and committed) before each call and finished after it.

Writing first means a crash never loses a call; finishing is one conditional UPDATE, so a row is
finished once and nothing is charged twice. Every text is redacted of the secrets in force first.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator
from sqlalchemy import Select, and_, case, func, or_, select, update

from storage.db import Database, rows_matched
from storage.models import Call, utcnow

CallStatus = Literal["running", "succeeded", "failed", "skipped"]
# A succeeded call's answer that was not used: rejected by static validation, or by the review.
CallVerdict = Literal["failed_validation", "rejected_by_review"]
CALL_VERDICTS: tuple[str, ...] = ("failed_validation", "rejected_by_review")
# error_kind of a call whose process stopped before it ended (found when its budget hold expired).
INTERRUPTED = "interrupted"
# error_kind of a call cancelled while it ran (Ctrl-C, a cancel from the UI or API, a shutdown): not a bug.
CANCELLED = "cancelled"
# The response text of a cache-hit row; what follows it is the request whose answer was served.
CACHE_HIT_TEXT = "served from the cache: the answer of request "
_MICRO_DOLLAR = Decimal("0.000001")


class CallRecord(BaseModel):
    """One row of the call ledger, as read back."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    request_id: str
    flow_run_id: str | None = Field(description="The Prefect flow run that made the call, if any.")
    agent: str
    project: str
    provider: str
    model: str | None = Field(description="The model asked for, or the more precise one the provider reported.")
    model_asked: str | None = Field(
        default=None,
        description="The configured model the call was sent to (it prices the call when the answer names a "
        "model the price table lacks, such as a server's alias); None on rows older than this column.",
    )
    attempt: int = Field(description="1-based try of this provider for this request; 0 for a skip.")
    purpose: str = Field(description="One of CALL_PURPOSES: generate, review, repair, check, fit, parameterize, cache.")
    status: CallStatus
    error_kind: str | None = Field(description="Machine-readable failure class, e.g. rate_limited.")
    error_message: str | None = Field(description="Human-readable failure, redacted.")
    input_tokens: int | None
    output_tokens: int | None
    cost_usd: float | None = Field(description="Dollars, from an exact decimal column; None = unknown price.")
    latency_s: float | None
    system_prompt: str
    prompt: str
    response_text: str | None
    flags: list[str] = Field(default=[], description="Marks on the request, e.g. prompt_injection.")
    created_at: datetime = Field(description="When the row was written (UTC).")
    finished_at: datetime | None = Field(description="When the call ended (UTC); None while running.")
    verdict: CallVerdict | None = Field(
        default=None,
        description=(
            "What became of a succeeded call's answer: failed_validation or rejected_by_review; None if not rejected."
        ),
    )
    verdict_reason: str | None = Field(default=None, description="Why the answer was rejected, redacted.")

    @computed_field  # type: ignore[prop-decorator]  # mypy takes no decorator over @property (pydantic's advice)
    @property
    def outcome(self) -> str:
        """The status as the request saw it: a call whose answer was rejected is ``rejected``."""
        return "rejected" if self.verdict else self.status

    @field_validator("flags", mode="before")
    @classmethod
    def _split_flags(cls, value: object) -> object:
        if value is None:
            return []
        if isinstance(value, str):
            return [part for part in value.split(",") if part]
        return value


class CostRow(BaseModel):
    """One finished ledger row as the cost report reads it: who, what for, when, and its cost."""

    request_id: str
    created_at: datetime
    provider: str
    agent: str
    project: str
    purpose: str
    status: CallStatus
    error_kind: str | None
    cost_usd: float | None = Field(description="None = unknown price (never counted as $0).")


class RequestCost(BaseModel):
    """What one request's ledger rows cost: the known sum, and how many rows have an unknown cost."""

    request_id: str
    cost_usd: float
    unknown_rows: int


class CallLedger:
    """Reads and writes the ``calls`` table."""

    def __init__(self, db: Database, secrets: Iterable[str] = ()) -> None:
        self.db = db
        # Longest first, so a secret containing another one is masked whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def start(
        self,
        *,
        request_id: str,
        flow_run_id: str | None,
        agent: str,
        project: str,
        provider: str,
        model: str | None,
        attempt: int,
        system_prompt: str,
        prompt: str,
        purpose: str = "generate",
        flags: Iterable[str] | None = None,
    ) -> int:
        """Insert a ``running`` row and commit it at once; return its id."""
        row = Call(
            request_id=request_id,
            flow_run_id=flow_run_id,
            agent=agent,
            project=project,
            provider=provider,
            model=_fit(model, 128),
            model_asked=_fit(model, 128),
            attempt=attempt,
            purpose=purpose,
            flags=_fit(",".join(sorted(set(flags))), 400) if flags else None,
            status="running",
            system_prompt=self._redact(system_prompt) or "",
            prompt=self._redact(prompt) or "",
            created_at=utcnow(),
        )
        return self._insert(row)

    def finish(
        self,
        call_id: int,
        *,
        status: Literal["succeeded", "failed"],
        error_kind: str | None = None,
        error_message: str | None = None,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        cost_usd: float | Decimal | None = None,
        latency_s: float | None = None,
        response_text: str | None = None,
        model: str | None = None,
    ) -> CallRecord:
        """Complete a ``running`` row. A row that is not running raises ``ValueError`` (no double charge)."""
        if status not in ("succeeded", "failed"):
            raise ValueError(f"a call finishes as 'succeeded' or 'failed', not {status!r}")
        values: dict[str, object] = dict(
            status=status,
            error_kind=_fit(error_kind, 64),
            error_message=self._redact(error_message),
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost_usd=_dollars(cost_usd),
            latency_s=latency_s,
            response_text=self._redact(response_text),
            finished_at=utcnow(),
        )
        if model:
            values["model"] = _fit(model, 128)
        with self.db.session() as session:
            # One conditional UPDATE: of two racing finishers exactly one matches the running row.
            # A row marked interrupted (its budget hold expired: see BudgetStore) takes the real outcome once.
            open_row = or_(Call.status == "running", and_(Call.status == "failed", Call.error_kind == INTERRUPTED))
            finished = session.execute(
                update(Call).where(Call.id == call_id, open_row).values(**values),
                execution_options={"synchronize_session": False},
            )
            row = session.get(Call, call_id, populate_existing=True)
            if row is None:
                raise ValueError(f"no call {call_id} in the ledger")
            if rows_matched(finished) != 1:
                raise ValueError(f"call {call_id} is already {row.status}; a call is finished only once")
            return CallRecord.model_validate(row)

    def set_verdict(self, call_id: int, verdict: CallVerdict, reason: str) -> None:
        """Mark a succeeded call's answer as rejected (its cost stands: the call was made and paid for)."""
        if verdict not in CALL_VERDICTS:
            raise ValueError(f"a verdict is one of {', '.join(CALL_VERDICTS)}, not {verdict!r}")
        with self.db.session() as session:
            done = session.execute(
                update(Call)
                .where(Call.id == call_id, Call.status == "succeeded")
                .values(verdict=verdict, verdict_reason=self._redact(reason)),
                execution_options={"synchronize_session": False},
            )
            if rows_matched(done) != 1:
                raise ValueError(f"no succeeded call {call_id} in the ledger to give a verdict")

    def record_skip(
        self,
        *,
        request_id: str,
        flow_run_id: str | None,
        agent: str,
        project: str,
        provider: str,
        model: str | None,
        reason: str,
        kind: str = "not_configured",
        purpose: str = "generate",
    ) -> int:
        """Record a provider that was not called (not configured, the budget is used up, its circuit is open) for
        ``purpose``: ``skipped``."""
        now = utcnow()
        row = Call(
            request_id=request_id,
            flow_run_id=flow_run_id,
            agent=agent,
            project=project,
            provider=provider,
            model=_fit(model, 128),
            model_asked=_fit(model, 128),
            attempt=0,
            purpose=purpose,
            status="skipped",
            error_kind=kind,
            error_message=self._redact(reason),
            system_prompt="",
            prompt="",
            created_at=now,
            finished_at=now,
        )
        return self._insert(row)

    def record_cache_hit(
        self,
        *,
        request_id: str,
        flow_run_id: str | None,
        agent: str,
        project: str,
        provider: str,
        model: str | None,
        source_request_id: str,
    ) -> int:
        """Record a request answered from the exact-repeat cache: no call was made, it cost $0."""
        now = utcnow()
        row = Call(
            request_id=request_id,
            flow_run_id=flow_run_id,
            agent=agent,
            project=project,
            provider=provider,
            model=_fit(model, 128),
            attempt=0,
            purpose="cache",
            status="succeeded",
            input_tokens=0,
            output_tokens=0,
            cost_usd=Decimal(0),
            latency_s=0.0,
            response_text=f"{CACHE_HIT_TEXT}{source_request_id}",
            system_prompt="",
            prompt="",
            created_at=now,
            finished_at=now,
        )
        return self._insert(row)

    def get(self, call_id: int) -> CallRecord | None:
        with self.db.session() as session:
            row = session.get(Call, call_id)
            return CallRecord.model_validate(row) if row else None

    def list(
        self,
        *,
        limit: int = 20,
        agent: str | None = None,
        provider: str | None = None,
        status: str | None = None,
        request_id: str | None = None,
        project: str | None = None,
        since: datetime | None = None,
        search: str | None = None,
    ) -> builtins.list[CallRecord]:
        """The newest ``limit`` rows (by insertion order) matching every filter given. ``status`` is the
        ``outcome``: ``rejected`` finds answers validation or review rejected, ``succeeded`` the others.
        ``search`` finds a text (case-insensitive, taken literally) in the prompt, the response or the error."""
        query = select(Call).order_by(Call.id.desc()).limit(max(limit, 0))
        filters = (
            (Call.agent, agent),
            (Call.provider, provider),
            (Call.request_id, request_id),
            (Call.project, project),
        )
        for column, value in filters:
            if value is not None:
                query = query.where(column == value)
        if since is not None:
            query = query.where(Call.created_at >= since)
        if search:
            pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(
                or_(
                    *(
                        column.ilike(pattern, escape="\\")
                        for column in (Call.prompt, Call.response_text, Call.error_message)
                    )
                )
            )
        if status == "rejected":
            query = query.where(Call.verdict.is_not(None))
        elif status is not None:
            query = query.where(Call.status == status, Call.verdict.is_(None))
        return self._select(query)

    def skips(
        self, provider: str, kind: str, start: datetime, end: datetime | None = None
    ) -> tuple[int, datetime | None]:
        """How many skips of ``kind`` the provider had from ``start`` (to ``end``), and when the last was."""
        query = select(func.count(Call.id), func.max(Call.created_at)).where(
            Call.provider == provider, Call.status == "skipped", Call.error_kind == kind, Call.created_at >= start
        )
        if end is not None:
            query = query.where(Call.created_at <= end)
        with self.db.session() as session:
            count, last = session.execute(query).one()
        return int(count or 0), _aware(last)

    def for_request(self, request_id: str) -> builtins.list[CallRecord]:
        """Every row of one request, oldest first."""
        return self._select(select(Call).where(Call.request_id == request_id).order_by(Call.id))

    def cost_rows(self, start: datetime, end: datetime) -> builtins.list[CostRow]:
        """Finished rows (succeeded or failed; not skips, not calls still running) created in [start, end)."""
        query = (
            select(
                Call.request_id,
                Call.created_at,
                Call.provider,
                Call.agent,
                Call.project,
                Call.purpose,
                Call.status,
                Call.error_kind,
                Call.cost_usd,
            )
            .where(Call.created_at >= start, Call.created_at < end, Call.status.in_(("succeeded", "failed")))
            .order_by(Call.id)
        )
        with self.db.session() as session:
            return [
                CostRow(
                    request_id=r.request_id,
                    created_at=r.created_at,
                    provider=r.provider,
                    agent=r.agent,
                    project=r.project,
                    purpose=r.purpose,
                    status=r.status,
                    error_kind=r.error_kind,
                    cost_usd=None if r.cost_usd is None else float(r.cost_usd),
                )
                for r in session.execute(query)
            ]

    def cache_hit_sources(self, start: datetime, end: datetime) -> builtins.list[str]:
        """For each request served from the cache in [start, end), the request whose answer it was served."""
        query = (
            select(Call.response_text)
            .where(Call.purpose == "cache", Call.created_at >= start, Call.created_at < end)
            .order_by(Call.id)
        )
        with self.db.session() as session:
            texts = session.scalars(query)
            return [t.removeprefix(CACHE_HIT_TEXT) for t in texts if t and t.startswith(CACHE_HIT_TEXT)]

    def request_costs(self, request_ids: Iterable[str], chunk: int = 500) -> dict[str, RequestCost]:
        """The ledger cost of each of ``request_ids`` that has rows (known sum, rows of unknown cost)."""
        wanted = sorted(set(request_ids))
        found: dict[str, RequestCost] = {}
        unknown = func.sum(case((Call.cost_usd.is_(None), 1), else_=0))
        with self.db.session() as session:
            for first in range(0, len(wanted), chunk):  # bounded IN lists, whatever the number of hits
                query = (
                    select(Call.request_id, func.coalesce(func.sum(Call.cost_usd), 0), unknown)
                    .where(Call.request_id.in_(wanted[first : first + chunk]), Call.status != "skipped")
                    .group_by(Call.request_id)
                )
                for request_id, total, unknown_rows in session.execute(query):
                    found[request_id] = RequestCost(
                        request_id=request_id, cost_usd=float(total), unknown_rows=int(unknown_rows or 0)
                    )
        return found

    def _insert(self, row: Call) -> int:
        with self.db.session() as session:
            session.add(row)
            session.flush()
            return row.id

    def _select(self, query: Select[Call]) -> builtins.list[CallRecord]:
        with self.db.session() as session:
            return [CallRecord.model_validate(row) for row in session.scalars(query)]

    def _redact(self, text: str | None) -> str | None:
        if text is None:
            return None
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def _dollars(cost: float | Decimal | None) -> Decimal | None:
    """A cost as an exact decimal of micro-dollars; None stays None (unknown price, not free)."""
    if cost is None:
        return None
    amount = Decimal(str(cost))  # str() keeps a float's shortest repr: 0.000123 -> Decimal("0.000123")
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"cost_usd must be a finite amount >= 0, not {cost!r}")
    return amount.quantize(_MICRO_DOLLAR, rounding=ROUND_HALF_UP)


def _fit(value: str | None, length: int) -> str | None:
    """Trim a provider-supplied value to its column (PostgreSQL refuses a longer one; SQLite would not)."""
    return value[:length] if value is not None else None


def _aware(moment: datetime | None) -> datetime | None:
    """An aggregate's time (read without the column's type on SQLite: a naive or text UTC value) made aware."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
