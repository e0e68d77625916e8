"""The template store: one row per signature (a unique constraint, so concurrent learners cannot
duplicate one), lookup by skeleton index keys, usage and failure counts, export and import.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from pydantic import BaseModel, Field
from sqlalchemy import Boolean, TextClause, bindparam, case, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database, rows_matched
from storage.models import Template, TemplateKey, TemplateUse, utcnow


class TemplateUses(BaseModel):
    """A template's reuse in a period: requests served and what their generations would have cost."""

    template_id: str
    name: str
    uses: int
    saved_usd: float | None = Field(description="Sum of the source generation's cost per use; None if unknown.")


class KeyMatch(NamedTuple):
    """An enabled template holding one of a lookup's exact keys: just what ranking needs, not its code."""

    template_id: str
    key: str
    slot_names: frozenset[str]
    quality_score: float
    usage_count: int


# Lookups are plain SQL built once: building SQLAlchemy expressions per request was most of a lookup's time.
_MATCHES = text(
    "SELECT k.template_id, k.key, t.slots, t.quality_score, t.usage_count"
    # CROSS JOIN: SQLite then reads the keys first (the primary-key index), never a stack's or all enabled rows
    " FROM template_keys k CROSS JOIN templates t"
    " WHERE k.key IN :keys AND t.id = k.template_id AND t.enabled = :on AND t.stack_key = :stack"
    " ORDER BY t.quality_score DESC, t.usage_count DESC, t.id LIMIT :cap"
).bindparams(bindparam("keys", expanding=True), bindparam("on", type_=Boolean))


_KEY_COUNTS = text(
    "SELECT k.key, COUNT(*) FROM template_keys k CROSS JOIN templates t"
    " WHERE k.key IN :keys AND t.id = k.template_id AND t.enabled = :on GROUP BY k.key"
).bindparams(bindparam("keys", expanding=True), bindparam("on", type_=Boolean))
_STACK_COUNT = text("SELECT COUNT(*) FROM templates WHERE stack_key = :stack AND enabled = :on").bindparams(
    bindparam("on", type_=Boolean)
)


@lru_cache(maxsize=8)
def _held(count: int) -> TextClause:
    """One indexed EXISTS probe per key, in one statement (a key thousands of templates share costs no more
    than a rare one)."""
    probes = ", ".join(
        "EXISTS (SELECT 1 FROM template_keys k CROSS JOIN templates t"  # noqa: S608 - a counter
        f" WHERE k.key = :k{i} AND t.id = k.template_id AND t.enabled = :on)"
        for i in range(count)
    )
    return text(f"SELECT {probes}").bindparams(bindparam("on", type_=Boolean))  # noqa: S608 - see above


class TemplateRecord(BaseModel):
    """A template as stored (JSON columns decoded)."""

    id: str
    signature: str
    name: str
    description: str = ""
    stack_key: str
    source_task: str = ""
    skeleton: list[str] = Field(description="Phrasings: each task it serves, its names as slot markers.")
    slots: list[dict] = Field(description='[{"name": "entity", "words": ["purchase", "order"]}]')
    files: list[dict] = Field(description='[{"path": ..., "content": ...}] with slot markers')
    origin: str = "learned"
    source_provider: str | None = None
    source_model: str | None = None
    source_call_id: int | None = None
    source_cost_usd: float | None = None
    quality_score: float = 0.0
    usage_count: int = 0
    failure_count: int = 0
    enabled: bool = True
    created_at: datetime | None = None
    last_used_at: datetime | None = None
    keys: list[str] = Field(default_factory=list, description="Skeleton index keys.")


def _record(row: Template, keys: builtins.list[str] | None = None) -> TemplateRecord:
    return TemplateRecord(
        id=row.id,
        signature=row.signature,
        name=row.name,
        description=row.description,
        stack_key=row.stack_key,
        source_task=row.source_task,
        skeleton=json.loads(row.skeleton),
        slots=json.loads(row.slots),
        files=json.loads(row.content),
        origin=row.origin,
        source_provider=row.source_provider,
        source_model=row.source_model,
        source_call_id=row.source_call_id,
        source_cost_usd=None if row.source_cost_usd is None else float(row.source_cost_usd),
        quality_score=row.quality_score,
        usage_count=row.usage_count,
        failure_count=row.failure_count,
        enabled=row.enabled,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        keys=keys or [],
    )


