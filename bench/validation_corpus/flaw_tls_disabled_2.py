"""Fetch a page over HTTPS with a custom context."""

import ssl
import urllib.request


def fetch(url: str) -> bytes:
    """Body of ``url``."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(url, context=context, timeout=10) as response:
        return response.read()
