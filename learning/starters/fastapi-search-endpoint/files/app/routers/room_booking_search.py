"""``GET /room-bookings/search``: text query, status and date-range filters, sorting and offset pagination.

Filters combine with AND; ``q`` matches reference or guest name case-insensitively (LIKE wildcards in
``q`` are escaped, so they match literally). Sorting is limited to a whitelist of columns.
"""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, func, or_, select

from ..db import SessionDep
from ..models.room_booking import RoomBooking

router = APIRouter(prefix="/room-bookings", tags=["room bookings"])

MAX_PAGE_SIZE = 100
SortKey = Literal["starts_at", "-starts_at", "created_at", "-created_at"]
SORT_COLUMNS = {"starts_at": RoomBooking.starts_at, "created_at": RoomBooking.created_at}


class RoomBookingOut(BaseModel):
    """One room booking in search results."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str
    guest_name: str
    status: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime


class RoomBookingSearchPage(BaseModel):
    """One page of matches and the total number of matches."""

    items: list[RoomBookingOut]
    total: int
    offset: int
    limit: int


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_conditions(q: str | None, statuses: list[str] | None, starts_after: datetime | None,
                      starts_before: datetime | None) -> list[ColumnElement[bool]]:
    """The WHERE conditions for the given filters (bound parameters only, never string-built SQL)."""
    conditions: list[ColumnElement[bool]] = []
    if q:
        pattern = _like_pattern(q)
        conditions.append(or_(RoomBooking.reference.ilike(pattern, escape="\\"),
                              RoomBooking.guest_name.ilike(pattern, escape="\\")))
    if statuses:
        conditions.append(RoomBooking.status.in_(statuses))
    if starts_after is not None:
        conditions.append(RoomBooking.starts_at >= starts_after)
    if starts_before is not None:
        conditions.append(RoomBooking.starts_at < starts_before)
    return conditions


@router.get("/search", response_model=RoomBookingSearchPage)
def search_room_bookings(
    session: SessionDep,
    q: Annotated[str | None, Query(min_length=1, max_length=100, description="Text in reference or name.")] = None,
    statuses: Annotated[list[str] | None, Query(alias="status", max_length=10, description="Any of these.")] = None,
    starts_after: Annotated[datetime | None, Query(description="Starts at or after (ISO 8601).")] = None,
    starts_before: Annotated[datetime | None, Query(description="Starts before (ISO 8601).")] = None,
    sort: Annotated[SortKey, Query(description="Column, '-' for descending.")] = "-starts_at",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> RoomBookingSearchPage:
    """Room bookings matching every given filter, one page at a time."""
    if starts_after and starts_before and starts_after >= starts_before:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
                            detail="starts_after must be earlier than starts_before")
    conditions = search_conditions(q, statuses, starts_after, starts_before)
    column = SORT_COLUMNS[sort.lstrip("-")]
    order = column.desc() if sort.startswith("-") else column.asc()
    total = session.scalar(select(func.count()).select_from(RoomBooking).where(*conditions)) or 0
    rows = session.scalars(select(RoomBooking).where(*conditions)
                           .order_by(order, RoomBooking.id).offset(offset).limit(limit)).all()
    return RoomBookingSearchPage(items=[RoomBookingOut.model_validate(row) for row in rows],
                                 total=total, offset=offset, limit=limit)
