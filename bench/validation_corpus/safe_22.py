"""Generate an API token for a new client and keep only its hash."""

import hashlib
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "q2o_"
TOKEN_HEADER = "X-Api-Token"


@dataclass
class IssuedToken:
    """A freshly issued token and the hash we store."""

    token: str
    token_hash: str


def issue_token() -> IssuedToken:
    """A random token with its SHA-256 hash."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return IssuedToken(token=token, token_hash=hashlib.sha256(token.encode()).hexdigest())
