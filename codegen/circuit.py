"""The provider breaker's rules: a provider that keeps failing is skipped for a cooldown that grows while it stays
down, then one probe call (one caller across every process) says whether it is back.

A request that ran out of attempts on an outage, a timeout or a rate limit (``Q2O_ATTEMPTS_PER_PROVIDER``
consecutive failed calls) opens the provider's circuit for ``Q2O_CIRCUIT_COOLDOWN_SECONDS``; a refused key
(401/403, one call) for ``Q2O_CIRCUIT_AUTH_COOLDOWN_SECONDS`` or until the configured key changes. While open the
chain skips the provider (a ``circuit_open`` skip in the ledger). When the cooldown ends the circuit is half-open:
the first caller to claim it in the database makes one probe call (one attempt, no retries) while every other
caller keeps skipping; an answer closes the circuit and resets the growth, a failure reopens it for twice the
last cooldown (up to ``Q2O_CIRCUIT_MAX_COOLDOWN_SECONDS``; a longer Retry-After wins), and a claim that never
reports (its process died) expires after ``Q2O_TIMEOUT_SECONDS`` plus a margin. Unusable output or a bad request
opens nothing: the provider is alive. The state is a table, so every process and worker shares it.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from providers.base import AuthError, ProviderError, RateLimited, redact
from settings import Settings
from storage import CircuitRecord, CircuitStore, open_database
from storage.models import utcnow

OUTAGE_KINDS = frozenset({"unavailable", "timeout", "rate_limited"})
# A probe's claim lasts its one call's deadline plus this, for the ledger, the budget and Prefect around it.
PROBE_MARGIN_SECONDS = 15.0
# How often a writer that lost a race on the circuit's row reads it again before it gives up (and skips).
_RACES = 8


@dataclass(frozen=True)
class Gate:
    """What the breaker says about calling a provider now: skip it (why), or call it, as the probe or not."""

    skip: str | None = None
    probe: str | None = None  # this caller's claim of the one probe call of a half-open circuit


def _store(settings: Settings) -> CircuitStore:
    return CircuitStore(open_database(settings.resolved_database_url))


def cooldown_for(settings: Settings, exc: BaseException | None, level: int = 1) -> float:
    """Seconds to skip a provider whose last attempt raised ``exc``, at its ``level``-th opening in a row
    (0: the provider is alive, or the breaker is off for this kind of failure)."""
    if isinstance(exc, AuthError):
        base = settings.circuit_auth_cooldown_seconds
    elif isinstance(exc, ProviderError) and exc.kind in OUTAGE_KINDS:
        base = settings.circuit_cooldown_seconds
    else:
        return 0.0
    if not base:
        return 0.0
    cap = max(settings.circuit_max_cooldown_seconds, base)
    grown = min(base * 2.0 ** min(max(level, 1) - 1, 32), cap)
    retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
    return max(grown, retry_after or 0.0)


def probe_lease_seconds(settings: Settings) -> float:
    """How long a probe's claim holds before another caller may probe instead."""
    return settings.timeout_seconds + PROBE_MARGIN_SECONDS


def key_digest(settings: Settings, provider: str) -> str | None:
    """A digest of the provider's configured key (never the key itself), to tell when it changes."""
    key = settings.api_key_for(provider)
    return hashlib.sha256(key.encode()).hexdigest()[:32] if key else None


def key_refused(settings: Settings, row: CircuitRecord | None) -> bool:
    """Whether the circuit is one a refused key opened and the configured key is still that key."""
    return (
        row is not None
        and row.state != "closed"
        and row.error_kind == AuthError.kind
        and row.key_digest == key_digest(settings, row.provider)
    )


def _closed(now: datetime) -> dict[str, object]:
    return dict(state="closed", since=now, level=0, failures=0, probe_token=None, probe_until=None)


def _why(row: CircuitRecord) -> str:
    failed = f"{row.failures} call{'s' if row.failures != 1 else ''} in a row failed"
    return f"{failed} ({row.error_kind}: {row.reason})"


