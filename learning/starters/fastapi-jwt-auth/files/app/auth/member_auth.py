"""Authenticate members from a bearer JWT (PyJWT): signature, expiry, issuer and audience are checked.

Configuration comes from the environment: ``MEMBER_JWT_SECRET`` (required, at least 32 characters),
``MEMBER_JWT_ISSUER`` and ``MEMBER_JWT_AUDIENCE`` (optional). Only HS256 is accepted, so a token cannot
choose a weaker algorithm (or ``none``) for itself.
"""

import os
from collections.abc import Callable
from functools import lru_cache
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, SecretStr, ValidationError

ALGORITHMS = ["HS256"]
bearer_scheme = HTTPBearer(auto_error=False)


class MemberTokenSettings(BaseModel):
    """How member tokens are verified."""

    key: SecretStr
    issuer: str | None = None
    audience: str | None = None


@lru_cache(maxsize=1)
def member_token_settings() -> MemberTokenSettings:
    """Read once from the environment; a missing or short secret is a configuration error."""
    key = os.environ.get("MEMBER_JWT_SECRET", "")
    if len(key) < 32:
        raise RuntimeError("MEMBER_JWT_SECRET must be set to at least 32 characters")
    return MemberTokenSettings(key=SecretStr(key), issuer=os.environ.get("MEMBER_JWT_ISSUER") or None,
                               audience=os.environ.get("MEMBER_JWT_AUDIENCE") or None)


class AuthenticatedMember(BaseModel):
    """The member a request acts for, from the verified token's claims."""

    id: str = Field(min_length=1, description="The token's subject (``sub``).")
    roles: list[str] = Field(default_factory=list, description="The token's ``roles`` claim, if any.")


def decode_member_token(token: str, settings: MemberTokenSettings) -> AuthenticatedMember:
    """The member in ``token``; raises ``jwt.PyJWTError`` or ``ValidationError`` if it is not acceptable."""
    claims = jwt.decode(token, settings.key.get_secret_value(), algorithms=ALGORITHMS,
                        audience=settings.audience, issuer=settings.issuer,
                        options={"require": ["exp", "sub"]})
    return AuthenticatedMember(id=claims["sub"], roles=claims.get("roles") or [])


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail=detail,
                         headers={"WWW-Authenticate": "Bearer"})


def get_current_member(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    settings: Annotated[MemberTokenSettings, Depends(member_token_settings)],
) -> AuthenticatedMember:
    """FastAPI dependency: the authenticated member, or 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("missing bearer token")
    try:
        return decode_member_token(credentials.credentials, settings)
    except jwt.ExpiredSignatureError as exc:
        raise _unauthorized("token expired") from exc
    except (jwt.PyJWTError, ValidationError) as exc:
        raise _unauthorized("invalid token") from exc


CurrentMember = Annotated[AuthenticatedMember, Depends(get_current_member)]


def require_member_role(role: str) -> Callable[[AuthenticatedMember], AuthenticatedMember]:
    """A dependency that admits only members holding ``role`` (403 otherwise)."""

    def check_role(member: CurrentMember) -> AuthenticatedMember:
        """The member, if they hold the role."""
        if role not in member.roles:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=f"requires role {role}")
        return member

    return check_role
