"""Where fired alerts go: the log always; e-mail (SMTP) and a JSON webhook when configured; plus any
channel registered at runtime (the Prefect event and artifact channel lives in ``tasks/alerts.py``).

``deliver_alerts`` is the one function the guard calls after any change that fired alerts (a settle, a
refusal, a new budget, a close), so no path of a flow or the CLI has to remember to send them.

A channel that fails is logged and skipped: an alert never blocks or fails a generation. Network
channels have bounded timeouts and run concurrently off the event loop. Secrets never reach a log line.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable

import httpx

from budget.alerts import BudgetAlert
from notify import send_mail
from providers.base import redact
from settings import Settings

logger = logging.getLogger("q2o.budget")

CHANNEL_TIMEOUT_S = 5.0
Channel = Callable[[BudgetAlert, Settings], None | Awaitable[None]]
_extra: dict[str, Channel] = {}


def register_channel(name: str, channel: Channel) -> None:
    """Add (or replace) a channel by name, e.g. the Prefect notifier; sync or async."""
    _extra[name] = channel


def unregister_channel(name: str) -> None:
    _extra.pop(name, None)


def log_alert(alert: BudgetAlert, settings: Settings) -> None:
    level = logging.ERROR if alert.level >= 100 else logging.WARNING if alert.level >= 90 else logging.INFO
    logger.log(level, "%s", redact(alert.text, settings.secret_values()))


def email_alert(alert: BudgetAlert, settings: Settings) -> None:
    """Send the alert over SMTP (STARTTLS when Q2O_SMTP_STARTTLS) to Q2O_ALERT_EMAIL_TO."""
    if not settings.smtp_host or not settings.alert_email_to:
        return
    send_mail(
        settings,
        to=settings.alert_email_to,
        subject=f"[Q2O Forge] budget {alert.scope} {alert.period}: {alert.level}%",
        text=alert.text + "\n",
        timeout_s=CHANNEL_TIMEOUT_S,
    )


def webhook_alert(alert: BudgetAlert, settings: Settings) -> None:
    """POST ``{"text": ...}`` (Slack-compatible) to Q2O_ALERT_WEBHOOK_URL."""
    if not settings.alert_webhook_url:
        return
    response = httpx.post(settings.alert_webhook_url, json={"text": alert.text}, timeout=CHANNEL_TIMEOUT_S)
    response.raise_for_status()


BUILTIN: dict[str, Channel] = {"log": log_alert, "email": email_alert, "webhook": webhook_alert}


async def _run(name: str, channel: Channel, alert: BudgetAlert, settings: Settings) -> None:
    try:
        if inspect.iscoroutinefunction(channel):
            await asyncio.wait_for(channel(alert, settings), CHANNEL_TIMEOUT_S * 2)
        else:
            await asyncio.wait_for(asyncio.to_thread(channel, alert, settings), CHANNEL_TIMEOUT_S * 2)
    except Exception as exc:  # noqa: BLE001 - a channel's failure is logged, never raised
        logger.warning(
            "budget alert channel %s failed: %s", name, redact(f"{type(exc).__name__}: {exc}", settings.secret_values())
        )


async def send_alerts(alerts: list[BudgetAlert], settings: Settings) -> None:
    """Send every alert to every channel, concurrently; never raises."""
    if not alerts:
        return
    channels = {**BUILTIN, **_extra}
    await asyncio.gather(
        *(_run(name, channel, alert, settings) for alert in alerts for name, channel in channels.items())
    )


def deliver_alerts(alerts: list[BudgetAlert], settings: Settings) -> None:
    """``send_alerts`` from synchronous code, on any thread, with or without a running event loop; never raises.

    The channels run on an event loop of their own in a short-lived thread that carries this thread's context
    (a Prefect run's context included, so its channel knows the run). Called from plain synchronous code (the
    CLI, a worker thread) it waits for them, bounded by the channels' timeouts, so a process that exits right
    after ``q2o budget set`` has sent its alerts. Called on a thread whose event loop is running (a refusal
    inside an async flow) it does not wait: a slow webhook must not stall the calls in flight on that loop; the
    thread is not a daemon, so the process still finishes sending before it exits.
    """
    if not alerts:
        return
    context = contextvars.copy_context()
    worker = threading.Thread(
        target=context.run, args=(asyncio.run, send_alerts(alerts, settings)), name="q2o-budget-alerts"
    )
    worker.start()
    if not _loop_running():
        worker.join()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
