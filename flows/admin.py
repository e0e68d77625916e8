"""Admin flows: check every configured provider with one tiny call each.

A check where a configured provider fails, or where none is configured, ends **Failed** (its message names
them) with every row attached; the rows are persisted, so a deployed run's result can be read back.
"""

from __future__ import annotations

import asyncio

from prefect import flow
from prefect.states import State

from flows.logs import forward_q2o_logs
from flows.states import failed
from providers.registry import PROVIDER_NAMES
from tasks.check import ProviderCheck, check_provider

forward_q2o_logs()
NOT_CONFIGURED = "not configured"  # how a check row of a provider without a key begins


def check_failure(rows: list[ProviderCheck]) -> str | None:
    """Why a check failed (configured providers that failed, or none configured), or None when it passed."""
    broken = [r for r in rows if not r.ok and not r.detail.startswith(NOT_CONFIGURED)]
    if broken:
        return "provider check failed: " + ", ".join(f"{r.provider} ({r.detail[:80]})" for r in broken)
    if not any(r.ok for r in rows):
        return "provider check failed: no provider is configured"
    return None


@flow(name="check-providers", flow_run_name="check-providers", persist_result=True, result_serializer="json")
async def check_providers(providers: list[str] | None = None) -> list[ProviderCheck] | State[list[ProviderCheck]]:
    """Check ``providers`` (default: every provider of the registry) concurrently; one row per provider."""
    rows = list(await asyncio.gather(*(check_provider(p) for p in providers or PROVIDER_NAMES)))
    problem = check_failure(rows)
    return rows if problem is None else failed(problem, rows)