def admit(settings: Settings, provider: str, now: datetime | None = None) -> Gate:
    """May the chain call ``provider`` now? A half-open circuit admits exactly one caller, the probe."""
    store = _store(settings)
    now = now or utcnow()
    for _ in range(_RACES):
        row = store.get(provider)
        if row is None or row.state == "closed":
            return Gate()
        if row.error_kind == AuthError.kind and not key_refused(settings, row):
            if store.write(provider, row, _closed(now)):  # the key changed: the new one is called as usual
                return Gate()
            continue
        if row.state == "open" and row.open_until > now:
            until = "or until the key changes" if row.error_kind == AuthError.kind else "then one probe call"
            return Gate(skip=f"circuit open until {row.open_until:%H:%M:%S} UTC ({until}): {_why(row)}")
        if row.state == "half_open" and row.probe_until is not None and row.probe_until > now:
            return Gate(
                skip=f"circuit half-open: another caller's probe call decides (its claim ends "
                f"{row.probe_until:%H:%M:%S} UTC); {_why(row)}"
            )
        token = uuid.uuid4().hex
        claim = dict(
            state="half_open",
            since=now,
            probe_token=token,
            probe_until=now + timedelta(seconds=probe_lease_seconds(settings)),
        )
        if store.write(provider, row, claim):
            return Gate(probe=token)
        # Another caller changed the row first (claimed the probe, most likely): read it again.
    return Gate(skip="circuit busy: other callers keep changing it; not called this time")


def skip_reason(settings: Settings, provider: str) -> str | None:
    """Why the chain skips ``provider`` now, or None (the caller may call it, as the probe perhaps)."""
    return admit(settings, provider).skip


def _holds_off(row: CircuitRecord | None, now: datetime, probe: str | None) -> bool:
    """The circuit is open already, or another caller's probe is in flight: a failure only counts."""
    if row is None:
        return False
    if row.state == "open":
        return row.open_until > now
    return row.state == "half_open" and row.probe_token != probe and (row.probe_until or now) > now


def after_failure(
    settings: Settings,
    provider: str,
    exc: BaseException | None,
    *,
    probe: str | None = None,
    failed_calls: int = 1,
    now: datetime | None = None,
) -> None:
    """A request's last attempt at ``provider`` raised ``exc`` after ``failed_calls`` failed calls: open (or
    reopen, for longer) its circuit when ``exc`` says it is down or refuses us; end ``probe`` otherwise."""
    store = _store(settings)
    if cooldown_for(settings, exc) <= 0:
        if probe is not None:
            _end_probe(settings, store, provider, probe, exc, now or utcnow())
        return
    kind = exc.kind if isinstance(exc, ProviderError) else type(exc).__name__
    reason = redact(str(exc), list(settings.secret_values()))[:300]  # never a key, even one an error quotes
    digest = key_digest(settings, provider) if isinstance(exc, AuthError) else None
    for _ in range(_RACES):
        moment = now or utcnow()
        row = store.get(provider)
        if row is not None and _holds_off(row, moment, probe):
            values: dict[str, object] = {"failures": row.failures + failed_calls}
        else:
            fresh = row is None or row.state == "closed"
            level = 1 if row is None or fresh else row.level + 1
            seconds = cooldown_for(settings, exc, level)
            values = dict(
                state="open",
                since=moment,
                open_until=moment + timedelta(seconds=seconds),
                error_kind=kind,
                reason=reason,
                key_digest=digest,
                level=level,
                failures=(0 if row is None or fresh else row.failures) + failed_calls,
                probe_token=None,
                probe_until=None,
                opened_at=moment if row is None or fresh else row.opened_at,
            )
        if store.write(provider, row, values):
            return


def _end_probe(
    settings: Settings, store: CircuitStore, provider: str, probe: str, exc: BaseException | None, now: datetime
) -> None:
    """The probe ended without an outage: the provider answered (unusable output, a bad request) and the
    circuit closes; or the call was not made (the budget refused it, a bug) and the next caller probes."""
    answered = isinstance(exc, ProviderError) and (
        exc.status_code is not None or exc.kind in ("invalid_output", "malformed_response")
    )
    for _ in range(_RACES):
        row = store.get(provider)
        if row is None or row.probe_token != probe:
            return  # the claim expired and another caller took over, or the circuit closed meanwhile
        values = _closed(now) if answered else dict(state="open", open_until=now, probe_token=None, probe_until=None)
        if store.write(provider, row, values):
            return


def after_answer(settings: Settings, provider: str, now: datetime | None = None) -> None:
    """The provider answered (a probe or any caller): its circuit closes and the growth starts over."""
    store = _store(settings)
    for _ in range(_RACES):
        row = store.get(provider)
        if row is None or row.state == "closed":
            return
        if store.write(provider, row, _closed(now or utcnow())):
            return
