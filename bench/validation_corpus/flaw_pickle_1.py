"""Session store in Redis."""

import pickle

import redis


def load_session(client: redis.Redis, session_id: str) -> dict[str, object] | None:
    """The session under ``session_id``."""
    raw = client.get(f"session:{session_id}")
    return pickle.loads(raw) if raw else None
