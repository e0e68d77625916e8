"""HTTP client for the billing API; the key comes from the environment."""

import os

import requests

API_KEY = os.environ.get("BILLING_API_KEY", "")
BASE_URL = "https://billing.example.com/v1"


def list_invoices(customer_id: str) -> list[dict[str, object]]:
    """Invoices of one customer."""
    response = requests.get(
        f"{BASE_URL}/invoices",
        params={"customer": customer_id},
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=10,
        verify=True,
    )
    response.raise_for_status()
    return response.json()["data"]
