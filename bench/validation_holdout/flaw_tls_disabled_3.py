"""SMTP mailer for password-reset e-mails."""

import os
import smtplib
import ssl
from email.message import EmailMessage

SMTP_HOST = os.environ.get("SMTP_HOST", "mail.internal")
SMTP_PORT = int(os.environ.get("SMTP_PORT", "465"))


def _tls_context() -> ssl.SSLContext:
    """TLS context for the relay (it uses an internal certificate)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def send_reset_mail(to: str, link: str) -> None:
    """Send the password-reset link to ``to``."""
    msg = EmailMessage()
    msg["Subject"] = "Reset your password"
    msg["From"] = "no-reply@example.com"
    msg["To"] = to
    msg.set_content(f"Click the link to reset your password: {link}")
    with smtplib.SMTP_SSL(SMTP_HOST, SMTP_PORT, context=_tls_context()) as smtp:
        smtp.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
        smtp.send_message(msg)
