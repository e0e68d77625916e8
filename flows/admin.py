"""Admin flows: check every configured provider with one tiny call each."""

from __future__ import annotations

import asyncio

from prefect import flow

from tasks.check import ProviderCheck, check_provider


@flow(name="check-providers")
async def check_providers(providers: list[str]) -> list[ProviderCheck]:
    """Check ``providers`` concurrently; one row per provider."""
    return list(await asyncio.gather(*(check_provider(p) for p in providers)))
