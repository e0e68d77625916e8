"""The provider breaker's table: which providers are skipped, until when and why (one row per open circuit).

Plain reads and upserts; the rules (when to open, for how long) are ``codegen.circuit``'s.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import ProviderCircuit, utcnow


class OpenCircuit(BaseModel):
    provider: str
    open_until: datetime
    error_kind: str
    reason: str
    key_digest: str | None = None


class CircuitStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def open_circuit(self, provider: str, now: datetime | None = None) -> OpenCircuit | None:
        """The provider's circuit while it is open at ``now``; None when the provider may be called."""
        now = now or utcnow()
        with self.db.session() as session:
            row = session.get(ProviderCircuit, provider)
            if row is None or row.open_until <= now:
                return None
            return OpenCircuit(
                provider=row.provider,
                open_until=row.open_until,
                error_kind=row.error_kind,
                reason=row.reason,
                key_digest=row.key_digest,
            )

    def trip(self, provider: str, until: datetime, error_kind: str, reason: str, key_digest: str | None = None) -> None:
        """Open (or extend) the provider's circuit until ``until``; a later cooldown already set is kept.
        Two processes tripping at once: one inserts, the other's insert fails and it extends the row."""
        values = dict(
            open_until=until, error_kind=error_kind[:64], reason=reason, opened_at=utcnow(), key_digest=key_digest
        )
        try:
            with self.db.session() as session:
                if session.get(ProviderCircuit, provider) is None:
                    session.add(ProviderCircuit(provider=provider, **values))
                    return
        except IntegrityError:
            pass
        with self.db.session() as session:
            session.execute(
                update(ProviderCircuit)
                .where(ProviderCircuit.provider == provider, ProviderCircuit.open_until < until)
                .values(**values)
            )

    def close(self, provider: str) -> None:
        """The provider answered: call it again from now on."""
        with self.db.session() as session:
            session.execute(delete(ProviderCircuit).where(ProviderCircuit.provider == provider))
