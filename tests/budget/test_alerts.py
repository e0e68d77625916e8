"""Alerts: each level once per period (two processes, a restart), wording, SMTP, webhook, channels down."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from budget import LEVELS, BudgetAlert, BudgetGuard, alert_text, send_alerts
from codegen.calling import CallContext, ledgered_call
from settings import load_settings
from tests.budget.worker import PROMPT
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def _spend(guard: BudgetGuard, dollars: float, agent: str = "coder", project: str = "race") -> list[BudgetAlert]:
    held = guard.reserve(
        agent=agent, project=project, provider="openai", model="gpt-4.1-mini", prompt_bytes=4, max_output_tokens=16
    )
    return guard.settle(held, dollars)


def test_each_level_fires_once_per_period(budget_db, monkeypatch):
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "1")
    monkeypatch.setenv("Q2O_AGENT_SHARES", "coder=50")
    guard = BudgetGuard(load_settings())
    fired = _spend(guard, 0.30)  # month 30 %, coder share ($0.50) 60 %
    assert [(a.scope, a.level) for a in fired] == [("agent:coder", 50)]
    fired = _spend(guard, 0.455)  # month 75.5 %, coder 151 %
    assert [(a.scope, a.level) for a in fired] == [("month", 50), ("month", 70)] + [
        ("agent:coder", lv) for lv in LEVELS[1:]
    ]
    assert _spend(guard, 0.0, agent="researcher") == []
    fired = _spend(guard, 0.25, agent="researcher")  # 100.5 % (the call itself is charged more than held)
    assert [a.level for a in fired] == [80, 90, 95, 99, 100] and fired[-1].resource == "q2o.budget.month"


def test_two_processes_and_a_restart_fire_each_alert_once(budget_db, monkeypatch):
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "1")
    guard = BudgetGuard(load_settings())
    held = guard.reserve(
        agent="coder", project="race", provider="openai", model="gpt-4.1-mini", prompt_bytes=4, max_output_tokens=16
    )
    guard.store.settle(held.id, _dec(0.96))  # settled without checking alerts: the children check

    def child() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.budget.worker", "alerts"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    children = [child(), child()]
    fired = []
    for c in children:
        out, err = c.communicate(timeout=60)
        assert c.returncode == 0, err
        fired += [tuple(x) for x in json.loads(out.strip().splitlines()[-1])]
    assert sorted(fired) == [("month", lv) for lv in (50, 70, 80, 90, 95)]
    restart = child()  # a fresh process after the others: nothing is fired again
    out, _ = restart.communicate(timeout=60)
    assert json.loads(out.strip().splitlines()[-1]) == []


def _dec(value: float):
    from storage import micro_dollars

    return micro_dollars(value)


def test_wording_escalates():
    def text(level: int) -> str:
        return alert_text(
            BudgetAlert(scope="month", period="2026-11", level=level, spent_usd=level * 10.0, budget_usd=1000.0)
        )

    assert text(50).startswith("Notice") and "$500.00 of $1,000.00" in text(50)
    assert "template-only" in text(90)
    assert "CRITICAL" in text(99)
    assert "Provider calls are off" in text(100)


class _Hook(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, json.loads(body)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook_server():
    _Hook.received, _Hook.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, _Hook
    server.shutdown()
    server.server_close()


ALERT = BudgetAlert(scope="project:acme", period="2026-11", level=90, spent_usd=90.0, budget_usd=100.0)


async def test_email_and_webhook_are_sent(smtp_server, webhook_server, monkeypatch):
    controller, inbox = smtp_server
    server, hook = webhook_server
    monkeypatch.setenv("Q2O_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("Q2O_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("Q2O_SMTP_STARTTLS", "false")  # no certificate on the test server
    monkeypatch.setenv("Q2O_ALERT_EMAIL_TO", "ops@example.com,cfo@example.com")
    monkeypatch.setenv("Q2O_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/hooks/T0SECRET/B0SECRET")
    await send_alerts([ALERT], load_settings())
    [mail] = inbox.messages
    assert mail["To"] == "ops@example.com, cfo@example.com" and "90%" in mail["Subject"]
    assert "template-only" in mail.get_payload()
    [(path, body)] = hook.received
    assert path == "/hooks/T0SECRET/B0SECRET" and body == {"text": ALERT.text}


async def test_channels_that_are_down_are_logged_and_change_nothing(
    sim, budget_db, webhook_server, monkeypatch, caplog
):
    server, hook = webhook_server
    hook.status = 500  # the webhook answers an error; the SMTP server is not there at all
    secret_url = f"http://127.0.0.1:{server.server_port}/hooks/T0SECRET/B0SECRET"
    monkeypatch.setenv("Q2O_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("Q2O_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("Q2O_SMTP_PASSWORD", "smtp-pass-SECRET-123")
    monkeypatch.setenv("Q2O_SMTP_USER", "q2o")
    monkeypatch.setenv("Q2O_ALERT_EMAIL_TO", "ops@example.com")
    monkeypatch.setenv("Q2O_ALERT_WEBHOOK_URL", secret_url)
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "0.0003")  # one call crosses 50 %
    settings = load_settings()
    context = CallContext(request_id="down", flow_run_id=None, agent="coder", project="race")
    started = time.perf_counter()
    with caplog.at_level(logging.INFO, logger="q2o.budget"):
        done = await ledgered_call(settings, context, "openai", system="", prompt=PROMPT, max_output_tokens=100)
    assert done.cost_usd == pytest.approx(0.000176) and time.perf_counter() - started < 5
    assert len(hook.received) == 1
    failures = [r.getMessage() for r in caplog.records if "channel" in r.getMessage()]
    assert any("email" in m for m in failures) and any("webhook" in m for m in failures)
    assert not any("T0SECRET" in r.getMessage() or "SECRET-123" in r.getMessage() for r in caplog.records)
    assert any("Monthly budget" in r.getMessage() and "past 50% (58% used" in r.getMessage() for r in caplog.records)


async def test_a_hanging_channel_is_cut_off(monkeypatch):
    from budget import channels, register_channel, unregister_channel

    monkeypatch.setattr(channels, "CHANNEL_TIMEOUT_S", 0.1)

    async def slow(alert, settings) -> None:
        await asyncio.sleep(30)

    register_channel("slow", slow)
    try:
        started = time.perf_counter()
        await send_alerts([ALERT], load_settings())
        assert time.perf_counter() - started < 2
    finally:
        unregister_channel("slow")
