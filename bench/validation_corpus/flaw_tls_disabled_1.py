"""Fetch the status of an internal service."""

import requests


def service_status(url: str) -> dict[str, object]:
    """The JSON status document at ``url``."""
    response = requests.get(url, timeout=5, verify=False)
    response.raise_for_status()
    return response.json()
