"""The provider breaker's rules: a provider whose every attempt failed is skipped for a cooldown.

A request that ran out of attempts on an outage, a timeout or a rate limit opens the provider's circuit for
``Q2O_CIRCUIT_COOLDOWN_SECONDS`` (longer when the provider's Retry-After says so); a refused key (401/403)
for ``Q2O_CIRCUIT_AUTH_COOLDOWN_SECONDS`` or until the configured key changes, whichever comes first. While the
circuit is open the chain skips the provider (a ``circuit_open`` skip in the ledger) and goes on at once; once it
ends, the next request tries it again, and an answer closes it. Unusable output, a refused budget or a bad
request open nothing: the provider is alive. The state lives in the database, so every process and worker
shares it.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from providers.base import AuthError, ProviderError, RateLimited, redact
from settings import Settings
from storage import CircuitStore, open_database
from storage.models import utcnow

OUTAGE_KINDS = frozenset({"unavailable", "timeout", "rate_limited"})


def _store(settings: Settings) -> CircuitStore:
    return CircuitStore(open_database(settings.resolved_database_url))


def cooldown_for(settings: Settings, exc: BaseException) -> float:
    """Seconds to skip a provider whose last attempt raised ``exc`` (0: the provider is alive)."""
    if isinstance(exc, AuthError):
        return settings.circuit_auth_cooldown_seconds
    if not isinstance(exc, ProviderError) or exc.kind not in OUTAGE_KINDS or not settings.circuit_cooldown_seconds:
        return 0.0
    retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
    return max(settings.circuit_cooldown_seconds, retry_after or 0.0)


def key_digest(settings: Settings, provider: str) -> str | None:
    """A digest of the provider's configured key (never the key itself), to tell when it changes."""
    key = settings.api_key_for(provider)
    return hashlib.sha256(key.encode()).hexdigest()[:32] if key else None


def skip_reason(settings: Settings, provider: str) -> str | None:
    """Why the chain skips ``provider`` now (its circuit is open), or None. A circuit a refused key opened
    ends as soon as the configured key is another one."""
    store = _store(settings)
    circuit = store.open_circuit(provider)
    if circuit is None:
        return None
    if circuit.error_kind == AuthError.kind and circuit.key_digest != key_digest(settings, provider):
        store.close(provider)
        return None
    return (
        f"skipped until {circuit.open_until:%H:%M:%S} UTC: every attempt failed lately ({circuit.error_kind}: "
        f"{circuit.reason})"
    )


def after_failure(settings: Settings, provider: str, exc: BaseException) -> None:
    """Open the provider's circuit when ``exc`` (its last attempt's error) says it is down or refuses us."""
    seconds = cooldown_for(settings, exc)
    if seconds > 0:
        kind = exc.kind if isinstance(exc, ProviderError) else type(exc).__name__
        reason = redact(str(exc), list(settings.secret_values()))[:300]  # never a key, even one an error quotes
        digest = key_digest(settings, provider) if isinstance(exc, AuthError) else None
        _store(settings).trip(provider, utcnow() + timedelta(seconds=seconds), kind, reason, digest)


def after_answer(settings: Settings, provider: str) -> None:
    """The provider answered: its circuit, if any, closes."""
    _store(settings).close(provider)
