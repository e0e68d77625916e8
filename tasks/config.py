"""The stored configuration in Prefect: knob overrides in Prefect Variables, provider keys in Secret blocks.

Three JSON Variables hold the overrides (``q2o_config``: the system's knobs; ``q2o_config_agents`` and
``q2o_config_projects``: ``{name: {knob: value}}``), so every worker reads the same values and the Prefect UI's
Variables page edits them. A flow reads them at its start with one request (``run_settings``), plus one for the
Secret blocks ``q2o-<provider>-api-key`` of providers whose key is not in the environment; the domain rooms get
plain ``Settings``. Keys read here stay in memory: never logged, stored or shown.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from prefect.client.orchestration import PrefectClient, get_client
from prefect.client.schemas.actions import VariableCreate, VariableUpdate
from prefect.context import FlowRunContext

from providers.registry import PROVIDER_NAMES
from settings import ConfigError, Settings, environment_settings
from settings.overlay import Overlay, Scope, apply_overlay, check_knob, with_keys

VARIABLES: dict[Scope, str] = {"system": "q2o_config", "agent": "q2o_config_agents", "project": "q2o_config_projects"}
# Prefect refuses a Variable value longer than this (JSON text).
MAX_VALUE_CHARS = 5000


def secret_block_name(provider: str) -> str:
    """The Secret block that may hold ``provider``'s key: ``q2o-openai-api-key``."""
    return f"q2o-{provider.replace('_', '-')}-api-key"


@asynccontextmanager
async def _client() -> AsyncIterator[PrefectClient]:
    """The current flow run's client (no new connection), else a client of its own."""
    context = FlowRunContext.get()
    if context is not None and isinstance(context.client, PrefectClient):
        yield context.client
        return
    async with get_client() as client:
        yield client


def _overlay_from(values: dict[str, Any]) -> Overlay:
    """The three Variables' values as an ``Overlay``; a value of the wrong shape names its Variable."""
    system = values.get(VARIABLES["system"]) or {}
    if not isinstance(system, dict):
        raise ConfigError(f"Prefect variable {VARIABLES['system']}: expected a JSON object of knob: value")
    scoped: dict[str, dict[str, dict[str, Any]]] = {}
    for scope in ("agent", "project"):
        name = VARIABLES[scope]
        value = values.get(name) or {}
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise ConfigError(f"Prefect variable {name}: expected a JSON object of {scope} name: {{knob: value}}")
        scoped[scope] = value
    return Overlay(system=system, agents=scoped["agent"], projects=scoped["project"])


async def read_overlay(client: PrefectClient | None = None) -> Overlay:
    """The stored overrides, the three Variables read in one request."""
    if client is None:
        async with _client() as own:
            return await read_overlay(own)
    response = await client.request(
        "POST",
        "/variables/filter",
        json={"variables": {"name": {"any_": list(VARIABLES.values())}}, "limit": len(VARIABLES)},
    )
    return _overlay_from({v["name"]: v["value"] for v in response.json()})


async def read_secret_keys(client: PrefectClient, providers: list[str], *, values: bool = True) -> dict[str, str]:
    """``provider -> key`` from the Secret blocks of ``providers`` (``values=False``: ``provider -> block name``,
    the keys left on the server)."""
    if not providers:
        return {}
    names = {secret_block_name(p): p for p in providers}
    response = await client.request(
        "POST",
        "/block_documents/filter",
        json={
            "block_documents": {"name": {"any_": list(names)}, "is_anonymous": {"eq_": False}},
            "block_types": {"slug": {"any_": ["secret"]}},
            "include_secrets": values,
            "limit": len(names),
        },
    )
    found: dict[str, str] = {}
    for document in response.json():
        provider = names.get(document.get("name"))
        key = (document.get("data") or {}).get("value")
        if provider is not None and isinstance(key, str) and key.strip():
            found[provider] = key.strip() if values else document["name"]
    return found


async def run_settings(
    agent: str | None = None, project: str | None = None, chain: list[str] | None = None
) -> Settings:
    """The settings a run starts with: the environment's, the stored overrides for ``agent`` and ``project``
    laid over them, then the request's ``chain``; keys from Secret blocks where the environment has none."""
    base = environment_settings()
    async with _client() as client:
        missing = [p for p in PROVIDER_NAMES if not base.api_key_for(p)]
        overlay, keys = await asyncio.gather(read_overlay(client), read_secret_keys(client, missing))
    return with_keys(apply_overlay(base, overlay, agent, project, chain), keys)


async def secret_block_names() -> dict[str, str]:
    """``provider -> Secret block name`` of the providers whose key is in a Secret block (keys not read)."""
    async with _client() as client:
        return await read_secret_keys(client, list(PROVIDER_NAMES), values=False)


async def store_knob(key: str, value: object | None, scope: Scope = "system", name: str | None = None) -> Any:
    """Set (``value`` not None) or remove an override of ``key`` in ``scope`` (``name`` the agent or project);
    the value is checked first and the stored JSON value returned."""
    stored = None if value is None else check_knob(key, value, scope)
    variable = VARIABLES[scope]
    async with _client() as client:
        current = await client.read_variable_by_name(variable)
        whole: dict[str, Any] = dict(current.value) if current is not None and isinstance(current.value, dict) else {}
        knobs: dict[str, Any] = whole if scope == "system" else dict(whole.get(name or "", {}))
        if value is None:
            knobs.pop(key, None)
        else:
            knobs[key] = stored
        if scope != "system":
            if knobs:
                whole[name or ""] = knobs
            else:
                whole.pop(name or "", None)
        size = len(json.dumps(whole))
        if size > MAX_VALUE_CHARS:
            raise ConfigError(f"Prefect variable {variable} would hold {size} characters (at most {MAX_VALUE_CHARS})")
        if current is None:
            await client.create_variable(VariableCreate(name=variable, value=whole))
        else:
            await client.update_variable(VariableUpdate(name=variable, value=whole))
    return stored
