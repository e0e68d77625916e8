"""Webhook receiver that verifies an HMAC signature."""

import hashlib
import hmac
import os

from fastapi import FastAPI, Header, HTTPException, Request

app = FastAPI()
WEBHOOK_SECRET = os.environ["WEBHOOK_SECRET"].encode()


@app.post("/webhooks/payments")
async def receive(request: Request, x_signature: str = Header(default="")) -> dict[str, str]:
    """Accept a payment event when its signature matches."""
    body = await request.body()
    expected = hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, x_signature):
        raise HTTPException(status_code=401, detail="bad signature")
    return {"status": "ok"}
