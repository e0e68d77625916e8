"""Sync support contacts from a source into a sink every ``interval`` seconds until asked to stop.

Only entries changed since the last successful pass are fetched. A failing pass is logged and retried
with exponential backoff instead of crashing the loop; ``stop()`` (or SIGINT/SIGTERM under
``run_until_signalled``) ends the job after the current pass.
"""

import asyncio
import logging
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SupportContact:
    """One support contact as the source reports it."""

    id: str
    name: str
    updated_at: datetime


class SupportContactSource(Protocol):
    """Where support contacts come from (an API client, another database, ...)."""

    async def fetch_changed(self, since: datetime | None) -> Sequence[SupportContact]:
        """Support contacts changed after ``since`` (all of them when None)."""
        ...


class SupportContactSink(Protocol):
    """Where support contacts go; ``upsert`` must be idempotent, since a pass can be repeated."""

    async def upsert(self, support_contacts: Sequence[SupportContact]) -> int:
        """Insert or update the given support contacts; return how many were written."""
        ...


class SupportContactSyncJob:
    """Runs ``sync_once`` every ``interval`` seconds until ``stop()``."""

    def __init__(self, source: SupportContactSource, sink: SupportContactSink, *, interval: float = 300.0,
                 max_backoff: float = 3600.0, pass_timeout: float = 600.0) -> None:
        """``pass_timeout`` bounds one pass, so a hung source cannot stall the job for ever."""
        if interval <= 0 or max_backoff < interval or pass_timeout <= 0:
            raise ValueError("need interval > 0, max_backoff >= interval and pass_timeout > 0")
        self.source = source
        self.sink = sink
        self.interval = interval
        self.max_backoff = max_backoff
        self.pass_timeout = pass_timeout
        self.last_synced: datetime | None = None
        self._stopping = asyncio.Event()

    async def sync_once(self) -> int:
        """One pass: fetch what changed since the last good pass and upsert it; returns the count written."""
        changed = await self.source.fetch_changed(self.last_synced)
        written = await self.sink.upsert(changed) if changed else 0
        if changed:
            self.last_synced = max(support_contact.updated_at for support_contact in changed)
        return written

    async def run(self) -> None:
        """Loop until ``stop()``; failures back off exponentially up to ``max_backoff``."""
        failures = 0
        logger.info("support contact sync started (every %.0fs)", self.interval)
        while not self._stopping.is_set():
            try:
                written = await asyncio.wait_for(self.sync_once(), timeout=self.pass_timeout)
            except Exception:
                failures += 1
                delay = min(self.max_backoff, self.interval * 2 ** failures)
                logger.exception("support contact sync pass failed (%d in a row); next try in %.0fs", failures, delay)
            else:
                failures = 0
                delay = self.interval
                logger.info("support contact sync pass wrote %d support contacts", written)
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=delay)
            except TimeoutError:
                continue
        logger.info("support contact sync stopped")

    def stop(self) -> None:
        """Ask the job to finish after the current pass."""
        self._stopping.set()


async def run_until_signalled(job: SupportContactSyncJob) -> None:
    """Run ``job`` and stop it cleanly on SIGINT or SIGTERM (Unix event loops)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, job.stop)
    try:
        await job.run()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
