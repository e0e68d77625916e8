"""Mail out of the service: the one SMTP sender, for budget alerts and failure reports (the ``Q2O_SMTP_*`` settings).

Plain Python over the standard library's ``smtplib``; the caller decides what a failed send means (an alert or a
report that cannot be mailed is logged, and changes nothing else).
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from settings import Settings

SMTP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str  # "application/pdf"


def mail_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def send_mail(
    settings: Settings,
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[Attachment] = (),
    timeout_s: float = SMTP_TIMEOUT_S,
) -> None:
    """Send one message over the configured SMTP server (STARTTLS when ``Q2O_SMTP_STARTTLS``); raises
    ``OSError`` / ``smtplib.SMTPException`` when it cannot. ``html`` makes it a text-and-HTML alternative."""
    if not settings.smtp_host:
        raise ValueError("no SMTP server configured (Q2O_SMTP_HOST)")
    if not to:
        raise ValueError("no recipient")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(to)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for item in attachments:
        main, _, sub = item.mime_type.partition("/")
        message.add_attachment(item.content, maintype=main, subtype=sub, filename=item.filename)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout_s) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user and settings.smtp_password is not None:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        smtp.send_message(message)
