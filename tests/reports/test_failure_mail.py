"""A failed request's report reaches the consultant by e-mail (HTML body, PDF attached), to the project's own
recipients where it has some; a mail server that is down is logged and changes nothing else."""

from __future__ import annotations

import logging

import pytest

from contracts import CodeRequest
from flows.generate_code import run_request
from simulator import Fail
from tests.conftest import free_port

pytestmark = pytest.mark.usefixtures("prefect_server")


def _failing(sim, project: str = "acme") -> CodeRequest:
    for provider in ("gemini", "openai", "anthropic"):
        sim.script(provider, [Fail(500)] * 3)
    return CodeRequest(task="Write a greeting script for the Orion service", stack=["python"], project=project)


def _mail_to(monkeypatch, port: int, **recipients: str) -> None:
    monkeypatch.setenv("Q2O_BACKOFF_SECONDS", "0")
    monkeypatch.setenv("Q2O_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("Q2O_SMTP_PORT", str(port))
    monkeypatch.setenv("Q2O_SMTP_STARTTLS", "false")  # no certificate on the test server
    for name, value in recipients.items():
        monkeypatch.setenv(f"Q2O_{name.upper()}", value)


async def test_the_report_is_mailed_with_its_pdf(sim, smtp_server, monkeypatch):
    controller, inbox = smtp_server
    _mail_to(monkeypatch, controller.port, report_email_to="consultant@example.com,lead@example.com")
    result = await run_request(_failing(sim))
    assert result.status == "failed"
    [mail] = inbox.messages
    assert mail["To"] == "consultant@example.com, lead@example.com"
    report_id = result.report_paths[0].rsplit("/", 1)[-1].removesuffix(".html")
    assert report_id in mail["Subject"] and "acme" in mail["Subject"]
    parts = {part.get_content_type(): part for part in mail.walk()}
    assert "Orion service" in parts["text/html"].get_payload(decode=True).decode()
    pdf = parts["application/pdf"]
    assert pdf.get_filename() == f"{report_id}.pdf" and pdf.get_payload(decode=True).startswith(b"%PDF")


async def test_a_project_with_its_own_recipients_gets_them_instead(sim, smtp_server, monkeypatch):
    controller, inbox = smtp_server
    _mail_to(
        monkeypatch,
        controller.port,
        report_email_to="everyone@example.com",
        project_report_email_to="globex=dev@globex.example qa@globex.example",
    )
    await run_request(_failing(sim, project="globex"))
    await run_request(_failing(sim, project="acme"))
    assert [m["To"] for m in inbox.messages] == ["dev@globex.example, qa@globex.example", "everyone@example.com"]


async def test_no_recipient_no_mail(sim, smtp_server, monkeypatch):
    controller, inbox = smtp_server
    _mail_to(monkeypatch, controller.port)
    assert (await run_request(_failing(sim))).status == "failed"
    assert inbox.messages == []


async def test_a_mail_server_that_is_down_is_logged_and_changes_nothing(sim, monkeypatch, caplog):
    _mail_to(monkeypatch, free_port(), report_email_to="consultant@example.com", smtp_password="smtp-SECRET-9")
    monkeypatch.setenv("Q2O_SMTP_USER", "q2o")
    with caplog.at_level(logging.WARNING, logger="q2o.reports"):
        result = await run_request(_failing(sim))
    assert result.status == "failed" and result.error == "all_providers_failed" and len(result.report_paths) == 2
    assert any("not mailed" in r.getMessage() for r in caplog.records)
    assert "smtp-SECRET-9" not in caplog.text


def test_a_malformed_project_list_is_a_clear_error(monkeypatch):
    from pydantic import ValidationError

    from settings import Settings

    monkeypatch.setenv("Q2O_PROJECT_REPORT_EMAIL_TO", "acme")
    with pytest.raises(ValidationError, match="PROJECT=ADDRESS"):
        Settings()
