"""Billing service configuration: ``BILLING_*`` environment variables and an optional ``.env`` file.

Secrets are ``SecretStr`` so they never show up in logs or reprs; ``get_billing_settings()`` reads the
environment once per process and fails fast, naming every missing or invalid variable.
"""

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class BillingSettings(BaseSettings):
    """Everything the billing service reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="BILLING_", env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore", frozen=True)

    service_name: str = Field(default="billing-service", description="Name used in logs and metrics.")
    environment: Literal["development", "staging", "production"] = "development"
    debug: bool = False
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    database_url: SecretStr = Field(description="SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@host/db.")
    api_key: SecretStr = Field(description="Key for calls to the upstream API.")
    api_base_url: str = Field(default="https://api.example.com", description="Upstream API root.")
    request_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    max_retries: int = Field(default=3, ge=0, le=10)
    allowed_origins: list[str] = Field(default_factory=list, description="CORS origins, as a JSON list.")

    @field_validator("api_base_url")
    @classmethod
    def https_only(cls, value: str) -> str:
        """Refuse plain HTTP for the upstream API, except on localhost."""
        if not value.startswith(("https://", "http://localhost", "http://127.0.0.1")):
            raise ValueError("must be an https:// URL")
        return value.rstrip("/")


@lru_cache(maxsize=1)
def get_billing_settings() -> BillingSettings:
    """The settings, read once; raises ``pydantic.ValidationError`` listing every problem."""
    return BillingSettings()  # type: ignore[call-arg]  # required fields come from the environment
