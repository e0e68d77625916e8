"""ORM models (SQLAlchemy 2): the call ledger and the template library.

Costs are exact decimals (NULL means the price is unknown, never 0); times are timezone-aware UTC on
every backend. Migrations in ``storage/migrations`` create exactly these tables.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Dialect, Float, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

CALL_STATUSES = ("running", "succeeded", "failed", "skipped")
CALL_PURPOSES = ("generate", "review", "repair", "check", "parameterize", "fit", "cache")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """``TIMESTAMP WITH TIME ZONE`` that always reads back aware and in UTC.

    SQLite keeps no zone (values come back naive) and PostgreSQL answers in the server's zone, so
    values are stored in UTC and given ``tzinfo=UTC`` on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # A naive value (e.g. from an imported JSON file) is taken to be UTC already.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Call(Base):
    """One attempt at one provider (or a recorded skip): the call ledger."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(String(64), index=True)
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    agent: Mapped[str] = mapped_column(String(64), index=True)
    project: Mapped[str] = mapped_column(String(64), index=True)
    provider: Mapped[str] = mapped_column(String(32), index=True)
    model: Mapped[str | None] = mapped_column(String(128))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    purpose: Mapped[str] = mapped_column(String(32), default="generate")  # one of CALL_PURPOSES
    status: Mapped[str] = mapped_column(String(16), index=True)  # one of CALL_STATUSES
    error_kind: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    input_tokens: Mapped[int | None] = mapped_column(Integer)
    output_tokens: Mapped[int | None] = mapped_column(Integer)
    cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))
    latency_s: Mapped[float | None] = mapped_column(Float)
    system_prompt: Mapped[str] = mapped_column(Text, default="")
    prompt: Mapped[str] = mapped_column(Text, default="")
    response_text: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[str | None] = mapped_column(String(400))  # comma-separated, e.g. prompt_injection
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What became of a succeeded call's answer: one of CALL_VERDICTS, None while nobody rejected it.
    verdict: Mapped[str | None] = mapped_column(String(32))
    verdict_reason: Mapped[str | None] = mapped_column(Text)


class Template(Base):
    """A parameterized template, learned from a good generation or shipped as a starter."""

    __tablename__ = "templates"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    signature: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    stack_key: Mapped[str] = mapped_column(String(200), index=True)
    source_task: Mapped[str] = mapped_column(Text, default="")
    skeleton: Mapped[str] = mapped_column(Text)  # JSON list of phrasings (tasks with slot markers)
    slots: Mapped[str] = mapped_column(Text)  # JSON list of {"name", "words"}
    content: Mapped[str] = mapped_column(Text)  # JSON list of {"path", "content"}
    # learned | starter | imported | manual (templates add) | promoted (templates promote)
    origin: Mapped[str] = mapped_column(String(16), default="learned")
    source_provider: Mapped[str | None] = mapped_column(String(32), index=True)
    source_model: Mapped[str | None] = mapped_column(String(128))
    source_call_id: Mapped[int | None] = mapped_column(Integer)
    source_cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))
    quality_score: Mapped[float] = mapped_column(Float, default=0.0)
    usage_count: Mapped[int] = mapped_column(Integer, default=0)
    failure_count: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TemplateKey(Base):
    """Index keys of a template's skeleton (see learning.skeleton.lookup_keys): flat lookup at any size."""

    __tablename__ = "template_keys"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    template_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("templates.id", ondelete="CASCADE"), primary_key=True
    )


