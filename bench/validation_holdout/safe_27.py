"""Stripe-style webhook endpoint: verifies a timestamped signature from the environment secret."""

import hashlib
import hmac
import json
import os
import time

from flask import Flask, abort, request

app = Flask(__name__)
SIGNING_SECRET = os.environ.get("PAYMENTS_WEBHOOK_SECRET", "")
TOLERANCE_SECONDS = 300


def verify(payload: bytes, header: str, secret: str = SIGNING_SECRET) -> bool:
    """Check the ``t=...,v1=...`` signature header against the payload."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    timestamp, signature = parts.get("t", "0"), parts.get("v1", "")
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    signed = f"{timestamp}.".encode() + payload
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return bool(secret) and hmac.compare_digest(expected, signature)


@app.post("/webhooks/payments")
def payments_webhook() -> tuple[dict[str, str], int]:
    """Handle a verified payment event."""
    if not verify(request.get_data(), request.headers.get("Payments-Signature", "")):
        abort(400)
    event = json.loads(request.get_data())
    return {"received": event.get("type", "unknown")}, 200
