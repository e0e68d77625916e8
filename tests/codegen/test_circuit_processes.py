"""The breaker across OS processes sharing one database (a SQLite file, then PostgreSQL): one process opens the
circuit with real calls, another skips; after the cooldown, of two processes racing from many threads exactly
one caller gets the probe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from simulator import Fail

ROOT = Path(__file__).resolve().parents[2]


def _child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.codegen.circuit_worker", *args],
        cwd=ROOT,
        env=dict(os.environ),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(*args: str) -> dict:
    child = _child(*args)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_one_process_opens_the_circuit_and_another_skips(sim, database):
    sim.default["gemini"] = Fail(500)
    assert _run("fail") == {"calls": 3, "state": "open"}
    assert len(sim.requests_for("gemini")) == 3
    other = _run("admit")
    assert other["probe"] is None and "circuit open until" in other["skip"]
    assert "3 calls in a row failed (unavailable" in other["skip"]
    assert len(sim.requests_for("gemini")) == 3  # the other process made no call


def test_of_two_processes_racing_after_the_cooldown_exactly_one_caller_probes(sim, database, monkeypatch):
    monkeypatch.setenv("Q2O_CIRCUIT_COOLDOWN_SECONDS", "1")
    sim.default["gemini"] = Fail(500)
    racers = [_child("race", "8") for _ in range(2)]
    try:
        for racer in racers:
            assert racer.stdout is not None and racer.stdout.readline().strip() == "ready"
        assert _run("fail")["state"] == "open"
        time.sleep(1.1)  # the cooldown ends: the circuit is half-open
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        outcomes = []
        for racer in racers:
            out, err = racer.communicate(timeout=120)
            assert racer.returncode == 0, err
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()
    assert sum(len(o["probes"]) for o in outcomes) == 1
    assert "another caller's probe call decides" in _run("admit")["skip"]
