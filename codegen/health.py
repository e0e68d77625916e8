"""Each provider's health as ``q2o providers status`` shows it: configured or not, its circuit (closed, open,
half-open), since and until when, its consecutive failures, the last error's kind and the skips of its last
outage (counted from the ledger's ``circuit_open`` rows, so the count is the ledger's own)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from codegen.circuit import key_refused
from settings import PROVIDER_NAMES, Settings
from storage import CallLedger, CircuitRecord, CircuitState, CircuitStore, open_database
from storage.models import utcnow


class ProviderHealth(BaseModel):
    provider: str
    model: str
    configured: bool = Field(description="It has a key (or a base URL that configures it) that was not refused.")
    key_refused: bool = Field(description="Its key was refused (401/403): unconfigured until the key changes.")
    circuit: CircuitState = Field(
        default="closed", description="closed: called; open: skipped; half_open: its cooldown is over."
    )
    probe: Literal["due", "in_flight"] | None = Field(
        default=None,
        description="Half-open: the next caller probes (due), or one caller's probe call is running (in_flight).",
    )
    since: datetime | None = Field(default=None, description="When the circuit's state began (UTC); None: never.")
    until: datetime | None = Field(
        default=None, description="Open: skipped until then; a probe in flight: its claim ends then."
    )
    consecutive_failures: int = Field(default=0, description="Failed calls in a row since it last answered.")
    last_error_kind: str | None = Field(default=None, description="The kind of the failure that last opened it.")
    last_error: str | None = Field(default=None, description="That failure's message, redacted.")
    outage_started_at: datetime | None = Field(default=None, description="When the current (or last) outage began.")
    skips: int = Field(default=0, description="Requests that skipped it (circuit_open rows) in that outage.")
    last_skip_at: datetime | None = None


def provider_health(
    settings: Settings, providers: list[str] | None = None, now: datetime | None = None
) -> list[ProviderHealth]:
    """The health of ``providers`` (default: every provider of the registry), from the database."""
    db = open_database(settings.resolved_database_url)
    rows = {row.provider: row for row in CircuitStore(db).all()}
    ledger = CallLedger(db)
    now = now or utcnow()
    return [_health(settings, name, rows.get(name), ledger, now) for name in providers or PROVIDER_NAMES]


def _health(
    settings: Settings, provider: str, row: CircuitRecord | None, ledger: CallLedger, now: datetime
) -> ProviderHealth:
    refused = key_refused(settings, row)
    configured = settings.is_configured(provider) and not refused
    model = settings.model_for(provider)
    if row is None:
        return ProviderHealth(provider=provider, model=model, configured=configured, key_refused=refused)
    circuit, probe, until = _circuit(row, now)
    skips, last_skip = ledger.skips(
        provider, "circuit_open", row.opened_at, row.since if row.state == "closed" else None
    )
    return ProviderHealth(
        provider=provider,
        model=model,
        configured=configured,
        key_refused=refused,
        circuit=circuit,
        probe=probe,
        since=row.since if circuit == row.state else row.open_until,  # half-open once the cooldown ended
        until=until,
        consecutive_failures=row.failures,
        last_error_kind=row.error_kind,
        last_error=row.reason,
        outage_started_at=row.opened_at,
        skips=skips,
        last_skip_at=last_skip,
    )


def _circuit(
    row: CircuitRecord, now: datetime
) -> tuple[CircuitState, Literal["due", "in_flight"] | None, datetime | None]:
    """The state a caller would meet now: an open circuit whose cooldown ended is half-open (the next caller
    probes), and so is one whose probe's claim expired."""
    if row.state == "closed":
        return "closed", None, None
    if row.state == "open":
        return ("open", None, row.open_until) if row.open_until > now else ("half_open", "due", None)
    if row.probe_until is not None and row.probe_until > now:
        return "half_open", "in_flight", row.probe_until
    return "half_open", "due", None
