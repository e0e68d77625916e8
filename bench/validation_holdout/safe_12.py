"""Paginated listing where the sort column comes from a fixed allow-list."""

from __future__ import annotations

import sqlite3

ALLOWED_SORT = {"title": "title", "date": "published_at", "author": "author_name"}


def list_posts(
    conn: sqlite3.Connection, sort: str = "date", descending: bool = True, page: int = 1, size: int = 20
) -> list[tuple[object, ...]]:
    """One page of posts, sorted by a whitelisted column."""
    column = ALLOWED_SORT.get(sort)
    if column is None:
        raise ValueError(f"unknown sort key {sort!r}")
    direction = "DESC" if descending else "ASC"
    query = f"SELECT id, title, author_name, published_at FROM posts ORDER BY {column} {direction} LIMIT ? OFFSET ?"
    return conn.execute(query, (size, (page - 1) * size)).fetchall()
