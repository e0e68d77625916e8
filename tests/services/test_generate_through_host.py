"""``q2o generate`` through the run host of a Q2O_HOME, end to end: real CLI processes, the shared Prefect server
and the host they start. Callers of the host's environment are served by it (one warm process); a caller with
another setting runs its flow itself, and the host gives way to one of that newest environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from services import service_named
from services.processes import read_state
from settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
RUNS = service_named("runs")
Q2O = [sys.executable, "-m", "cli"]


def _generate(entity: str, **extra: str) -> dict:
    env = dict(os.environ) | {"PYTHONPATH": str(ROOT)} | extra
    done = subprocess.run(
        [*Q2O, "generate", f"CRUD API for {entity} records", "--stack", "python,fastapi", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-800:]
    return json.loads(done.stdout.splitlines()[-1])


def test_generate_calls_are_run_by_one_warm_host_unless_their_environment_differs(shared_home):
    first = _generate("Invoice")
    state = read_state(load_settings(), RUNS)
    assert state is not None, "the first call started the run host"
    second = _generate("Customer")
    again = read_state(load_settings(), RUNS)
    assert again is not None and again.pid == state.pid  # reused, not restarted
    assert {(r["status"], r["source"]) for r in (first, second)} == {("succeeded", "template")}
    log = Path(state.log).read_text()
    assert f"request {first['request_id']}: succeeded" in log
    assert f"request {second['request_id']}: succeeded" in log

    other = _generate("Supplier", Q2O_MIN_QUALITY="55")  # another setting: not the host's to run
    assert (other["status"], other["source"]) == ("succeeded", "template")
    assert other["request_id"] not in Path(state.log).read_text()
    assert "a caller of another environment: retiring" in Path(state.log).read_text()

    newest = _generate("Shipment", Q2O_MIN_QUALITY="55")  # the newest environment gets a host of its own
    fresh = read_state(load_settings(), RUNS)
    assert fresh is not None and fresh.pid != state.pid
    assert f"request {newest['request_id']}: succeeded" in Path(fresh.log).read_text()

    shown = subprocess.run(
        [*Q2O, "requests", "show", first["request_id"], "--json"],
        env=dict(os.environ) | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr[-800:]  # the host's run is in this home's ledger
    assert first["request_id"] in shown.stdout


def test_an_exported_url_of_this_homes_own_server_still_goes_through_the_host(shared_home):
    """`export PREFECT_API_URL=$(q2o server url)` is this home's server: the same shared path, run host included
    (it used to count as a user's API and run every call in its own process)."""
    first = _generate("Invoice")
    prefect = read_state(load_settings(), service_named("prefect"))
    host = read_state(load_settings(), RUNS)
    assert prefect is not None and host is not None
    written = prefect.url.replace("127.0.0.1", "localhost") + "/"  # as a user may write it
    second = _generate("Customer", PREFECT_API_URL=written)
    again = read_state(load_settings(), RUNS)
    assert again is not None and again.pid == host.pid
    log = Path(host.log).read_text()
    assert f"request {first['request_id']}: succeeded" in log
    assert f"request {second['request_id']}: succeeded" in log


def test_asking_for_prefect_logs_runs_the_flow_here_where_the_terminal_shows_them(shared_home):
    first = _generate("Invoice")  # starts the host
    host = read_state(load_settings(), RUNS)
    assert host is not None
    env = dict(os.environ) | {"PYTHONPATH": str(ROOT), "PREFECT_LOGGING_LEVEL": "INFO"}
    done = subprocess.run(
        [*Q2O, "generate", "CRUD API for Customer records", "--stack", "python,fastapi", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-800:]
    result = json.loads(done.stdout.splitlines()[-1])
    assert "Finished in state Completed()" in done.stderr  # Prefect's run log, on this terminal
    assert "succeeded from template" in done.stderr  # and the service's own
    log = Path(host.log).read_text()
    assert f"request {first['request_id']}: succeeded" in log
    assert result["request_id"] not in log  # not the host's: its logs would have gone to its file
