"""The prompt layers' repository: versions are only ever added (a reset is a version without text), so the
current layer of a prompt, scope and target is its newest version, and its history is every row."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from contracts import PromptLayer, PromptScope
from storage.db import Database
from storage.models import PromptLayerVersion, utcnow

_ADD_TRIES = 5  # two writers may pick the same next version; the unique constraint refuses one, which tries again


def _record(row: PromptLayerVersion) -> PromptLayer:
    return PromptLayer(
        prompt=row.prompt,
        scope=row.scope,  # type: ignore[arg-type]  # written from PromptScope only
        target=row.target,
        version=row.version,
        text=row.text,
        author=row.author,
        created_at=row.created_at,
    )


class PromptLayerStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def current(self, targets: Sequence[tuple[PromptScope, str]] | None = None) -> list[PromptLayer]:
        """The layers in force (newest version of each, resets left out), for ``targets`` or all of them."""
        newest = select(
            PromptLayerVersion.prompt,
            PromptLayerVersion.scope,
            PromptLayerVersion.target,
            func.max(PromptLayerVersion.version).label("version"),
        ).group_by(PromptLayerVersion.prompt, PromptLayerVersion.scope, PromptLayerVersion.target)
        if targets is not None:
            if not targets:
                return []
            newest = newest.where(
                or_(*(and_(PromptLayerVersion.scope == s, PromptLayerVersion.target == t) for s, t in targets))
            )
        latest = newest.subquery()
        query = (
            select(PromptLayerVersion)
            .join(
                latest,
                and_(
                    PromptLayerVersion.prompt == latest.c.prompt,
                    PromptLayerVersion.scope == latest.c.scope,
                    PromptLayerVersion.target == latest.c.target,
                    PromptLayerVersion.version == latest.c.version,
                ),
            )
            .where(PromptLayerVersion.text.is_not(None))
            .order_by(PromptLayerVersion.prompt, PromptLayerVersion.scope, PromptLayerVersion.target)
        )
        with self.db.session() as session:
            return [_record(row) for row in session.scalars(query)]

    def latest(self, prompt: str, scope: PromptScope, target: str) -> PromptLayer | None:
        """The newest version of one layer (a reset included), or None when it was never set."""
        with self.db.session() as session:
            row = session.scalars(
                select(PromptLayerVersion)
                .where(
                    PromptLayerVersion.prompt == prompt,
                    PromptLayerVersion.scope == scope,
                    PromptLayerVersion.target == target,
                )
                .order_by(PromptLayerVersion.version.desc())
                .limit(1)
            ).first()
            return None if row is None else _record(row)

    def history(self, prompt: str, scope: PromptScope | None = None, target: str | None = None) -> list[PromptLayer]:
        """Every version of ``prompt``'s layers (of one scope and target when given), oldest first."""
        query = select(PromptLayerVersion).where(PromptLayerVersion.prompt == prompt)
        if scope is not None:
            query = query.where(PromptLayerVersion.scope == scope)
        if target is not None:
            query = query.where(PromptLayerVersion.target == target)
        query = query.order_by(PromptLayerVersion.scope, PromptLayerVersion.target, PromptLayerVersion.version)
        with self.db.session() as session:
            return [_record(row) for row in session.scalars(query)]

    def add_version(self, prompt: str, scope: PromptScope, target: str, text: str | None, author: str) -> PromptLayer:
        """Add the next version of a layer (``text`` None: a reset) and return it."""
        for attempt in range(_ADD_TRIES):
            try:
                with self.db.session() as session:
                    newest = session.scalar(
                        select(func.max(PromptLayerVersion.version)).where(
                            PromptLayerVersion.prompt == prompt,
                            PromptLayerVersion.scope == scope,
                            PromptLayerVersion.target == target,
                        )
                    )
                    row = PromptLayerVersion(
                        prompt=prompt,
                        scope=scope,
                        target=target,
                        version=(newest or 0) + 1,
                        text=text,
                        author=author,
                        created_at=utcnow(),
                    )
                    session.add(row)
                return _record(row)
            except IntegrityError:
                if attempt == _ADD_TRIES - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
