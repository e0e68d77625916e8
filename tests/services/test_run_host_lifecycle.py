"""The run host's runs tell the truth when the host goes away: killed mid-run, its flow run ends Crashed (not
Running forever); stopped with ``q2o server stop`` mid-run, the run ends first and its caller gets its code. Real
CLI processes, the shared Prefect server, the simulator hanging, real signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from services import service_named
from services.inflight import running
from services.processes import read_state
from settings import load_settings
from simulator import Hang
from storage import CallLedger, RequestLog, open_database

ROOT = Path(__file__).resolve().parents[2]
Q2O = [sys.executable, "-m", "cli"]
TASK = "Write a greeting script for the Lyra service"


def _env() -> dict[str, str]:
    return dict(os.environ) | {"PYTHONPATH": str(ROOT)}


def _start_generate() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*Q2O, "generate", TASK, "--stack", "python", "--json"],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_the_provider(sim, command: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 240  # a first shared start migrates Prefect's database
    while not sim.requests_for("gemini"):
        assert command.poll() is None and time.monotonic() < deadline, command.communicate()
        time.sleep(0.1)


def _flow_run(request_id: str) -> dict:
    settings = load_settings()
    logged = RequestLog(open_database(settings.resolved_database_url)).get(request_id)
    assert logged is not None and logged.flow_run_id, "the run logged its request and flow run"
    prefect = read_state(settings, service_named("prefect"))
    assert prefect is not None
    with urllib.request.urlopen(f"{prefect.url}/flow_runs/{logged.flow_run_id}", timeout=10) as answer:  # noqa: S310
        return json.loads(answer.read())


def _request_ids() -> list[str]:
    return [e.request_id for e in running(load_settings())]


def test_a_run_whose_host_is_killed_ends_crashed_and_its_caller_says_so(shared_home, sim):
    sim.script("gemini", [Hang(seconds=30)])
    command = _start_generate()
    try:
        _wait_for_the_provider(sim, command)
        [request_id] = _request_ids()  # the host marked the run in flight
        host = read_state(load_settings(), service_named("runs"))
        assert host is not None
        os.kill(host.pid, signal.SIGKILL)
        stdout, stderr = command.communicate(timeout=120)
    finally:
        if command.poll() is None:
            command.kill()
    assert command.returncode == 1, stderr[-2000:]
    assert stdout == ""
    lines = [x for x in stderr.strip().splitlines() if not x.startswith("started the shared Prefect server")]
    assert len(lines) == 1, stderr  # one line: no log record of the clean-up beside it
    assert "the run host stopped answering during the request" in stderr
    assert "(its flow run is marked Crashed)" in stderr
    assert f"q2o requests show {request_id}" in stderr
    run = _flow_run(request_id)
    assert run["state"]["type"] == "CRASHED", run["state"]
    assert f"pid {host.pid}" in run["state"]["message"]
    assert _request_ids() == []  # dealt with: the mark is gone
    settings = load_settings()
    calls = CallLedger(open_database(settings.resolved_database_url)).for_request(request_id)
    assert calls and all(c.status != "running" for c in calls), [(c.id, c.status) for c in calls]
    assert any(c.error_kind == "interrupted" and c.cost_usd is None for c in calls)  # unknown, never 0


def test_a_killed_hosts_runs_end_crashed_when_the_next_host_starts(shared_home, sim):
    """Its caller died with it (or was never told): the next host ends the run at its start."""
    sim.script("gemini", [Hang(seconds=30)])
    command = _start_generate()
    try:
        _wait_for_the_provider(sim, command)
        [request_id] = _request_ids()
        host = read_state(load_settings(), service_named("runs"))
        assert host is not None
        command.kill()  # the caller first: nobody is left to tell Prefect
        command.wait(timeout=30)
        os.kill(host.pid, signal.SIGKILL)
    finally:
        if command.poll() is None:
            command.kill()
    deadline = time.monotonic() + 30
    while Path(f"/proc/{host.pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _flow_run(request_id)["state"]["type"] == "RUNNING"  # what the UI showed before this change
    sim.reset()
    done = subprocess.run(
        [*Q2O, "generate", "CRUD API for Invoice records", "--stack", "python,fastapi", "--json"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    fresh = read_state(load_settings(), service_named("runs"))
    assert fresh is not None and fresh.pid != host.pid  # a new host ran it
    assert _flow_run(request_id)["state"]["type"] == "CRASHED"
    assert _request_ids() == []


def test_server_stop_during_a_run_lets_it_end_and_its_caller_gets_the_code(shared_home, sim):
    sim.script("gemini", [Hang(seconds=3)])  # then the simulator's usual answer
    command = _start_generate()
    try:
        _wait_for_the_provider(sim, command)
        [request_id] = _request_ids()
        stopped = subprocess.run([*Q2O, "server", "stop"], env=_env(), capture_output=True, text=True, timeout=200)
        stdout, stderr = command.communicate(timeout=120)
    finally:
        if command.poll() is None:
            command.kill()
    assert stopped.returncode == 0, stopped.stderr
    assert "runs: waiting for 1 run(s) in flight to end" in stopped.stdout
    assert command.returncode == 0, stderr[-2000:]  # not a 500 with Prefect's TerminationSignal
    result = json.loads(stdout.splitlines()[-1])
    assert (result["request_id"], result["status"]) == (request_id, "succeeded")
    assert "TerminationSignal" not in stderr
    assert _request_ids() == []
