"""Thin client for the Stripe-like payments API."""

from __future__ import annotations

import requests

API_KEY = "sk-live-4eC39HqLyjWDarjtT1zdp7dcTYooMQauvdEDq54NiTphI7jx"
BASE_URL = "https://api.payments.example.com/v1"


class PaymentsClient:
    """Creates and fetches charges."""

    def __init__(self, api_key: str = API_KEY, timeout: float = 10.0) -> None:
        """Build an authenticated session."""
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {api_key}"
        self.timeout = timeout

    def create_charge(self, amount_cents: int, currency: str, source: str) -> dict[str, object]:
        """Charge ``amount_cents`` to ``source``."""
        resp = self.session.post(
            f"{BASE_URL}/charges",
            data={"amount": amount_cents, "currency": currency, "source": source},
            timeout=self.timeout,
        )
        resp.raise_for_status()
        return resp.json()
