"""Admin flows: check every configured provider with one tiny call each."""

from __future__ import annotations

import asyncio

from prefect import flow

from providers.registry import PROVIDER_NAMES
from tasks.check import ProviderCheck, check_provider


@flow(name="check-providers")
async def check_providers(providers: list[str] | None = None) -> list[ProviderCheck]:
    """Check ``providers`` (default: every provider of the registry) concurrently; one row per provider."""
    return list(await asyncio.gather(*(check_provider(p) for p in providers or PROVIDER_NAMES)))
