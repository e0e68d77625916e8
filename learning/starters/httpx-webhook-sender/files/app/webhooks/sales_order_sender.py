"""Deliver sales order events to a subscriber's URL, HMAC-SHA256 signed, retrying transient failures.

Each request carries ``X-Webhook-Id`` (the event id, for de-duplication), ``X-Webhook-Timestamp`` (Unix
seconds) and ``X-Webhook-Signature`` (``sha256=<hex>`` of HMAC over ``<timestamp>.<body>``). The URL and the
shared secret come from ``SALES_ORDER_WEBHOOK_URL`` and ``SALES_ORDER_WEBHOOK_SECRET``.
"""

import hashlib
import hmac
import json
import logging
import os
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

import httpx

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_jitter = random.SystemRandom()


@dataclass(frozen=True)
class SalesOrderEvent:
    """One sales order event, as the subscriber receives it."""

    type: str
    data: dict[str, Any]
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_json(self) -> bytes:
        """The request body: compact JSON, UTF-8."""
        payload = {"id": self.id, "type": self.type, "created_at": self.created_at.isoformat(),
                   "data": self.data}
        return json.dumps(payload, separators=(",", ":"), default=str).encode()


class SalesOrderWebhookError(RuntimeError):
    """The delivery failed for good: a non-retryable answer, or every attempt used up."""


def sign_payload(secret: bytes, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256 over ``<timestamp>.<body>``."""
    digest = hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class SalesOrderWebhookSender:
    """Sends sales order events to one URL; use it as a context manager so the connection pool is closed."""

    def __init__(self, url: str, secret: bytes, *, max_attempts: int = 5, base_delay: float = 0.5,
                 max_delay: float = 30.0, timeout: float = 10.0, client: httpx.Client | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        """``client`` may be injected (e.g. with a mock transport); otherwise one is created."""
        if not secret:
            raise ValueError("the webhook secret is empty")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.url = url
        self._secret = secret
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._client = client or httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False)
        self._sleep = sleep

    @classmethod
    def from_env(cls) -> Self:
        """A sender configured from ``SALES_ORDER_WEBHOOK_URL`` and ``SALES_ORDER_WEBHOOK_SECRET``."""
        url = os.environ.get("SALES_ORDER_WEBHOOK_URL", "")
        secret = os.environ.get("SALES_ORDER_WEBHOOK_SECRET", "")
        if not url or not secret:
            raise RuntimeError("SALES_ORDER_WEBHOOK_URL and SALES_ORDER_WEBHOOK_SECRET must both be set")
        return cls(url, secret.encode())

    def __enter__(self) -> Self:
        """Use the sender in a ``with`` block."""
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Close the HTTP connection pool."""
        self.close()

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based): exponential, capped, full jitter."""
        return _jitter.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))

    def send(self, event: SalesOrderEvent) -> httpx.Response:
        """Deliver ``event``; returns the 2xx response or raises ``SalesOrderWebhookError``."""
        body = event.to_json()
        problem = "no attempt made"
        for attempt in range(1, self.max_attempts + 1):
            timestamp = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "X-Webhook-Id": event.id,
                "X-Webhook-Timestamp": str(timestamp),
                "X-Webhook-Signature": sign_payload(self._secret, timestamp, body),
            }
            try:
                response = self._client.post(self.url, content=body, headers=headers)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.is_success:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise SalesOrderWebhookError(f"event {event.id} refused with HTTP {response.status_code}")
                problem = f"HTTP {response.status_code}"
            if attempt < self.max_attempts:
                delay = self.backoff(attempt)
                logger.warning("sales order webhook %s attempt %d failed (%s); retrying in %.1fs",
                               event.id, attempt, problem, delay)
                self._sleep(delay)
        raise SalesOrderWebhookError(f"event {event.id} not delivered after {self.max_attempts} attempts: {problem}")
