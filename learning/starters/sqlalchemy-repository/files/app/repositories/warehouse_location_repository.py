"""Data access for warehouse locations, so queries live in one place and services never build SQL.

The repository takes a ``Session`` and flushes but never commits: the caller owns the transaction
(``with Session(engine) as session, session.begin(): ...``).
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ..models.warehouse_location import WarehouseLocation

UPDATABLE_FIELDS = frozenset({"code", "name", "description", "is_active"})


class WarehouseLocationRepository:
    """Reads and writes ``WarehouseLocation`` rows through one session."""

    def __init__(self, session: Session) -> None:
        """Work inside ``session`` (and its transaction)."""
        self.session = session

    def get(self, warehouse_location_id: int) -> WarehouseLocation | None:
        """By primary key, or None."""
        return self.session.get(WarehouseLocation, warehouse_location_id)

    def get_by_code(self, code: str) -> WarehouseLocation | None:
        """By the unique code, or None."""
        query = select(WarehouseLocation).where(WarehouseLocation.code == code)
        return self.session.scalars(query).one_or_none()

    def _filters(self, active_only: bool, name_contains: str | None) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if active_only:
            conditions.append(WarehouseLocation.is_active.is_(True))
        if name_contains:
            escaped = name_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append(WarehouseLocation.name.ilike(f"%{escaped}%", escape="\\"))
        return conditions

    def page(self, *, offset: int = 0, limit: int = 50, active_only: bool = False,
             name_contains: str | None = None) -> Sequence[WarehouseLocation]:
        """Rows in id order matching the filters, ``limit`` at most, skipping ``offset``."""
        query = (select(WarehouseLocation).where(*self._filters(active_only, name_contains))
                 .order_by(WarehouseLocation.id).offset(offset).limit(limit))
        return self.session.scalars(query).all()

    def count(self, *, active_only: bool = False, name_contains: str | None = None) -> int:
        """How many rows match the filters."""
        query = (select(func.count()).select_from(WarehouseLocation)
                 .where(*self._filters(active_only, name_contains)))
        return self.session.scalar(query) or 0

    def add(self, *, code: str, name: str, description: str | None = None,
            is_active: bool = True) -> WarehouseLocation:
        """Insert and flush, so the id is set; a duplicate code raises ``IntegrityError``."""
        row = WarehouseLocation(code=code, name=name, description=description, is_active=is_active)
        self.session.add(row)
        self.session.flush()
        return row

    def update(self, row: WarehouseLocation, **changes: Any) -> WarehouseLocation:
        """Set the given fields (only ``UPDATABLE_FIELDS``) and flush."""
        unknown = set(changes) - UPDATABLE_FIELDS
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        for field, value in changes.items():
            setattr(row, field, value)
        self.session.flush()
        return row

    def delete(self, row: WarehouseLocation) -> None:
        """Delete and flush."""
        self.session.delete(row)
        self.session.flush()
