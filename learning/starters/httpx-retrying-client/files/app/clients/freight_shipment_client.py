"""A client for the Freight Shipment API: a timeout on every call, retries with exponential backoff on 429, 5xx and
connection errors, ``Retry-After`` honoured, and an ``Idempotency-Key`` on POST so a retry cannot create twice.

Configure it with ``FREIGHT_SHIPMENT_API_URL`` and ``FREIGHT_SHIPMENT_API_KEY``
(see ``FreightShipmentClient.from_env``).
"""

import logging
import os
import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, Self

import httpx

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_jitter = random.SystemRandom()


class FreightShipmentApiError(Exception):
    """The Freight Shipment API answered with an error, or could not be reached after every retry."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        """``status_code`` is None when no HTTP answer arrived."""
        super().__init__(message)
        self.status_code = status_code


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class FreightShipmentClient:
    """Typed access to the Freight Shipment API; use it as a context manager so the connection pool is closed."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 10.0, max_attempts: int = 4,
                 base_delay: float = 0.5, max_delay: float = 30.0,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        """``transport`` lets tests plug in ``httpx.MockTransport``."""
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=base_url, timeout=httpx.Timeout(timeout), transport=transport,
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"})

    @classmethod
    def from_env(cls) -> Self:
        """A client configured from ``FREIGHT_SHIPMENT_API_URL`` and ``FREIGHT_SHIPMENT_API_KEY``."""
        base_url = os.environ.get("FREIGHT_SHIPMENT_API_URL", "")
        api_key = os.environ.get("FREIGHT_SHIPMENT_API_KEY", "")
        if not base_url or not api_key:
            raise RuntimeError("FREIGHT_SHIPMENT_API_URL and FREIGHT_SHIPMENT_API_KEY must both be set")
        return cls(base_url, api_key)

    def __enter__(self) -> Self:
        """Use the client in a ``with`` block."""
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Close the HTTP connection pool."""
        self.close()

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()

    def get_freight_shipment(self, freight_shipment_id: str) -> dict[str, Any]:
        """One freight shipment by id."""
        return self._request("GET", f"/freight-shipments/{freight_shipment_id}").json()

    def list_freight_shipments(self, *, page: int = 1, page_size: int = 50) -> list[dict[str, Any]]:
        """One page of freight shipments."""
        response = self._request("GET", "/freight-shipments", params={"page": page, "page_size": page_size})
        return response.json()

    def create_freight_shipment(self, payload: dict[str, Any], *, idempotency_key: str | None = None) -> dict[str, Any]:
        """Create one freight shipment; retries reuse one idempotency key, so at most one is created."""
        headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        return self._request("POST", "/freight-shipments", json=payload, headers=headers).json()

    def retry_delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based): ``Retry-After`` if given, else backoff."""
        hinted = parse_retry_after(response.headers.get("Retry-After")) if response is not None else None
        if hinted is not None:
            return min(hinted, self.max_delay)
        return _jitter.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        for attempt in range(1, self.max_attempts + 1):
            response: httpx.Response | None = None
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.is_success:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise FreightShipmentApiError(
                        f"{method} {path} failed with HTTP {response.status_code}: {response.text[:500]}",
                        response.status_code)
                problem = f"HTTP {response.status_code}"
            if attempt == self.max_attempts:
                raise FreightShipmentApiError(
                    f"{method} {path} failed after {attempt} attempts: {problem}",
                    response.status_code if response is not None else None)
            delay = self.retry_delay(attempt, response)
            logger.warning("%s %s attempt %d failed (%s); retrying in %.1fs", method, path, attempt, problem, delay)
            self._sleep(delay)
        raise AssertionError("unreachable")
