"""Bulk lookup with a dynamically sized ``IN (?, ?, ...)`` placeholder list."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence


def fetch_users(conn: sqlite3.Connection, user_ids: Sequence[int]) -> dict[int, str]:
    """Map of id -> name for the requested users."""
    if not user_ids:
        return {}
    placeholders = ", ".join("?" for _ in user_ids)
    query = f"SELECT id, name FROM users WHERE id IN ({placeholders})"
    rows = conn.execute(query, tuple(user_ids)).fetchall()
    return {row[0]: row[1] for row in rows}


def tag_users(conn: sqlite3.Connection, user_ids: Sequence[int], tag: str) -> None:
    """Attach ``tag`` to every listed user."""
    conn.executemany(
        "INSERT OR IGNORE INTO user_tags (user_id, tag) VALUES (?, ?)",
        [(uid, tag) for uid in user_ids],
    )
    conn.commit()
