"""Stored overrides of the runtime knobs, by scope (system, agent, project), laid over the environment's settings.

The overrides live where every worker and the Prefect UI see them (Prefect Variables, read and written by
``tasks/config.py``); here they are plain data: each value is checked by its ``Settings`` field, the scopes are
laid over the environment in order (system < agent < project < the request's chain), and ``explain`` says where
each effective value came from.
"""

from __future__ import annotations

import json
import os
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError

from providers.registry import PROVIDER_NAMES, ChainEntry
from settings import ConfigError, Settings

Scope = Literal["system", "agent", "project"]

# The knobs of the configuration page, in the order ``q2o config show`` lists them.
KNOBS: tuple[str, ...] = (
    "chain",
    *(f"{p}_enabled" for p in PROVIDER_NAMES),
    *(f"{p}_model" for p in PROVIDER_NAMES),
    "monthly_budget_usd",
    "daily_call_limit",
    "daily_cost_alert_usd",
    "attempts_per_provider",
    "min_quality",
    "strict_validation",
    "cross_validate",
    "cache_enabled",
    "cache_ttl_days",
)
# Counted over every agent and project at once, so one value holds for all.
SYSTEM_ONLY = frozenset({"monthly_budget_usd", "daily_call_limit", "daily_cost_alert_usd"})
# The monthly budget has one home, the database row ``q2o budget set`` writes (the guard reads it under its lock).
IN_DATABASE = frozenset({"monthly_budget_usd"})
_NONE_WORDS = {"none", "null", "off", "unset", ""}


class Overlay(BaseModel):
    """The stored overrides: knob -> JSON value, for the system and for each agent and project by name."""

    system: dict[str, Any] = Field(default_factory=dict)
    agents: dict[str, dict[str, Any]] = Field(default_factory=dict)
    projects: dict[str, dict[str, Any]] = Field(default_factory=dict)

    def layers(self, agent: str | None = None, project: str | None = None) -> list[tuple[str, dict[str, Any]]]:
        """The overrides that apply to a request of ``agent`` for ``project``, lowest first, each with its source."""
        found = [("system override", self.system)]
        if agent is not None:
            found.append((f"agent {agent} override", self.agents.get(agent, {})))
        if project is not None:
            found.append((f"project {project} override", self.projects.get(project, {})))
        return [(source, values) for source, values in found if values]

    def scope(self, scope: Scope, name: str | None = None) -> dict[str, Any]:
        """The overrides of one scope (a copy), ``name`` the agent or project."""
        if scope == "system":
            return dict(self.system)
        return dict((self.agents if scope == "agent" else self.projects).get(name or "", {}))


def check_knob(key: str, value: object, scope: Scope = "system") -> Any:
    """``value`` (a command-line text or a stored JSON value) as the JSON value to store for ``key``, or a
    ``ConfigError`` naming the key and what it accepts."""
    if key not in KNOBS:
        raise ConfigError(f"unknown key {key!r}; the keys are: {', '.join(KNOBS)}")
    if scope != "system" and key in SYSTEM_ONLY:
        raise ConfigError(f"{key} holds for every agent and project; set it without --agent or --project")
    if isinstance(value, str) and value.strip().lower() in _NONE_WORDS and _optional(key):
        value = None
    try:
        checked = Settings.model_validate({key: value})
    except ValidationError as exc:
        message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        allowed = _allowed(key)
        raise ConfigError(f"{key}: {message}" + (f" (allowed: {allowed})" if allowed else "")) from None
    if key == "chain":
        return [_entry_text(e) for e in checked._chain_entries]
    return checked.model_dump(mode="json", include={key})[key]


def _optional(key: str) -> bool:
    return Settings.model_fields[key].default is None


def _allowed(key: str) -> str:
    """What a knob accepts, from its field: ``0-100``, ``>= 1 or none``, ``true or false``, ..."""
    if key == "chain":
        return "provider or provider:model entries, comma separated"
    field = Settings.model_fields[key]
    if field.annotation is bool:
        return "true or false"
    bounds = {type(m).__name__: m for m in field.metadata}
    low = getattr(bounds.get("Ge"), "ge", None), getattr(bounds.get("Gt"), "gt", None)
    high = getattr(bounds.get("Le"), "le", None), getattr(bounds.get("Lt"), "lt", None)
    parts = []
    if low[0] is not None and high[0] is not None:
        parts.append(f"{low[0]:g}-{high[0]:g}")
    else:
        parts += [f">= {low[0]:g}"] if low[0] is not None else []
        parts += [f"> {low[1]:g}"] if low[1] is not None else []
        parts += [f"<= {high[0]:g}"] if high[0] is not None else []
    text = ", ".join(parts) or ("a non-empty text" if key.endswith("_model") else "")
    return f"{text} or none" if _optional(key) else text


def _entry_text(entry: ChainEntry) -> str:
    return f"{entry.provider}:{entry.model}" if entry.model else entry.provider


