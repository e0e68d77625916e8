"""The budget's repository: reservations held before provider calls, fired alerts, month closes.

The check and the reservation are one transaction that holds the budget lock (SQLite ``BEGIN
IMMEDIATE``, PostgreSQL ``pg_advisory_xact_lock``), so racing processes never both pass a check the
sum of their calls would fail. Settling is one conditional UPDATE, so a reservation is settled once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from pydantic import BaseModel
from sqlalchemy import Connection, and_, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from storage.calls import INTERRUPTED
from storage.db import Database, rows_matched
from storage.models import BudgetAlert, BudgetReservation, BudgetSetting, Call, MonthClose, utcnow

# Key of the PostgreSQL advisory lock held while checking and reserving ("q2o" + 5).
PG_BUDGET_LOCK = 0x71326F05
_MICRO = Decimal("0.000001")


def micro_dollars(amount: float | Decimal, *, up: bool = False) -> Decimal:
    """An amount as exact micro-dollars; ``up`` rounds a worst case up, never down."""
    value = Decimal(str(amount))
    if not value.is_finite() or value < 0:
        raise ValueError(f"an amount must be a finite number >= 0, not {amount!r}")
    return value.quantize(_MICRO, rounding=ROUND_CEILING if up else ROUND_HALF_UP)


@dataclass(frozen=True)
class Limit:
    """One budget a call counts against: all spend of the month, one agent's, a pool of agents', a project's."""

    scope: str  # month | agent:<name> | agent:* | project:<name>
    budget_usd: Decimal
    agent: str | None = None
    other_than_agents: tuple[str, ...] | None = None  # the "*" pool: every agent not named
    project: str | None = None

    def condition(self):  # noqa: ANN201 - a SQLAlchemy boolean clause
        clauses = []
        if self.agent is not None:
            clauses.append(BudgetReservation.agent == self.agent)
        if self.other_than_agents is not None:
            clauses.append(BudgetReservation.agent.notin_(self.other_than_agents))
        if self.project is not None:
            clauses.append(BudgetReservation.project == self.project)
        return and_(True, *clauses)


class Usage(BaseModel):
    """Money against one limit in one month: settled (charged) and held by live reservations."""

    scope: str
    budget_usd: float
    settled_usd: float
    reserved_usd: float


class ReserveOutcome(BaseModel):
    """A reservation's id, or the limit that refused it."""

    reservation_id: int | None = None
    refused_scope: str | None = None
    used_usd: float = 0.0
    budget_usd: float = 0.0


class ReservationRecord(BaseModel):
    id: int
    call_id: int | None
    month: str
    day: str
    agent: str
    project: str
    provider: str
    amount_usd: float
    cost_usd: float | None
    status: str
    created_at: datetime
    settled_at: datetime | None


class FiredAlert(BaseModel):
    scope: str
    period: str
    level: int
    spent_usd: float
    budget_usd: float
    fired_at: datetime


class SpendRow(BaseModel):
    """One ledger row with its cost, for month statements."""

    request_id: str
    created_at: datetime
    provider: str
    agent: str
    project: str
    cost_usd: float | None


class MonthCloseRecord(BaseModel):
    month: str
    html_path: str
    pdf_path: str
    spent_usd: float
    closed_at: datetime


