"""Runs the project's migration scripts, which ship with the code, in order."""

from __future__ import annotations

import sqlite3
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def applied_versions(conn: sqlite3.Connection) -> set[str]:
    """Versions already recorded in ``schema_migrations``."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY)")
    return {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending ``NNN_name.sql`` files and return their versions."""
    done = applied_versions(conn)
    applied: list[str] = []
    for script in sorted(MIGRATIONS_DIR.glob("*.sql")):
        version = script.stem.split("_", 1)[0]
        if version in done:
            continue
        conn.executescript(script.read_text(encoding="utf-8"))
        conn.execute("INSERT INTO schema_migrations (version) VALUES (?)", (version,))
        conn.commit()
        applied.append(version)
    return applied
