"""Bulk insert of events with executemany and placeholders."""

import sqlite3


def insert_events(conn: sqlite3.Connection, events: list[tuple[str, str]]) -> int:
    """Store (kind, payload) pairs; return how many were written."""
    conn.executemany("INSERT INTO events (kind, payload) VALUES (?, ?)", events)
    conn.commit()
    return len(events)
