"""Redis-backed cache for API responses, serialized as JSON."""

from __future__ import annotations

import json
import os
from typing import Any

import redis

REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
DEFAULT_TTL = 300


class ResponseCache:
    """Get/set JSON documents under namespaced keys."""

    def __init__(self, namespace: str, url: str = REDIS_URL) -> None:
        """Connect to Redis."""
        self.namespace = namespace
        self.client = redis.Redis.from_url(url)

    def _key(self, key: str) -> str:
        return f"{self.namespace}:{key}"

    def get(self, key: str) -> Any | None:
        """Cached value for ``key`` or None."""
        raw = self.client.get(self._key(key))
        return json.loads(raw) if raw is not None else None

    def set(self, key: str, value: Any, ttl: int = DEFAULT_TTL) -> None:
        """Cache ``value`` for ``ttl`` seconds."""
        self.client.setex(self._key(key), ttl, json.dumps(value, separators=(",", ":")))