class BudgetStore:
    """Reads and writes the budget tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- the stored budget ---------------------------------------------------------------------
    def stored_budget(self, name: str = "monthly") -> float | None:
        with self.db.session() as session:
            row = session.get(BudgetSetting, name)
            return None if row is None else float(row.amount_usd)

    def set_budget(self, amount: float, name: str = "monthly") -> None:
        with self.db.session() as session:
            row = session.get(BudgetSetting, name)
            if row is None:
                session.add(BudgetSetting(name=name, amount_usd=micro_dollars(amount), updated_at=utcnow()))
            else:
                row.amount_usd, row.updated_at = micro_dollars(amount), utcnow()

    # --- reserve, settle, release ----------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[Connection]:
        """One transaction holding the budget lock: other reservers wait until it ends."""
        with self.db.engine.connect() as connection:
            if self.db.is_sqlite:
                conn = connection.execution_options(isolation_level="AUTOCOMMIT")
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    with suppress(SQLAlchemyError):
                        conn.exec_driver_sql("ROLLBACK")
                    raise
                conn.exec_driver_sql("COMMIT")
                return
            with connection.begin():
                connection.execute(select(func.pg_advisory_xact_lock(PG_BUDGET_LOCK)))
                yield connection

    def reserve(
        self,
        *,
        amount_usd: Decimal,
        month: str,
        day: str,
        agent: str,
        project: str,
        provider: str,
        model: str | None,
        call_id: int | None,
        limits: list[Limit],
        daily_call_limit: int | None,
        expire_before: datetime,
    ) -> ReserveOutcome:
        """Check every limit and hold ``amount_usd`` in one locked transaction, or say which limit refused."""
        with self._locked() as conn:
            self._expire(conn, expire_before)
            if daily_call_limit is not None:
                calls = conn.execute(
                    select(func.count())
                    .select_from(BudgetReservation)
                    .where(BudgetReservation.day == day, BudgetReservation.status != "expired")
                ).scalar_one()
                if calls + 1 > daily_call_limit:
                    return ReserveOutcome(refused_scope="daily-calls", used_usd=calls, budget_usd=daily_call_limit)
            for limit, (settled, reserved) in zip(limits, self._sums(conn, month, limits), strict=True):
                used = settled + reserved
                if used + amount_usd > limit.budget_usd:
                    return ReserveOutcome(
                        refused_scope=limit.scope, used_usd=float(used), budget_usd=float(limit.budget_usd)
                    )
            reservation_id = conn.execute(
                insert(BudgetReservation)
                .values(
                    call_id=call_id,
                    month=month,
                    day=day,
                    agent=agent[:64],
                    project=project[:64],
                    provider=provider[:32],
                    model=model[:128] if model else None,
                    amount_usd=amount_usd,
                    status="reserved",
                    created_at=utcnow(),
                )
                .returning(BudgetReservation.id)
            ).scalar_one()
        return ReserveOutcome(reservation_id=reservation_id)

    def settle(self, reservation_id: int, cost_usd: Decimal) -> bool:
        """Charge ``cost_usd`` once: a reservation still held (or expired meanwhile) becomes settled."""
        return self._finish(reservation_id, "settled", cost_usd)

    def release(self, reservation_id: int) -> bool:
        """Give a held reservation back with no charge."""
        return self._finish(reservation_id, "released", Decimal(0))

    def _finish(self, reservation_id: int, status: str, cost: Decimal) -> bool:
        with self.db.session() as session:
            # One conditional UPDATE: of two racing finishers exactly one matches (no double charge).
            done = session.execute(
                update(BudgetReservation)
                .where(BudgetReservation.id == reservation_id, BudgetReservation.status.in_(("reserved", "expired")))
                .values(status=status, cost_usd=cost, settled_at=utcnow()),
                execution_options={"synchronize_session": False},
            )
            return rows_matched(done) == 1

    def interrupt_request(self, request_id: str, why: str) -> int:
        """The process running ``request_id`` died (a killed run host): its calls still "running" end as
        interrupted, cost unknown (never 0: the provider may have billed them), and their budget holds expire at
        once instead of after the hold's timeout. A call that still ends after all takes its real outcome
        (``CallLedger.finish``). How many calls it ended."""
        running = and_(Call.request_id == request_id, Call.status == "running")
        with self.db.engine.begin() as conn:
            ids = [row[0] for row in conn.execute(select(Call.id).where(running))]
            if not ids:
                return 0
            conn.execute(
                update(Call)
                .where(Call.id.in_(ids), Call.status == "running")
                .values(
                    status="failed",
                    error_kind=INTERRUPTED,
                    finished_at=utcnow(),
                    error_message=f"interrupted: {why}; the provider may still have billed it",
                ),
                execution_options={"synchronize_session": False},
            )
            conn.execute(
                update(BudgetReservation)
                .where(BudgetReservation.call_id.in_(ids), BudgetReservation.status == "reserved")
                .values(status="expired"),
                execution_options={"synchronize_session": False},
            )
            return len(ids)

    def expire(self, expire_before: datetime) -> int:
        """Mark reservations held since before ``expire_before`` (their process died) as expired."""
        with self.db.engine.begin() as conn:
            return self._expire(conn, expire_before)

    @staticmethod
    def _expire(conn: Connection, expire_before: datetime) -> int:
        stale = and_(BudgetReservation.status == "reserved", BudgetReservation.created_at < expire_before)
        # Their calls' ledger rows are still "running": the process died mid-call. Say so, cost unknown (never 0);
        # should the call still end after all, its real outcome replaces this (CallLedger.finish).
        conn.execute(
            update(Call)
            .where(
                Call.status == "running",
                Call.id.in_(select(BudgetReservation.call_id).where(stale)),
            )
            .values(
                status="failed",
                error_kind=INTERRUPTED,
                finished_at=utcnow(),
                error_message="interrupted: the process making this call stopped before the call ended "
                "(its budget hold expired); the provider may still have billed it",
            ),
            execution_options={"synchronize_session": False},
        )
        return conn.execute(update(BudgetReservation).where(stale).values(status="expired")).rowcount

    @staticmethod
    def _sums(
        conn: Connection, month: str, limits: list[Limit], live_after: datetime | None = None
    ) -> list[tuple[Decimal, Decimal]]:
        """(settled, held) per limit in one query; held counts reservations created after ``live_after``."""
        if not limits:
            return []
        held = BudgetReservation.status == "reserved"
        if live_after is not None:
            held = and_(held, BudgetReservation.created_at >= live_after)
        columns = []
        for limit in limits:
            cond = limit.condition()
            columns.append(
                func.coalesce(
                    func.sum(
                        case((and_(cond, BudgetReservation.status == "settled"), BudgetReservation.cost_usd), else_=0)
                    ),
                    0,
                )
            )
            columns.append(func.coalesce(func.sum(case((and_(cond, held), BudgetReservation.amount_usd), else_=0)), 0))
        row = conn.execute(select(*columns).where(BudgetReservation.month == month)).one()
        values = [Decimal(str(v)) for v in row]
        return [(values[2 * i], values[2 * i + 1]) for i in range(len(limits))]

    def usage(self, month: str, limits: list[Limit], live_after: datetime) -> list[Usage]:
        with self.db.engine.connect() as conn:
            sums = self._sums(conn, month, limits, live_after)
        return [
            Usage(scope=limit.scope, budget_usd=float(limit.budget_usd), settled_usd=float(s), reserved_usd=float(r))
            for limit, (s, r) in zip(limits, sums, strict=True)
        ]

    def day_totals(self, day: str) -> tuple[int, float]:
        """Calls (reservations not expired) and settled dollars of one day."""
        query = select(
            func.count(),
            func.coalesce(
                func.sum(case((BudgetReservation.status == "settled", BudgetReservation.cost_usd), else_=0)), 0
            ),
        ).where(BudgetReservation.day == day, BudgetReservation.status != "expired")
        with self.db.engine.connect() as conn:
            calls, cost = conn.execute(query).one()
        return int(calls), float(cost)

    def spend_by(self, month: str, column: str) -> dict[str, float]:
        """Settled dollars of the month grouped by ``provider``, ``agent`` or ``project``."""
        key = getattr(BudgetReservation, column)
        query = (
            select(key, func.coalesce(func.sum(BudgetReservation.cost_usd), 0))
            .where(BudgetReservation.month == month, BudgetReservation.status == "settled")
            .group_by(key)
        )
        with self.db.engine.connect() as conn:
            return {name: float(total) for name, total in conn.execute(query)}

    def get(self, reservation_id: int) -> ReservationRecord | None:
        with self.db.session() as session:
            row = session.get(BudgetReservation, reservation_id)
            return None if row is None else ReservationRecord.model_validate(row, from_attributes=True)

    def reservations(self, month: str | None = None) -> list[ReservationRecord]:
        query = select(BudgetReservation).order_by(BudgetReservation.id)
        if month is not None:
            query = query.where(BudgetReservation.month == month)
        with self.db.session() as session:
            return [ReservationRecord.model_validate(r, from_attributes=True) for r in session.scalars(query)]

    # --- alerts ----------------------------------------------------------------------------------
    def fired_levels(self, scope: str, period: str) -> set[int]:
        query = select(BudgetAlert.level).where(BudgetAlert.scope == scope, BudgetAlert.period == period)
        with self.db.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def try_fire(self, scope: str, period: str, level: int, spent_usd: float, budget_usd: float) -> bool:
        """Record an alert; True for the one process whose insert won (the unique row decides)."""
        try:
            with self.db.engine.begin() as conn:
                conn.execute(
                    insert(BudgetAlert).values(
                        scope=scope[:100],
                        period=period,
                        level=level,
                        spent_usd=micro_dollars(spent_usd),
                        budget_usd=micro_dollars(budget_usd),
                        fired_at=utcnow(),
                    )
                )
            return True
        except IntegrityError:
            return False

    def alerts(self, period: str) -> list[FiredAlert]:
        query = select(BudgetAlert).where(BudgetAlert.period == period).order_by(BudgetAlert.scope, BudgetAlert.level)
        with self.db.session() as session:
            return [FiredAlert.model_validate(r, from_attributes=True) for r in session.scalars(query)]

    # --- month close -----------------------------------------------------------------------------
    def spend_rows(self, start: datetime, end: datetime) -> list[SpendRow]:
        """Ledger rows created in [start, end) that carry a cost, for a month's statement."""
        query = (
            select(Call.request_id, Call.created_at, Call.provider, Call.agent, Call.project, Call.cost_usd)
            .where(Call.created_at >= start, Call.created_at < end, Call.status.in_(("succeeded", "failed")))
            .order_by(Call.id)
        )
        with self.db.session() as session:
            return [
                SpendRow(
                    request_id=r[0],
                    created_at=r[1],
                    provider=r[2],
                    agent=r[3],
                    project=r[4],
                    cost_usd=None if r[5] is None else float(r[5]),
                )
                for r in session.execute(query)
            ]

    def get_close(self, month: str) -> MonthCloseRecord | None:
        with self.db.session() as session:
            row = session.get(MonthClose, month)
            return None if row is None else MonthCloseRecord.model_validate(row, from_attributes=True)

    def record_close(self, month: str, html_path: str, pdf_path: str, spent_usd: float) -> MonthCloseRecord:
        """Record the close once; a second closer gets the first record back."""
        try:
            with self.db.engine.begin() as conn:
                conn.execute(
                    insert(MonthClose).values(
                        month=month,
                        html_path=html_path,
                        pdf_path=pdf_path,
                        spent_usd=micro_dollars(spent_usd),
                        closed_at=utcnow(),
                    )
                )
        except IntegrityError:
            pass
        record = self.get_close(month)
        assert record is not None
        return record


__all__ = [
    "BudgetStore",
    "FiredAlert",
    "Limit",
    "MonthCloseRecord",
    "ReservationRecord",
    "ReserveOutcome",
    "SpendRow",
    "Usage",
    "micro_dollars",
]
