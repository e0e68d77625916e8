"""Ctrl-C on ``q2o generate`` while a provider works: exit 130 and one line on stderr naming the request and how
to look it up, whether the run host took the request (it finishes it) or the command ran it itself. Real CLI
processes, the simulator hanging, a real SIGINT."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from services.inflight import running
from settings import load_settings
from simulator import Hang

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("server", ["shared", "embedded"], ids=["through the run host", "in the command"])
def test_ctrl_c_names_the_request_and_exits_130(shared_home, sim, monkeypatch, server):
    monkeypatch.setenv("Q2O_SERVER", server)
    sim.script("gemini", [Hang(seconds=8)])
    command = subprocess.Popen(
        [sys.executable, "-m", "cli", "generate", "Write a greeting script for the Lyra service", "--stack", "python"],
        env=dict(os.environ) | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240  # a first shared start migrates Prefect's database
        while not sim.requests_for("gemini"):
            assert command.poll() is None and time.monotonic() < deadline, command.communicate()
            time.sleep(0.1)
        command.send_signal(signal.SIGINT)
        stdout, stderr = command.communicate(timeout=60)
    finally:
        if command.poll() is None:
            command.kill()
    assert command.returncode == 130, stderr[-2000:]
    assert stdout == ""
    lines = [x for x in stderr.strip().splitlines() if not x.startswith("started the shared Prefect server")]
    assert len(lines) == 1, stderr  # that notice of a first start, then this one line
    [line] = lines
    found = re.fullmatch(r"interrupted: request (\w+) \(`q2o requests show (\w+)` shows whether it ran .*\)", line)
    assert found and found.group(1) == found.group(2), line
    # The run host finishes the request it took: let it, while the simulator still answers (torn down first, it
    # would leave the run retrying a dead provider and the host's stop waiting for it).
    settings = load_settings(home=shared_home)
    deadline = time.monotonic() + 60
    while running(settings) and time.monotonic() < deadline:
        time.sleep(0.2)
