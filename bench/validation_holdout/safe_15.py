"""Nightly cleanup job that reports what it did in plain-text messages."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3

logger = logging.getLogger("cleanup")


def purge_sessions(conn: sqlite3.Connection, max_age_days: int = 30) -> int:
    """Delete sessions older than ``max_age_days``; return how many were removed."""
    cutoff = dt.datetime.now(tz=dt.timezone.utc) - dt.timedelta(days=max_age_days)
    cur = conn.execute("DELETE FROM sessions WHERE last_seen < ?", (cutoff.isoformat(),))
    conn.commit()
    logger.info(f"Delete from sessions finished: {cur.rowcount} rows older than {cutoff:%Y-%m-%d}")
    return cur.rowcount


def build_report(deleted: int, table: str = "sessions") -> str:
    """Human-readable report for the ops channel."""
    lines = [
        f"Select summary for {dt.date.today():%d %b %Y}",
        "Update: %d rows removed from %s" % (deleted, table),
        "Insert nothing: this job only deletes.",
    ]
    return "\n".join(lines)


def run(db_path: str = "app.db") -> str:
    """Run the cleanup and return the report."""
    with sqlite3.connect(db_path) as conn:
        return build_report(purge_sessions(conn))
