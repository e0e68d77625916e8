"""Turn what an HTTP API answered into our typed ``ProviderError``: one rule table for every provider.

Provider modules pass the status, the SDK's message and the response headers; this module reads
``Retry-After`` / ``retry-after-ms`` and redacts the key from every message it builds.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Iterable, Mapping

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

OVERLOADED = 529  # Anthropic's "overloaded_error": retry later, like a 429


def parse_retry_after(
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None, *, now: float | None = None
) -> float | None:
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


def error_for_status(
    provider: str, status: int, message: str, *, headers: Mapping[str, str] | None = None, secrets: list[str]
) -> ProviderError:
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
