"""Password hashing helpers built on the standard library."""

from __future__ import annotations

import hashlib
import hmac
import secrets

ITERATIONS = 600_000
SALT_BYTES = 16


def hash_password(password: str) -> str:
    """Return ``salt$hash`` (hex) for ``password`` using PBKDF2-SHA256."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)
    return f"{salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against a ``salt$hash`` string."""
    salt_hex, _, hash_hex = stored.partition("$")
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt_hex), ITERATIONS)
    return hmac.compare_digest(digest.hex(), hash_hex)


def new_api_token() -> str:
    """A fresh random API token for a user."""
    return secrets.token_urlsafe(32)
