"""Client for the internal inventory API (self-signed certificate in staging)."""

from __future__ import annotations

import os

import httpx

BASE_URL = os.environ.get("INVENTORY_URL", "https://inventory.staging.internal")


def make_client() -> httpx.Client:
    """HTTP client preconfigured for the inventory API."""
    return httpx.Client(base_url=BASE_URL, verify=False, timeout=10.0)


def reserve(sku: str, quantity: int) -> dict[str, object]:
    """Reserve ``quantity`` units of ``sku``."""
    with make_client() as client:
        resp = client.post("/reservations", json={"sku": sku, "quantity": quantity})
        resp.raise_for_status()
        return resp.json()
