"""HTTP client for the billing API."""

import requests

API_KEY = "sk_live_51HqLyjWDarjtT1zdp7dc"
BASE_URL = "https://billing.example.com/v1"


def list_invoices(customer_id: str) -> list[dict[str, object]]:
    """Invoices of one customer."""
    response = requests.get(
        f"{BASE_URL}/invoices",
        params={"customer": customer_id},
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["data"]
