"""Small HTTP client for a public API, with retries and explicit TLS verification."""

from __future__ import annotations

import logging

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

logger = logging.getLogger(__name__)


def make_session(retries: int = 3) -> requests.Session:
    """Session with retry/backoff on 5xx responses."""
    session = requests.Session()
    retry = Retry(total=retries, backoff_factor=0.5, status_forcelist=(500, 502, 503, 504))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.verify = True
    return session


def get_json(session: requests.Session, url: str, **params: str) -> dict[str, object]:
    """GET ``url`` and decode the JSON body."""
    resp = session.get(url, params=params, timeout=10)
    if resp.status_code >= 400:
        logger.warning("GET %s failed with %s: %s", url, resp.status_code, resp.text[:200])
    resp.raise_for_status()
    return resp.json()
