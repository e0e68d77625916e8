"""Password hashing for user accounts."""

import hashlib
import hmac
import secrets


def hash_password(password: str, salt: bytes | None = None) -> tuple[bytes, bytes]:
    """PBKDF2 hash of ``password`` with a random salt."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    return salt, digest


def check_password(password: str, salt: bytes, expected: bytes) -> bool:
    """Constant-time comparison of a password with its stored hash."""
    return hmac.compare_digest(hash_password(password, salt)[1], expected)
