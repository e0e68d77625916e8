"""How many generate-code runs one process keeps in flight: the rest wait their turn here, not at the server.

Prefect's server on SQLite serializes writers, and one of its writes cannot wait for the lock: creating a flow
run reads (the flow's labels) and then inserts in one deferred transaction, and SQLite refuses a read
transaction's upgrade to a write at once, without its busy timeout, when another connection holds or has just
taken the write lock. The server answers 503 "database is locked" and Prefect's client waits 2, 4, 8 s before
it asks again. Measured with ``bench/concurrency.py`` (16 template hits in one process): sequential 14 s, all at
once 66 s, 300 locked writes logged.
One run at a time in the process leaves only the server's own batched writes to meet: at load 2-3, 16 hits at
once then took 3.6 s against 4.2 s in sequence (4 locked writes); two at a time 4.0 s against 3.4 s (16 locked).
On PostgreSQL the server takes writers together (16 at once: 3.4 s against 3.7 s in sequence), so there is no
limit there unless ``Q2O_MAX_CONCURRENT_RUNS`` sets one. Figures: ``bench/README.md``.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from prefect.settings import get_current_settings

from settings import Settings

SQLITE_SERVER_RUNS = 1  # measured best on SQLite (bench/README.md): 1 beat sequential, 2 stalled now and then

# One semaphore per event loop and limit (an asyncio primitive belongs to the loop it first waits on).
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, asyncio.Semaphore]] = weakref.WeakKeyDictionary()


def server_database_is_postgres() -> bool:
    """Whether Prefect's server database, as this environment configures it, is PostgreSQL (else SQLite, the
    default). The embedded server uses this setting; a dedicated server reads it from its own environment."""
    url = get_current_settings().server.database.connection_url
    return url is not None and url.get_secret_value().startswith("postgresql")


def run_limit(settings: Settings) -> int | None:
    """The most runs in flight at once in this process, or None for no limit."""
    if settings.max_concurrent_runs is not None:
        return settings.max_concurrent_runs or None
    return None if server_database_is_postgres() else SQLITE_SERVER_RUNS


@asynccontextmanager
async def admitted(settings: Settings) -> AsyncIterator[None]:
    """Hold one of the process's run slots for the block (at once when there is no limit)."""
    limit = run_limit(settings)
    if limit is None:
        yield
        return
    per_loop = _gates.setdefault(asyncio.get_running_loop(), {})
    gate = per_loop.setdefault(limit, asyncio.Semaphore(limit))
    async with gate:
        yield
