"""GitHub webhook receiver that verifies the HMAC signature."""

import hashlib
import hmac
import json
import os

from fastapi import APIRouter, Header, HTTPException, Request

router = APIRouter()

WEBHOOK_SECRET = os.environ["GITHUB_WEBHOOK_SECRET"].encode()


def signature_ok(body: bytes, signature: str) -> bool:
    """True when ``signature`` is the sha256 HMAC of ``body`` with our secret."""
    expected = "sha256=" + hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


@router.post("/webhooks/github")
async def github_webhook(
    request: Request,
    x_hub_signature_256: str = Header(...),
    x_github_event: str = Header(...),
) -> dict[str, str]:
    """Accept a signed event and acknowledge it."""
    body = await request.body()
    if not signature_ok(body, x_hub_signature_256):
        raise HTTPException(status_code=401, detail="bad signature")
    event = json.loads(body)
    repo = event.get("repository", {}).get("full_name", "?")
    return {"status": "accepted", "event": x_github_event, "repository": repo}
