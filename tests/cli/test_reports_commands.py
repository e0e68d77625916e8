"""``q2o reports serve`` (a real foreground process: health URL, reports from the database, a clean stop on SIGTERM,
one-line errors) and ``q2o reports list``."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from cli import app
from settings import load_settings
from storage import ReportStore, StoredReport, open_database

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def _seed() -> None:
    store = ReportStore(open_database(load_settings().resolved_database_url))
    store.put(
        StoredReport(
            id="FR-20261202-abcdef",
            kind="failure",
            title="Sync Vega invoices",
            request_id="r-9",
            html="<title>Failure report FR-20261202-abcdef</title>",
            pdf=b"%PDF-1.7 x",
        )
    )


def _serve(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "reports", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_serve_answers_until_sigterm_then_exits_0(q2o_env: Path) -> None:
    _seed()
    server = _serve("--port", "0")
    try:
        assert server.stdout is not None
        first = server.stdout.readline()  # printed (and flushed) before serving
        found = re.match(r"serving reports on (http://127\.0\.0\.1:\d+)/reports/ \(health: /healthz\)", first)
        assert found, first + (server.stderr.read() if server.poll() is not None and server.stderr else "")
        base = found.group(1)
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(base + "/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.1)
        assert health.json() == {"status": "ok", "reports": 1}
        page = httpx.get(base + "/reports/FR-20261202-abcdef.html", timeout=5)
        assert page.status_code == 200 and "Failure report FR-20261202-abcdef" in page.text
        assert httpx.get(base + "/reports/FR-20261202-abcdef.pdf", timeout=5).content == b"%PDF-1.7 x"
        assert "Sync Vega invoices" in httpx.get(base + "/reports/", timeout=5).text
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)
    assert server.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_a_taken_port_is_one_line_and_exit_2(q2o_env: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = runner.invoke(app, ["reports", "serve", "--port", str(port)])
    assert done.exit_code == 2
    assert done.stderr.strip().startswith(f"error: cannot listen on 127.0.0.1:{port} (")
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_bad_reports_url_is_one_line_and_exit_2(q2o_env: Path, monkeypatch) -> None:
    monkeypatch.setenv("Q2O_REPORTS_URL", "reports-host:4280")
    done = runner.invoke(app, ["reports", "serve"])
    assert done.exit_code == 2 and done.stderr.startswith("error: Q2O_REPORTS_URL: ")
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_port_defaults_to_the_one_the_reports_url_names(monkeypatch) -> None:
    from cli.reports import default_port

    assert default_port(load_settings()) == 4280
    monkeypatch.setenv("Q2O_REPORTS_URL", "http://reports-host:9123/")
    assert default_port(load_settings()) == 9123
    monkeypatch.setenv("Q2O_REPORTS_URL", "https://forge.example.internal/q2o")  # behind a proxy: our default
    assert default_port(load_settings()) == 4280


def test_list_shows_the_newest_reports_with_their_urls(q2o_env: Path, monkeypatch) -> None:
    assert runner.invoke(app, ["reports", "list"]).stdout == "id\tkind\tcreated (UTC)\ttitle\turl\n"  # piped
    _seed()
    monkeypatch.setenv("Q2O_REPORTS_URL", "http://reports-host:4280")
    [row] = [json.loads(line) for line in runner.invoke(app, ["reports", "list", "--json"]).stdout.splitlines()]
    assert row["id"] == "FR-20261202-abcdef" and row["kind"] == "failure" and row["request_id"] == "r-9"
    assert row["html_url"] == "http://reports-host:4280/reports/FR-20261202-abcdef.html"
    assert row["pdf_url"] == "http://reports-host:4280/reports/FR-20261202-abcdef.pdf"


def test_list_piped_is_one_whole_row_a_line(q2o_env: Path, monkeypatch) -> None:
    _seed()
    monkeypatch.setenv("Q2O_REPORTS_URL", "http://reports-host.example.internal:4280")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    piped = subprocess.run(  # a real pipe, 80 columns: nothing cut, the kind column kept
        [sys.executable, "-m", "cli", "reports", "list"], capture_output=True, text=True, env=env, timeout=60
    )
    assert piped.returncode == 0, piped.stderr
    header, row = (line.split("\t") for line in piped.stdout.splitlines())
    assert header == ["id", "kind", "created (UTC)", "title", "url"]
    assert row[:2] == ["FR-20261202-abcdef", "failure"] and row[3] == "Sync Vega invoices"
    assert row[4] == "http://reports-host.example.internal:4280/reports/FR-20261202-abcdef.html"
