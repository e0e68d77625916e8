"""Two processes (spawned, so nothing is shared) open one fresh database at the same moment and
write 50 ledger rows each: the migration runs once and no write is lost or refused as locked.
"""

from __future__ import annotations

import multiprocessing

from sqlalchemy import text

from storage import open_database
from tests.storage.ledger_writer import write_calls

WRITERS, ROWS_EACH = 2, 50


def test_two_processes_migrate_and_write_one_fresh_database(database_url: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    start_together = spawn.Barrier(WRITERS)
    results = spawn.Queue()
    writers = [
        spawn.Process(target=write_calls, args=(database_url, n, ROWS_EACH, start_together, results))
        for n in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    reports = dict(results.get(timeout=120) for _ in writers)
    for writer in writers:
        writer.join(timeout=30)
    assert reports == {n: "ok" for n in range(WRITERS)}, "\n".join(reports.values())

    with open_database(database_url).engine.connect() as conn:
        counts = conn.execute(text("SELECT status, COUNT(*) FROM calls GROUP BY status")).all()
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        leaked = conn.execute(text("SELECT COUNT(*) FROM calls WHERE prompt LIKE '%sk-concurrent%'")).scalar()
    assert dict(counts) == {"succeeded": WRITERS * ROWS_EACH}
    assert len(versions) == 1 and leaked == 0
