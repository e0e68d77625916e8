"""Report links of a Q2O_HOME reach the report endpoint that serves it: with 4280 held by another home's endpoint,
this home's endpoint gets a free port, and the failure report's links and ``q2o reports list`` use that port (a
set Q2O_REPORTS_URL still wins). A real ``q2o reports serve`` process, started as the service row starts it."""

from __future__ import annotations

import contextlib
import json
import socket
import urllib.request
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from cli import app
from contracts import CodeRequest
from reports.failure import build_failure_report, publish_failure_report
from services import ensure_running, service_named
from services.report_links import reports_base_url
from settings import DEFAULT_REPORTS_PORT, load_settings


@pytest.fixture
def default_port_taken() -> Iterator[None]:
    """4280 taken, as by another home's endpoint (when something already holds it, that does as well)."""
    with contextlib.ExitStack() as stack:
        with contextlib.suppress(OSError):
            stack.enter_context(socket.create_server(("127.0.0.1", DEFAULT_REPORTS_PORT)))
        yield


def test_links_reach_this_homes_endpoint_on_the_port_it_got(shared_home, default_port_taken, monkeypatch):
    settings = load_settings()
    state, started = ensure_running(settings, service_named("reports"))
    assert started and state.port != DEFAULT_REPORTS_PORT
    base = f"http://127.0.0.1:{state.port}"
    assert reports_base_url(settings) == base

    request = CodeRequest(task="Export Orion invoices", stack=["python"])
    published = publish_failure_report(build_failure_report(request, [], "no provider answered"), settings)
    assert published.html_url == f"{base}/reports/{published.report_id}.html"
    with urllib.request.urlopen(published.html_url, timeout=10) as page:  # noqa: S310 - our loopback endpoint
        assert page.status == 200 and published.report_id in page.read().decode()

    listed = CliRunner().invoke(app, ["reports", "list", "--json"]).stdout
    assert json.loads(listed.splitlines()[0])["html_url"] == published.html_url

    monkeypatch.setenv("Q2O_REPORTS_URL", "https://forge.example.internal/q2o")  # set: it wins
    assert reports_base_url(load_settings()) == "https://forge.example.internal/q2o"
    listed = CliRunner().invoke(app, ["reports", "list", "--json"]).stdout
    assert json.loads(listed.splitlines()[0])["html_url"].startswith("https://forge.example.internal/q2o/reports/")


def test_with_no_endpoint_running_links_use_the_default(q2o_env):
    assert reports_base_url(load_settings()) == f"http://127.0.0.1:{DEFAULT_REPORTS_PORT}"
