"""Settings for the payment service."""

from pydantic_settings import BaseSettings


class PaymentSettings(BaseSettings):
    """Configuration of the payment service."""

    stripe_api_key: str = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
    webhook_secret: str = ""
    token_url: str = "https://auth.example.com/oauth/token"
