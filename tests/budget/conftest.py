"""Budget tests: a clean budget per test on SQLite and, when one answers, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

BUDGET_TABLES = "budget_reservations, budget_alerts, budget_settings, month_closes, reports"


def _truncate(url: str) -> None:
    from sqlalchemy import text

    from storage import open_database

    with open_database(url).engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {BUDGET_TABLES}"))


@pytest.fixture
def budget_db(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """``database`` with empty budget tables too (before and after: the PostgreSQL one is shared)."""
    monkeypatch.setenv("Q2O_DATABASE_URL", database)
    postgres = database.startswith("postgresql")
    if postgres:
        _truncate(database)
    yield database
    if postgres:
        _truncate(database)
