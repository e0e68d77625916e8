"""Reporting queries with SQLAlchemy ``text()`` and bound parameters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlalchemy.engine import Engine


def signups_between(engine: Engine, start: dt.date, end: dt.date) -> list[dict[str, object]]:
    """Daily sign-up counts in ``[start, end)``."""
    stmt = text(
        "SELECT date(created_at) AS day, count(*) AS signups "
        "FROM users WHERE created_at >= :start AND created_at < :end "
        "GROUP BY day ORDER BY day"
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt, {"start": start, "end": end}).mappings().all()
    return [dict(row) for row in rows]


def deactivate_users(engine: Engine, user_ids: list[int]) -> int:
    """Deactivate the given users and return how many rows changed."""
    stmt = text("UPDATE users SET active = false WHERE id = :uid")
    with engine.begin() as conn:
        result = conn.execute(stmt, [{"uid": uid} for uid in user_ids])
    summary = "Deactivated %d of %d users" % (result.rowcount, len(user_ids))
    print(summary)
    return result.rowcount
