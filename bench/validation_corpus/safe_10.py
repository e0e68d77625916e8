"""Settings for the payment service, read from the environment."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class PaymentSettings(BaseSettings):
    """Configuration of the payment service."""

    model_config = SettingsConfigDict(env_prefix="PAYMENT_")

    stripe_api_key: str = ""
    webhook_secret: str = ""
    token_url: str = "https://auth.example.com/oauth/token"
    password_min_length: int = 12
