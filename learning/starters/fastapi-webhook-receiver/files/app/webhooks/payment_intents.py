"""Receive payment intent webhooks: check the HMAC-SHA256 signature and the timestamp before trusting the body.

The sender signs ``<timestamp>.<raw body>`` with the shared secret (env ``PAYMENT_INTENT_WEBHOOK_SECRET``) and
sends ``X-Webhook-Timestamp`` (Unix seconds) and ``X-Webhook-Signature`` (``sha256=<hex digest>``).
Requests older or newer than ``TOLERANCE_SECONDS`` are refused, so a captured request cannot be replayed later.
"""

import hashlib
import hmac
import logging
import os
import time
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request, status
from pydantic import BaseModel, Field, ValidationError

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks/payment-intents", tags=["webhooks"])

TOLERANCE_SECONDS = 300


class PaymentIntentEvent(BaseModel):
    """The JSON body of each payment intent webhook."""

    id: str = Field(min_length=1, max_length=200, description="Unique event id; use it to drop duplicates.")
    type: str = Field(min_length=1, max_length=200, description="What happened, e.g. 'created'.")
    data: dict[str, Any] = Field(default_factory=dict, description="The payment intent as the sender sees it.")


def webhook_secret() -> bytes:
    """The shared secret, from the ``PAYMENT_INTENT_WEBHOOK_SECRET`` environment variable."""
    value = os.environ.get("PAYMENT_INTENT_WEBHOOK_SECRET", "")
    if not value:
        raise RuntimeError("PAYMENT_INTENT_WEBHOOK_SECRET is not set")
    return value.encode()


def compute_signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256 over ``<timestamp>.<body>``."""
    digest = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_is_valid(secret: bytes, timestamp: str, body: bytes, signature: str, *,
                       now: float | None = None, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """True if ``timestamp`` is recent and ``signature`` matches, compared in constant time."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance:
        return False
    return hmac.compare_digest(compute_signature(secret, timestamp, body), signature)


def handle_payment_intent_event(event: PaymentIntentEvent) -> None:
    """Act on a verified event. Keep it idempotent: senders retry, so an event may arrive twice."""
    logger.info("payment intent event %s of type %s received", event.id, event.type)


@router.post("", status_code=status.HTTP_204_NO_CONTENT)
async def receive_payment_intent_event(
    request: Request,
    x_webhook_timestamp: Annotated[str, Header(max_length=20)],
    x_webhook_signature: Annotated[str, Header(max_length=200)],
) -> None:
    """Verify, parse and handle one webhook delivery; 401 on a bad signature, 422 on a bad body."""
    body = await request.body()
    if not signature_is_valid(webhook_secret(), x_webhook_timestamp, body, x_webhook_signature):
        logger.warning("payment intent webhook refused: bad signature or stale timestamp")
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="invalid signature")
    try:
        event = PaymentIntentEvent.model_validate_json(body)
    except ValidationError as exc:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
                            detail=exc.errors(include_url=False)) from exc
    handle_payment_intent_event(event)
