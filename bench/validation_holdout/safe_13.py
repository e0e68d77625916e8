"""HTTPS client for an internal service that uses a private CA bundle."""

from __future__ import annotations

import os
import ssl

import httpx

CA_BUNDLE = os.environ.get("INTERNAL_CA_BUNDLE", "/etc/ssl/certs/internal-ca.pem")
BASE_URL = "https://ledger.internal.example.com"


def tls_context() -> ssl.SSLContext:
    """Verifying TLS context that trusts our private CA."""
    ctx = ssl.create_default_context(cafile=CA_BUNDLE)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


async def balance(account_id: str) -> float:
    """Current balance of an account."""
    async with httpx.AsyncClient(base_url=BASE_URL, verify=tls_context(), timeout=10) as client:
        resp = await client.get(f"/accounts/{account_id}/balance")
        resp.raise_for_status()
        return float(resp.json()["balance"])


def sync_client() -> httpx.Client:
    """Blocking client verifying against the CA bundle file."""
    return httpx.Client(base_url=BASE_URL, verify=CA_BUNDLE, timeout=10)
