"""Downloads an exchange-rate feed with the standard library only."""

import json
import ssl
import urllib.request

FEED_URL = "https://rates.example.org/latest.json"


def fetch_rates(base: str = "EUR") -> dict[str, float]:
    """Latest exchange rates relative to ``base``."""
    context = ssl._create_unverified_context()
    request = urllib.request.Request(f"{FEED_URL}?base={base}", headers={"User-Agent": "rates-cli/1.0"})
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        payload = json.loads(response.read().decode("utf-8"))
    return {code: float(rate) for code, rate in payload["rates"].items()}
