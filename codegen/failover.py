"""Failover rules as plain functions: which errors a retry can fix, and how long to wait.

Prefect runs the retries; these functions only decide. They know our typed provider errors,
never an SDK.
"""

from __future__ import annotations

from providers.base import ProviderError


def is_retryable(exc: BaseException) -> bool:
    """A retry helps for rate limits, outages, timeouts and unusable output; not for 401/403/400/404."""
    if isinstance(exc, ProviderError):
        return exc.retryable
    return not isinstance(exc, (TypeError, ValueError, KeyError, AttributeError))


def scheduled_delay(delays: list[float], attempt: int) -> float:
    """The backoff Prefect waits after attempt ``attempt`` (1-based) fails."""
    if not delays:
        return 0.0
    return delays[min(attempt - 1, len(delays) - 1)]


def extra_wait_for_retry_after(retry_after: float | None, delays: list[float], attempt: int, attempts: int) -> float:
    """Seconds to wait before failing, so the total pause honours a longer ``Retry-After``.

    Zero after the last attempt: the next provider need not wait for this one's rate limit.
    """
    if retry_after is None or attempt >= attempts:
        return 0.0
    return max(0.0, retry_after - scheduled_delay(delays, attempt))
