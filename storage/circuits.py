"""The provider breaker's table: each provider's circuit (closed, open, half-open), shared by every process.

Plain reads and one write primitive, ``write``: a change applies only if the row is still the one the writer
read (its ``version``), so of two processes racing (two failures, two claims of the one probe) exactly one
wins on SQLite and PostgreSQL alike, and the loser reads again. The rules are ``codegen.circuit``'s.
"""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database, rows_matched
from storage.models import ProviderCircuit

CircuitState = Literal["closed", "open", "half_open"]


class CircuitRecord(BaseModel):
    """One provider's circuit as read back."""

    model_config = ConfigDict(from_attributes=True)

    provider: str
    state: CircuitState
    since: datetime | None  # when the state began
    open_until: datetime  # open: skipped until then (kept once closed, as history)
    error_kind: str  # the last failure's kind
    reason: str
    opened_at: datetime  # when the current (or last) outage began
    key_digest: str | None
    level: int  # openings in a row since the provider last answered
    failures: int  # consecutive failed calls since it last answered
    probe_token: str | None
    probe_until: datetime | None
    version: int


class CircuitStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, provider: str) -> CircuitRecord | None:
        with self.db.session() as session:
            row = session.get(ProviderCircuit, provider)
            return CircuitRecord.model_validate(row) if row is not None else None

    def all(self) -> builtins.list[CircuitRecord]:
        with self.db.session() as session:
            rows = session.scalars(select(ProviderCircuit).order_by(ProviderCircuit.provider))
            return [CircuitRecord.model_validate(row) for row in rows]

    def write(self, provider: str, seen: CircuitRecord | None, values: dict[str, object]) -> bool:
        """Set ``values`` on the provider's row if it is still as ``seen`` (None: there is no row yet, so insert
        one); False when another writer got there first (the caller reads again and decides anew)."""
        values = dict(values)
        if "error_kind" in values and isinstance(values["error_kind"], str):
            values["error_kind"] = values["error_kind"][:64]
        if seen is None:
            try:
                with self.db.session() as session:
                    session.add(ProviderCircuit(provider=provider, version=1, **values))
                return True
            except IntegrityError:  # another process inserted it first
                return False
        with self.db.session() as session:
            done = session.execute(
                update(ProviderCircuit)
                .where(ProviderCircuit.provider == provider, ProviderCircuit.version == seen.version)
                .values(version=seen.version + 1, **values),
                execution_options={"synchronize_session": False},
            )
            return rows_matched(done) == 1
