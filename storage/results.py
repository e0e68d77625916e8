"""The exact-repeat cache's repository: one answer per key, the newest kept."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import delete, func, select, update

from storage.db import Database
from storage.models import CachedResult, utcnow


class CachedAnswer(BaseModel):
    key: str
    request_id: str
    provider: str | None
    model: str | None
    quality_score: float | None
    cost_usd: float | None
    files: list[dict]
    created_at: datetime


class ResultCache:
    def __init__(self, db: Database) -> None:
        self.db = db

    def put(self, answer: CachedAnswer) -> None:
        """Keep ``answer`` for its key (replacing an older one) in one transaction."""
        with self.db.session() as session:
            session.execute(delete(CachedResult).where(CachedResult.key == answer.key))
            session.add(
                CachedResult(
                    key=answer.key,
                    request_id=answer.request_id,
                    provider=answer.provider,
                    model=answer.model,
                    quality_score=answer.quality_score,
                    cost_usd=None if answer.cost_usd is None else Decimal(str(round(answer.cost_usd, 6))),
                    files=json.dumps(answer.files),
                    created_at=answer.created_at or utcnow(),
                )
            )

    def get(self, key: str, since: datetime) -> CachedAnswer | None:
        """The answer kept for ``key`` if it was made at or after ``since``."""
        with self.db.session() as session:
            row = session.scalars(
                select(CachedResult).where(CachedResult.key == key, CachedResult.created_at >= since)
            ).first()
            if row is None:
                return None
            return CachedAnswer(
                key=row.key,
                request_id=row.request_id,
                provider=row.provider,
                model=row.model,
                quality_score=row.quality_score,
                cost_usd=None if row.cost_usd is None else float(row.cost_usd),
                files=json.loads(row.files),
                created_at=row.created_at,
            )

    def record_hit(self, key: str) -> None:
        with self.db.session() as session:
            session.execute(update(CachedResult).where(CachedResult.key == key).values(hits=CachedResult.hits + 1))

    def totals(self) -> tuple[int, float]:
        """Repeats served from the cache, and what their answers cost when they were made."""
        with self.db.session() as session:
            hits, saved = session.execute(
                select(
                    func.coalesce(func.sum(CachedResult.hits), 0),
                    func.coalesce(func.sum(CachedResult.hits * CachedResult.cost_usd), 0),
                )
            ).one()
        return int(hits), float(saved)
