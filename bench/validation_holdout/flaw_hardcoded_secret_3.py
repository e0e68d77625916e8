"""Posts build notifications to Slack."""

import logging

import httpx

logger = logging.getLogger(__name__)


class SlackNotifier:
    """Sends messages to a channel through the Slack Web API."""

    def __init__(self, channel: str, token: str = "xoxb-2143658709-4938271650-Zx8kQp3LmN7vR2tY5wB9cD1e") -> None:
        """Remember the channel and bot token."""
        self.channel = channel
        self.client = httpx.Client(
            base_url="https://slack.com/api",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )

    def notify(self, text: str) -> bool:
        """Post ``text``; True when Slack accepted it."""
        resp = self.client.post("/chat.postMessage", json={"channel": self.channel, "text": text})
        ok = bool(resp.json().get("ok"))
        if not ok:
            logger.warning("Slack rejected message: %s", resp.text)
        return ok
