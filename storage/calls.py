"""The call ledger's repository: a row is written before each call and finished after it.

Writing first means a crash never loses a call; a row is finished once, so nothing is charged twice.
Every text is redacted of the secrets in force before it is stored.
"""

from __future__ import annotations

import builtins
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from storage.db import Database
from storage.models import Call, utcnow


class CallRecord(BaseModel):
    """One ledger row."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    request_id: str
    flow_run_id: str | None
    agent: str
    project: str
    provider: str
    model: str | None
    attempt: int
    purpose: str
    status: str
    error_kind: str | None
    error_message: str | None
    input_tokens: int | None
    output_tokens: int | None
    cost_usd: float | None
    latency_s: float | None
    system_prompt: str
    prompt: str
    response_text: str | None
    created_at: datetime
    finished_at: datetime | None


def _record(row: Call) -> CallRecord:
    record = CallRecord.model_validate(row)
    if row.cost_usd is not None:
        record.cost_usd = float(row.cost_usd)
    return record


class CallLedger:
    """Reads and writes the ``calls`` table."""

    def __init__(self, db: Database, secrets: builtins.list[str] | None = None) -> None:
        self.db = db
        self.secrets = [s for s in (secrets or []) if s]

    def _clean(self, text: str | None) -> str | None:
        if text is None:
            return None
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def start(self, *, request_id: str, flow_run_id: str | None, agent: str, project: str, provider: str,
              model: str | None, attempt: int, system_prompt: str, prompt: str,
              purpose: str = "generate") -> int:
        """Insert a ``running`` row, committed at once; return its id."""
        row = Call(request_id=request_id, flow_run_id=flow_run_id, agent=agent, project=project,
                   provider=provider, model=model, attempt=attempt, purpose=purpose, status="running",
                   system_prompt=self._clean(system_prompt), prompt=self._clean(prompt), created_at=utcnow())
        with self.db.session() as session:
            session.add(row)
            session.flush()
            return row.id

    def finish(self, call_id: int, *, status: str, error_kind: str | None = None,
               error_message: str | None = None, input_tokens: int | None = None,
               output_tokens: int | None = None, cost_usd: float | None = None,
               latency_s: float | None = None, response_text: str | None = None,
               model: str | None = None) -> CallRecord:
        """Complete a running row; a row already finished raises ``ValueError``."""
        if status not in ("succeeded", "failed"):
            raise ValueError(f"a call finishes as succeeded or failed, not {status!r}")
        with self.db.session() as session:
            row = session.get(Call, call_id, with_for_update=not self.db.is_sqlite)
            if row is None:
                raise ValueError(f"no call {call_id}")
            if row.status != "running":
                raise ValueError(f"call {call_id} is already {row.status}")
            row.status = status
            row.error_kind = error_kind
            row.error_message = self._clean(error_message)
            row.input_tokens = input_tokens
            row.output_tokens = output_tokens
            row.cost_usd = None if cost_usd is None else Decimal(str(round(cost_usd, 6)))
            row.latency_s = latency_s
            row.response_text = self._clean(response_text)
            row.model = model or row.model
            row.finished_at = utcnow()
            session.flush()
            return _record(row)

    def record_skip(self, *, request_id: str, flow_run_id: str | None, agent: str, project: str,
                    provider: str, model: str | None, reason: str) -> int:
        """A provider that was not called (no key): status ``skipped``."""
        row = Call(request_id=request_id, flow_run_id=flow_run_id, agent=agent, project=project,
                   provider=provider, model=model, attempt=0, purpose="generate", status="skipped",
                   error_kind="not_configured", error_message=self._clean(reason), system_prompt="",
                   prompt="", created_at=utcnow(), finished_at=utcnow())
        with self.db.session() as session:
            session.add(row)
            session.flush()
            return row.id

    def get(self, call_id: int) -> CallRecord | None:
        with self.db.session() as session:
            row = session.get(Call, call_id)
            return _record(row) if row else None

    def list(self, *, limit: int = 20, agent: str | None = None, provider: str | None = None,
             status: str | None = None, request_id: str | None = None) -> builtins.list[CallRecord]:
        """Newest first, filtered."""
        query = select(Call).order_by(Call.id.desc()).limit(limit)
        for column, value in ((Call.agent, agent), (Call.provider, provider), (Call.status, status),
                              (Call.request_id, request_id)):
            if value is not None:
                query = query.where(column == value)
        with self.db.session() as session:
            return [_record(r) for r in session.scalars(query)]

    def for_request(self, request_id: str) -> builtins.list[CallRecord]:
        """A request's rows, oldest first."""
        query = select(Call).where(Call.request_id == request_id).order_by(Call.id)
        with self.db.session() as session:
            return [_record(r) for r in session.scalars(query)]
