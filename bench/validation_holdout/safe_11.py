"""Service settings read from the environment with pydantic-settings."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PASSWORD_MIN_LENGTH = 12
SECRET_KEY_ENV_VAR = "APP_SECRET_KEY"
TOKEN_EXPIRY_SECONDS = 3600


class Settings(BaseSettings):
    """All configuration; secrets have no defaults and must be provided."""

    model_config = SettingsConfigDict(env_prefix="APP_", env_file=".env")

    database_url: str = "postgresql+psycopg://localhost/app"
    db_password: SecretStr
    secret_key: SecretStr = Field(alias=SECRET_KEY_ENV_VAR)
    token_expiry_seconds: int = TOKEN_EXPIRY_SECONDS
    password_min_length: int = PASSWORD_MIN_LENGTH


def password_is_strong(password: str, settings: Settings) -> bool:
    """Length and character-class check for a new password."""
    classes = [any(c.islower() for c in password), any(c.isupper() for c in password), any(c.isdigit() for c in password)]
    return len(password) >= settings.password_min_length and all(classes)
