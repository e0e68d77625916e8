"""Fetch a page over HTTPS with a custom CA bundle."""

import ssl

import httpx


def fetch(url: str, ca_file: str) -> str:
    """Body of ``url``, verified against ``ca_file``."""
    context = ssl.create_default_context(cafile=ca_file)
    context.check_hostname = True
    with httpx.Client(verify=context, timeout=10.0) as client:
        return client.get(url).text
