"""``q2o server start|status|stop|url`` and what they are for: twelve ``q2o generate`` processes at once on a fresh
Q2O_HOME share one server and all succeed (today's embedded servers collided and timed out)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from cli import app
from tests.services.servers import SHARED_PREFECT_HOME, stop_everything

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _status() -> tuple[int, dict]:
    """The exit code of ``server status --json`` and the Prefect server's row (the report endpoint and the run
    host have one too)."""
    done = runner.invoke(app, ["server", "status", "--json"])
    rows = {row["name"]: row for row in json.loads(done.stdout)}
    assert set(rows) == {"prefect", "reports", "runs"}
    return done.exit_code, rows["prefect"] | {"reports": rows["reports"], "runs": rows["runs"]}


def test_start_status_url_stop(shared_home):
    code, row = _status()
    assert (code, row["state"], row["answers"], row["pid"]) == (1, "stopped", False, None)
    assert runner.invoke(app, ["server", "url"]).exit_code == 1

    started = runner.invoke(app, ["server", "start"])
    assert started.exit_code == 0, started.output
    assert started.stdout.startswith("prefect: started at http://127.0.0.1:")
    assert "UI http://127.0.0.1:" in started.stdout
    assert "reports: started at http://127.0.0.1:" in started.stdout  # the endpoint the artifacts link
    assert "runs: started at http://127.0.0.1:" in started.stdout  # the run host of q2o generate
    assert runner.invoke(app, ["server", "start"]).stdout.startswith("prefect: running at ")  # found, not doubled

    code, row = _status()
    assert (code, row["state"], row["answers"]) == (0, "running", True)
    assert row["url"].endswith("/api") and row["ui_url"] == row["url"].removesuffix("/api")
    assert row["uptime_s"] >= 0 and row["started_at"] and Path(row["log"]).is_file()
    assert row["reports"]["answers"] and row["reports"]["url"].endswith("/reports/")
    assert row["runs"]["answers"]
    text = runner.invoke(app, ["server", "status"]).stdout
    assert f"UI   {row['ui_url']}" in text and f"pid  {row['pid']}, up " in text
    assert runner.invoke(app, ["server", "url"]).stdout.strip() == row["url"]

    stopped = runner.invoke(app, ["server", "stop"])
    assert stopped.exit_code == 0
    assert stopped.stdout.splitlines() == [  # the run host first: its runs need the Prefect server to the end
        f"runs: stopped (pid {row['runs']['pid']})",
        f"reports: stopped (pid {row['reports']['pid']})",
        f"prefect: stopped (pid {row['pid']})",
    ]
    assert not Path(f"/proc/{row['pid']}/cmdline").exists() or not Path(f"/proc/{row['pid']}/cmdline").read_bytes()
    assert _status()[1]["state"] == "stopped"
    assert runner.invoke(app, ["server", "stop"]).stdout.splitlines() == [
        "runs: was not running",
        "reports: was not running",
        "prefect: was not running",
    ]


def test_twelve_generate_calls_at_once_on_a_fresh_home_all_succeed(tmp_path):
    home = tmp_path / "fresh"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("Q2O_", "PREFECT_"))}
    env |= {
        "PYTHONPATH": str(ROOT),
        "Q2O_HOME": str(home / "q2o"),
        # The module's PREFECT_HOME: a migrated one unless this test runs first (bench/cli_concurrency.py times
        # the fully fresh case, where the first start also migrates Prefect's SQLite).
        "PREFECT_HOME": SHARED_PREFECT_HOME,
        "Q2O_SERVER": "shared",
        "Q2O_SERVER_PORT": "4391",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    entities = ["Customer", "Invoice", "Order", "Product", "Supplier", "Shipment", "Course", "Library", "Ticket",
                "Booking", "Employee", "Vehicle"]  # fmt: skip
    try:
        calls = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "cli",
                    "generate",
                    f"CRUD API for {e} records",
                    "--stack",
                    "python,fastapi",
                    "--json",
                ],  # fmt: skip
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for e in entities
        ]
        outputs = [call.communicate(timeout=300) for call in calls]
        failures = [err[-500:] for call, (_, err) in zip(calls, outputs, strict=True) if call.returncode != 0]
        assert not failures, failures
        results = [json.loads(out.splitlines()[-1]) for out, _ in outputs]
        assert {(r["status"], r["source"]) for r in results} == {("succeeded", "template")}
        starts = [err for _, err in outputs if "started the shared Prefect server" in err]
        assert len(starts) == 1  # one caller started it, eleven waited for it and reused it
    finally:
        stop_everything(home / "q2o")