def _winners(layers: list[tuple[str, dict[str, Any]]]) -> tuple[dict[str, tuple[str, Any]], Settings]:
    """The winning value of each key over ``layers`` (last wins) with its source, and those values checked by
    their fields; a bad stored value (one edited in the Prefect UI, say) is a ``ConfigError`` naming its scope
    and key."""
    winners: dict[str, tuple[str, Any]] = {}
    for source, values in layers:
        for key, value in values.items():
            if key in IN_DATABASE:
                raise ConfigError(f"{source}: {key} is stored by `q2o budget set` (or `q2o config set {key}`) only")
            if key not in KNOBS or (key in SYSTEM_ONLY and not source.startswith("system")):
                _check_one(source, key, value)
            winners[key] = (source, value)
    try:  # one validation for all (~2 ms); each value on its own only to name a bad one
        return winners, Settings.model_validate({k: v for k, (_, v) in winners.items()})
    except ValidationError:
        for source, values in layers:
            for key, value in values.items():
                _check_one(source, key, value)
        raise


def _check_one(source: str, key: str, value: object) -> None:
    try:
        check_knob(key, value, "system" if source.startswith("system") else "agent")
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None


_applied: dict[str, tuple[Settings, Settings]] = {}


def apply_overlay(
    base: Settings,
    overlay: Overlay,
    agent: str | None = None,
    project: str | None = None,
    request_chain: list[str] | None = None,
) -> Settings:
    """``base`` with the overrides for ``agent`` and ``project`` and a request's chain laid over it.

    A chain entry's model belongs to its scope: a ``<provider>_model`` set in a higher scope than the chain wins
    over the model that chain's entry names. Each result is kept for the same base and overrides (a run costs a
    dictionary look-up when nothing changed).
    """
    layers = overlay.layers(agent, project)
    if request_chain:
        layers.append(("request", {"chain": request_chain}))
    if not layers:
        return base
    memo = json.dumps([id(base), layers], sort_keys=True, default=str)
    hit = _applied.get(memo)
    if hit is not None and hit[0] is base:
        return hit[1]
    winners, checked = _winners(layers)
    effective = base.model_copy(update={k: getattr(checked, k) for k in winners if k != "chain"})
    order = [source for source, _ in layers]
    chain_rank = order.index(winners["chain"][0]) if "chain" in winners else -1
    entries = checked._chain_entries if "chain" in winners else list(base._chain_entries)
    models = {e.provider: e.model for e in entries if e.model}
    for provider in PROVIDER_NAMES:  # a model set above the chain's scope wins over its entry's model
        won = winners.get(f"{provider}_model")
        if won is not None and order.index(won[0]) > chain_rank:
            models.pop(provider, None)
    effective.set_chain(entries, models)
    if len(_applied) > 256:
        _applied.clear()
    _applied[memo] = (base, effective)
    return effective


def with_keys(settings: Settings, keys: dict[str, str]) -> Settings:
    """``settings`` with provider keys (from Prefect Secret blocks) for providers that have none."""
    missing = {p: k for p, k in keys.items() if k and not settings.api_key_for(p)}
    if not missing:
        return settings
    return settings.model_copy(update={f"{p}_api_key": SecretStr(k) for p, k in missing.items()})


class Knob(BaseModel):
    """One knob as ``q2o config show`` prints it."""

    key: str
    value: Any = Field(description="The effective value (JSON); the chain as provider:model entries.")
    source: str = Field(description="default, env, .env, stored, or the override that set it.")
    variable: str = Field(description="The environment variable that gives its default.")


class KeySource(BaseModel):
    """Where a provider's key comes from; never the key."""

    provider: str
    source: str = Field(description="env, .env, secret block NAME, or unset.")


def explain(
    base: Settings,
    overlay: Overlay,
    agent: str | None = None,
    project: str | None = None,
    *,
    stored_budget: float | None = None,
    secret_blocks: dict[str, str] | None = None,
) -> tuple[list[Knob], list[KeySource]]:
    """Each knob's effective value for ``agent``/``project`` and where it came from, and each key's source."""
    effective = apply_overlay(base, overlay, agent, project)
    winners, _ = _winners(overlay.layers(agent, project))
    dotenv = _dotenv_names()
    knobs = []
    for key in KNOBS:
        source = winners[key][0] if key in winners else _base_source(key, dotenv)
        value: Any = getattr(effective, key)
        if key == "chain":
            value = [_entry_text(e) for e in effective.chain_entries]
        elif key in IN_DATABASE and stored_budget is not None:
            value, source = stored_budget, "stored (q2o budget set)"
        knobs.append(Knob(key=key, value=value, source=source, variable=f"Q2O_{key.upper()}"))
    keys = []
    for provider in PROVIDER_NAMES:
        names = Settings.model_fields[f"{provider}_api_key"].validation_alias
        source = _base_source(f"{provider}_api_key", dotenv, getattr(names, "choices", None))
        if source == "default":
            block = (secret_blocks or {}).get(provider)
            source = f"secret block {block}" if block else "unset"
        keys.append(KeySource(provider=provider, source=source))
    return knobs, keys


def _base_source(key: str, dotenv: set[str], variables: list[Any] | None = None) -> str:
    """``env``, ``.env`` or ``default``: where the environment's settings took ``key`` from."""
    names = {str(v).upper() for v in variables} if variables else {f"Q2O_{key.upper()}"}
    if any(name.upper() in names for name in os.environ):
        return "env"
    return ".env" if names & dotenv else "default"


def _dotenv_names() -> set[str]:
    """The variables the ``.env`` file of the working folder sets, upper case."""
    source = Settings.model_config.get("env_file")
    if not isinstance(source, str) or not os.path.exists(source):
        return set()
    from dotenv import dotenv_values

    return {name.upper() for name, value in dotenv_values(source).items() if value is not None}
