"""Deserialize a cached payload with JSON instead of pickle."""

import json

import redis


def load_cached(client: redis.Redis, key: str) -> dict[str, object] | None:
    """The cached dict under ``key``, or None."""
    raw = client.get(key)
    return json.loads(raw) if raw else None
