"""Async background job that syncs contacts every minute."""

import asyncio
import logging

logger = logging.getLogger(__name__)


async def sync_once(batch: list[str]) -> int:
    """Pretend to sync one batch; return its size."""
    await asyncio.sleep(0)
    return len(batch)


async def run_forever(interval: float = 60.0) -> None:
    """Sync, then wait ``interval`` seconds, forever."""
    while True:
        count = await sync_once(["a", "b"])
        logger.info("synced %d contacts", count)
        await asyncio.sleep(interval)