class TemplateUse(Base):
    """One request served from a template: what the month statement counts as reuse and savings.

    No foreign key: a deleted template's uses stay in the books (with the name it had).
    """

    __tablename__ = "template_uses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    template_id: Mapped[str] = mapped_column(String(40), index=True)
    template_name: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(64))
    agent: Mapped[str | None] = mapped_column(String(64))
    project: Mapped[str | None] = mapped_column(String(64))
    saved_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))  # the template's source cost then
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class CachedResult(Base):
    """The answer a request got, by the key of everything that shaped it (task, stack, chain, prompts)."""

    __tablename__ = "result_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64))
    provider: Mapped[str | None] = mapped_column(String(32))
    model: Mapped[str | None] = mapped_column(String(128))
    quality_score: Mapped[float | None] = mapped_column(Float)
    cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))  # what the answer cost when it was made
    files: Mapped[str] = mapped_column(Text)  # JSON list of {"path", "content"}
    hits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # repeats served from it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ProviderCircuit(Base):
    """A provider the breaker skips until ``open_until``, after its every attempt failed (shared by every
    process on the database, so one dead provider costs each of them nothing until it is tried again)."""

    __tablename__ = "provider_circuits"

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    open_until: Mapped[datetime] = mapped_column(UTCDateTime)
    error_kind: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A digest of the key that was refused (never the key): a circuit opened by a 401 ends when the key changes.
    key_digest: Mapped[str | None] = mapped_column(String(64))


class PromptLayerVersion(Base):
    """One version of a prompt layer (agent, project or task type over a system prompt); never updated: a change
    is a new row, a reset a row without text, so the history keeps who changed what and when."""

    __tablename__ = "prompt_layers"
    __table_args__ = (UniqueConstraint("prompt", "scope", "target", "version", name="uq_prompt_layer_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prompt: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)  # NULL: the layer was reset (removed)
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- budget --------------------------------------------------------------------------------------------
RESERVATION_STATUSES = ("reserved", "settled", "released", "expired")


class BudgetSetting(Base):
    """A stored budget value (``monthly``: set by ``q2o budget set``, wins over Q2O_MONTHLY_BUDGET_USD)."""

    __tablename__ = "budget_settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    amount_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BudgetReservation(Base):
    """The worst case of one provider call, held before it and settled (or released) after it."""

    __tablename__ = "budget_reservations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_id: Mapped[int | None] = mapped_column(Integer, index=True)
    month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM in Q2O_TIMEZONE
    day: Mapped[str] = mapped_column(String(10), index=True)  # YYYY-MM-DD in Q2O_TIMEZONE
    agent: Mapped[str] = mapped_column(String(64))
    project: Mapped[str] = mapped_column(String(64))
    provider: Mapped[str] = mapped_column(String(32))
    model: Mapped[str | None] = mapped_column(String(128))
    amount_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6))  # the worst case held
    cost_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))  # what was charged, once settled
    status: Mapped[str] = mapped_column(String(16), index=True)  # one of RESERVATION_STATUSES
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BudgetAlert(Base):
    """An alert that fired: unique per scope, period and level, so it fires once across processes."""

    __tablename__ = "budget_alerts"
    __table_args__ = (UniqueConstraint("scope", "period", "level", name="uq_budget_alerts_scope_period_level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(10), index=True)
    level: Mapped[int] = mapped_column(Integer)
    spent_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6))
    budget_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6))
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MonthClose(Base):
    """A closed month: its statement files; one row per month."""

    __tablename__ = "month_closes"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    html_path: Mapped[str] = mapped_column(Text)
    pdf_path: Mapped[str] = mapped_column(Text)
    spent_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RequestRow(Base):
    """One request as it entered the flow (task, stack, who asked), so an admin can re-run it or promote one of
    its calls to a template. Written once, at the flow's start: a request that crashed later is here too."""

    __tablename__ = "requests"

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    task: Mapped[str] = mapped_column(Text)
    stack: Mapped[str] = mapped_column(String(400))  # comma separated, as the request gave it
    agent: Mapped[str] = mapped_column(String(64), index=True)
    project: Mapped[str] = mapped_column(String(64), index=True)
    chain: Mapped[str | None] = mapped_column(String(400))  # the request's own chain; None: the configured one
    flags: Mapped[str | None] = mapped_column(String(400))
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    rerun_of: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # the whole request as JSON (its context fields too), read back as is
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
