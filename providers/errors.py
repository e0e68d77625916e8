"""Turn what an HTTP API answered into our typed ``ProviderError``: one rule table for every provider.

Provider modules pass the status, the SDK's message and the response headers; this module reads
``Retry-After`` / ``retry-after-ms`` and redacts the key from every message it builds.
"""

from __future__ import annotations

import email.utils
import functools
import math
import os
import socket
import ssl
import time
from collections.abc import Iterable, Mapping

import certifi
import httpx

from providers.base import (
    AuthError,
    BadRequest,
    ModelNotFound,
    ProviderError,
    RateLimited,
    Timeout,
    Unavailable,
    redact,
)

# A key sent when the user configured none: OpenAI-compatible servers (Ollama, vLLM) ignore it.
PLACEHOLDER_KEY = "not-needed"



@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every SDK client of the process.

    Each SDK client otherwise builds its own (loading the CA bundle costs ~15 ms, google-genai builds
    two), and a client is made per call. ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` are honoured as httpx does.
    """
    return ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or certifi.where(),
                                      capath=os.environ.get("SSL_CERT_DIR"))


# The SDK's own timeout should fire first; this outer deadline only catches a server that trickles bytes.
DEADLINE_GRACE_SECONDS = 1.0

OVERLOADED = 529  # Anthropic's "overloaded_error": retry later, like a 429


def parse_retry_after(headers: Mapping[str, str] | Iterable[tuple[str, str]] | None,
                      *, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms``, or ``Retry-After`` as seconds or an HTTP-date; else None."""
    if not headers:
        return None
    items = headers.items() if isinstance(headers, Mapping) else headers
    lowered = {str(name).lower(): str(value).strip() for name, value in items}
    millis = _finite(lowered.get("retry-after-ms"))
    if millis is not None:
        return max(millis / 1000.0, 0.0)
    value = lowered.get("retry-after")
    if not value:
        return None
    seconds = _finite(value)
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP-date is GMT by definition
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def _finite(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def looks_like_missing_model(message: str) -> bool:
    """OpenAI-compatible servers (Ollama, vLLM) say "model ... not found" with a 400 or a 404."""
    text = message.lower()
    return "model" in text and ("not found" in text or "does not exist" in text or "not_found" in text)


def error_for_status(provider: str, status: int, message: str, *, headers: Mapping[str, str] | None = None,
                     secrets: list[str]) -> ProviderError:
    """The typed error for an HTTP error answer; ``message`` is redacted of ``secrets``."""
    text = redact(f"{provider} HTTP {status}: {message}", secrets)
    if status in (401, 403):
        return AuthError(text, status_code=status)
    if status == 429 or status == OVERLOADED:
        return RateLimited(text, retry_after=parse_retry_after(headers), status_code=status)
    if status == 404 or (400 <= status < 500 and looks_like_missing_model(message)):
        return ModelNotFound(text, status_code=status)
    if status == 408:
        return Timeout(text, status_code=status)
    if status == 409:  # a conflicting concurrent request: the next try may pass
        return Unavailable(text, status_code=status)
    if 400 <= status < 500:
        return BadRequest(text, status_code=status)
    return Unavailable(text, status_code=status)


try:  # google-genai uses httpx2 when it is installed (openai and anthropic bring it)
    import httpx2
except ImportError:  # pragma: no cover - depends on the installed SDKs
    httpx2 = None  # type: ignore[assignment]

# Failures to open a connection at all: the request was never sent. (A read error or a timeout after the
# connection opened is not among them: the provider may have received the request, and may bill it.)
_NEVER_CONNECTED: tuple[type[BaseException], ...] = (
    ConnectionRefusedError, socket.gaierror,
    *(cls for m in (httpx, httpx2) if m is not None for cls in (m.ConnectError, m.ConnectTimeout)),
)


def never_connected(exc: BaseException) -> bool:
    """Whether ``exc`` (or an error it was raised from) says no connection to the provider was ever opened."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, _NEVER_CONNECTED):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def mark_not_sent(failure: ProviderError, exc: BaseException) -> ProviderError:
    """``failure`` with ``not_sent`` set when the SDK error ``exc`` shows the request never left."""
    failure.not_sent = failure.status_code is None and never_connected(exc)
    return failure


class HostedProvider:
    """What every provider module shares: its key and base URL, and which key a call sends."""

    no_key_message = "no API key"

    def __init__(self, api_key: str | None, base_url: str | None = None) -> None:
        self._api_key = api_key
        self._base_url = base_url

    def _key(self) -> str:
        """The key to send: the configured one, a placeholder for a keyless server at a base URL, or AuthError."""
        key = self._api_key or (PLACEHOLDER_KEY if self._base_url else None)
        if not key:
            raise AuthError(self.no_key_message)
        return key