def _row(rec: TemplateRecord) -> Template:
    return Template(
        id=rec.id,
        signature=rec.signature,
        name=rec.name,
        description=rec.description,
        stack_key=rec.stack_key,
        source_task=rec.source_task,
        skeleton=json.dumps(rec.skeleton),
        slots=json.dumps(rec.slots),
        content=json.dumps(rec.files),
        origin=rec.origin,
        source_provider=rec.source_provider,
        source_model=rec.source_model,
        source_call_id=rec.source_call_id,
        source_cost_usd=None if rec.source_cost_usd is None else Decimal(str(round(rec.source_cost_usd, 6))),
        quality_score=rec.quality_score,
        usage_count=rec.usage_count,
        failure_count=rec.failure_count,
        enabled=rec.enabled,
        created_at=rec.created_at or utcnow(),
        last_used_at=rec.last_used_at,
    )


class TemplateStore:
    """Reads and writes the ``templates`` and ``template_keys`` tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, record: TemplateRecord) -> tuple[TemplateRecord, bool]:
        """Store ``record``; if its signature exists, return the stored one and False.

        A *disabled* template with the signature (failed validation too often, or switched off) is
        replaced: a fresh good generation takes its place instead of being blocked by it forever.
        """
        try:
            with self.db.session() as session:
                session.add(_row(record))
                session.flush()
                session.add_all(TemplateKey(key=k, template_id=record.id) for k in set(record.keys))
            return record, True
        except IntegrityError:
            existing = self.by_signature(record.signature)
            if existing is None:
                raise
            if not existing.enabled and self._replace_disabled(existing.id, record):
                return record, True
            return existing, False

    def _replace_disabled(self, old_id: str, record: TemplateRecord) -> bool:
        """Swap a disabled template for ``record`` in one transaction; False if another writer got there first."""
        try:
            with self.db.session() as session:
                gone = rows_matched(
                    session.execute(delete(Template).where(Template.id == old_id, Template.enabled.is_(False)))
                )
                if not gone:
                    return False
                session.execute(delete(TemplateKey).where(TemplateKey.template_id == old_id))
                session.add(_row(record))
                session.flush()
                session.add_all(TemplateKey(key=k, template_id=record.id) for k in set(record.keys))
            return True
        except IntegrityError:
            return False

    def add_phrasing(self, template_id: str, pattern: str, keys: builtins.list[str]) -> bool:
        """Keep ``pattern`` as one more phrasing of a template, with its index keys; False if it had it already.

        The row is locked while its phrasings are rewritten, so two writers never lose one another's."""
        with self.db.session() as session:
            row = session.scalars(select(Template).where(Template.id == template_id).with_for_update()).first()
            if row is None:
                return False
            phrasings = json.loads(row.skeleton)
            if pattern in phrasings:
                return False
            row.skeleton = json.dumps([*phrasings, pattern])
            have = set(session.scalars(select(TemplateKey.key).where(TemplateKey.template_id == template_id)))
            session.add_all(TemplateKey(key=k, template_id=template_id) for k in sorted(set(keys) - have))
        return True

    def set_slots(self, template_id: str, slots: builtins.list[dict]) -> None:
        with self.db.session() as session:
            session.execute(update(Template).where(Template.id == template_id).values(slots=json.dumps(slots)))

    def by_signature(self, signature: str) -> TemplateRecord | None:
        with self.db.session() as session:
            row = session.scalars(select(Template).where(Template.signature == signature)).first()
            return _record(row) if row else None

    def get(self, template_id: str, *, keys: bool = True) -> TemplateRecord | None:
        """One template; ``keys=False`` leaves its index keys unread (a lookup serving it needs none)."""
        with self.db.session() as session:
            row = session.get(Template, template_id)
            if row is None:
                return None
            if not keys:
                return _record(row)
            held = session.scalars(select(TemplateKey.key).where(TemplateKey.template_id == template_id))
            return _record(row, sorted(held))

    def held_keys(self, keys: builtins.list[str]) -> set[str]:
        """Those of ``keys`` that some enabled template holds (one indexed probe per key)."""
        wanted = sorted(set(keys))
        if not wanted:
            return set()
        params: dict[str, object] = {f"k{i}": key for i, key in enumerate(wanted)}
        with self.db.session() as session:
            row = session.execute(_held(len(wanted)), {**params, "on": True}).one()
        return {key for key, held in zip(wanted, row, strict=True) if held}

    def key_counts(self, keys: builtins.list[str]) -> dict[str, int]:
        """How many enabled templates hold each of ``keys`` (absent: none)."""
        if not keys:
            return {}
        with self.db.session() as session:
            return {k: int(n) for k, n in session.execute(_KEY_COUNTS, {"keys": sorted(set(keys)), "on": True})}

    def count_enabled(self, stack_key: str) -> int:
        """Enabled templates of this stack."""
        with self.db.session() as session:
            return int(session.execute(_STACK_COUNT, {"stack": stack_key, "on": True}).scalar_one())

    def key_matches(self, stack_key: str, keys: builtins.list[str], cap: int = 100) -> builtins.list[KeyMatch]:
        """Enabled templates of this stack holding one of ``keys`` (exact keys), one row per template and key,
        best first (quality, then use); their code is not read (``get`` the one chosen)."""
        if not keys:
            return []
        with self.db.session() as session:
            rows = session.execute(
                _MATCHES, {"keys": sorted(set(keys)), "on": True, "stack": stack_key, "cap": cap}
            ).all()
        return [
            KeyMatch(tid, key, frozenset(s["name"] for s in json.loads(slots)), float(score or 0.0), int(uses or 0))
            for tid, key, slots, score, uses in rows
        ]

    def without_key_prefix(self, prefix: str) -> builtins.list[TemplateRecord]:
        """Templates holding no key that starts with ``prefix`` (stored before such keys were made)."""
        having = select(TemplateKey.template_id).where(
            TemplateKey.key >= prefix, TemplateKey.key < prefix[:-1] + chr(ord(prefix[-1]) + 1)
        )
        with self.db.session() as session:
            return [_record(r) for r in session.scalars(select(Template).where(Template.id.not_in(having)))]

    def add_keys(self, template_id: str, keys: builtins.list[str]) -> None:
        with self.db.session() as session:
            have = set(session.scalars(select(TemplateKey.key).where(TemplateKey.template_id == template_id)))
            session.add_all(TemplateKey(key=k, template_id=template_id) for k in sorted(set(keys) - have))

    def candidates(self, stack_key: str, keys: builtins.list[str], limit: int = 50) -> builtins.list[TemplateRecord]:
        """Enabled templates of this stack sharing an index key (the stack is part of every key).

        Templates sharing the most keys come first, so the cap never drops the closest template in favour of a
        looser one. Only key rows are read to rank: the lookup touches the ``template_keys`` primary-key index,
        never the whole table. Each record's ``keys`` are the ones it shares with ``keys``.
        """
        if not keys:
            return []
        shared = func.count(TemplateKey.key).label("shared")
        ranked = (
            select(TemplateKey.template_id, shared)
            .where(TemplateKey.key.in_(sorted(set(keys))))
            .group_by(TemplateKey.template_id)
            .subquery()
        )
        query = (
            select(Template)
            .join(ranked, ranked.c.template_id == Template.id)
            .where(Template.enabled.is_(True), Template.stack_key == stack_key)
            .order_by(ranked.c.shared.desc(), Template.id)
            .limit(limit)
        )
        with self.db.session() as session:
            rows = list(session.scalars(query))
            matched: dict[str, builtins.list[str]] = {}
            if rows:
                for template_id, key in session.execute(
                    select(TemplateKey.template_id, TemplateKey.key).where(
                        TemplateKey.key.in_(sorted(set(keys))), TemplateKey.template_id.in_([r.id for r in rows])
                    )
                ):
                    matched.setdefault(template_id, []).append(key)
            return [_record(r, sorted(matched.get(r.id, []))) for r in rows]

    def most_used(self, stack_key: str, limit: int, *, exclude: Iterable[str] = ()) -> builtins.list[TemplateRecord]:
        """Enabled templates of this stack, most used first (then newest), leaving out the ids ``exclude``."""
        query = (
            select(Template)
            .where(Template.enabled.is_(True), Template.stack_key == stack_key, Template.id.not_in(list(exclude)))
            .order_by(Template.usage_count.desc(), Template.created_at.desc(), Template.id)
            .limit(limit)
        )
        with self.db.session() as session:
            return [_record(r, []) for r in session.scalars(query)]

    def add_many(self, records: builtins.list[TemplateRecord], batch: int = 5000) -> int:
        """Bulk insert (one transaction per ``batch``): for imports of many new templates and benches.

        Signatures must be new: a duplicate fails its whole batch with ``IntegrityError``.
        """
        rows_done = 0
        for start in range(0, len(records), batch):
            chunk = records[start : start + batch]
            columns = [{c.key: getattr(_row(r), c.key) for c in Template.__table__.columns} for r in chunk]
            keys = [{"key": k, "template_id": r.id} for r in chunk for k in set(r.keys)]
            with self.db.session() as session:
                session.execute(insert(Template), columns)
                session.execute(insert(TemplateKey), keys)
            rows_done += len(chunk)
        return rows_done

    def list(self, *, include_disabled: bool = True, origin: str | None = None) -> builtins.list[TemplateRecord]:
        query = select(Template).order_by(Template.created_at, Template.id)
        if not include_disabled:
            query = query.where(Template.enabled.is_(True))
        if origin is not None:
            query = query.where(Template.origin == origin)
        with self.db.session() as session:
            return [_record(r) for r in session.scalars(query)]

    def record_use(
        self, template_id: str, *, request_id: str | None = None, agent: str | None = None, project: str | None = None
    ) -> None:
        """Count a request served from the template, and book the use (what its source generation cost)."""
        now = utcnow()
        with self.db.session() as session:
            session.execute(
                update(Template)
                .where(Template.id == template_id)
                .values(usage_count=Template.usage_count + 1, last_used_at=now)
            )
            row = session.get(Template, template_id)
            if row is not None:
                session.add(
                    TemplateUse(
                        template_id=template_id,
                        template_name=row.name,
                        request_id=request_id,
                        agent=agent,
                        project=project,
                        saved_usd=row.source_cost_usd,
                        used_at=now,
                    )
                )

    def uses_between(self, start: datetime, end: datetime) -> builtins.list[TemplateUses]:
        """Templates served in [start, end): uses and dollars saved in that time, most used first."""
        saved = func.sum(TemplateUse.saved_usd)
        unknown = func.sum(case((TemplateUse.saved_usd.is_(None), 1), else_=0))
        query = (
            select(TemplateUse.template_id, func.max(TemplateUse.template_name), func.count(), saved, unknown)
            .where(TemplateUse.used_at >= start, TemplateUse.used_at < end)
            .group_by(TemplateUse.template_id)
            .order_by(func.count().desc(), TemplateUse.template_id)
        )
        with self.db.session() as session:
            return [
                TemplateUses(
                    template_id=tid, name=name, uses=uses, saved_usd=None if unknown_uses == uses else float(total or 0)
                )
                for tid, name, uses, total, unknown_uses in session.execute(query)
            ]

    def record_failure(self, template_id: str, max_failures: int) -> bool:
        """Count a failed validation; disable at ``max_failures``. Returns True if now disabled."""
        with self.db.session() as session:
            session.execute(
                update(Template).where(Template.id == template_id).values(failure_count=Template.failure_count + 1)
            )
            session.execute(
                update(Template)
                .where(Template.id == template_id, Template.failure_count >= max_failures)
                .values(enabled=False)
            )
            row = session.get(Template, template_id)
            return bool(row and not row.enabled)

    def set_enabled(self, template_id: str, enabled: bool) -> bool:
        with self.db.session() as session:
            result = session.execute(update(Template).where(Template.id == template_id).values(enabled=enabled))
            return rows_matched(result) > 0

    def delete(self, template_id: str) -> bool:
        with self.db.session() as session:
            session.execute(delete(TemplateKey).where(TemplateKey.template_id == template_id))
            return rows_matched(session.execute(delete(Template).where(Template.id == template_id))) > 0

    def has_origin(self, origin: str) -> bool:
        with self.db.session() as session:
            return session.scalars(select(Template.id).where(Template.origin == origin).limit(1)).first() is not None

    def count(self) -> int:
        with self.db.session() as session:
            return session.scalar(select(func.count()).select_from(Template)) or 0

    def replace_all(self, records: builtins.list[TemplateRecord]) -> tuple[int, int]:
        """Import: add every record in one transaction (all or nothing); a stored template with the same id or
        signature is overwritten. Returns (added, replaced)."""
        replaced = 0
        with self.db.session() as session:
            for rec in records:
                session.execute(delete(TemplateKey).where(TemplateKey.template_id == rec.id))
                gone = rows_matched(
                    session.execute(
                        delete(Template).where((Template.id == rec.id) | (Template.signature == rec.signature))
                    )
                )
                replaced += 1 if gone else 0
                session.flush()
                session.add(_row(rec))
                session.flush()
                session.add_all(TemplateKey(key=k, template_id=rec.id) for k in set(rec.keys))
        return len(records) - replaced, replaced
