"""Scrapes prices from a partner portal with a shared requests session."""

from __future__ import annotations

import requests
import urllib3

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def build_session(user_agent: str = "price-bot/2.1") -> requests.Session:
    """Session reused across all portal requests."""
    session = requests.Session()
    session.headers.update({"User-Agent": user_agent})
    session.verify = False
    return session


def fetch_prices(session: requests.Session, category: str) -> list[dict[str, object]]:
    """Price list for one category."""
    resp = session.get(f"https://partners.example.net/api/prices/{category}", timeout=20)
    resp.raise_for_status()
    return resp.json()["items"]
