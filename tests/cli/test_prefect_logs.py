"""Prefect's service warnings (``EventsWorker - Still processing items``) stay off the terminal unless
PREFECT_LOGGING_LEVEL asks for Prefect's logs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_SERVICE_WARNING = """
import logging, sys
from cli.console import quiet_prefect_logs
quiet_prefect_logs()
from prefect.events.worker import EventsWorker
from prefect.logging.configuration import setup_logging
setup_logging(incremental=False)  # as the embedded Prefect server does again at its start
logging.getLogger(EventsWorker.__name__).warning("Still processing items: 9 items remaining...")
logging.getLogger("prefect.flow_runs").warning("a flow run warning")
"""


@pytest.mark.parametrize("level, shown", [(None, False), ("INFO", True)])
def test_prefect_service_warnings_stay_off_the_terminal_unless_asked_for(tmp_path, level, shown):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PREFECT_HOME": str(tmp_path / "prefect")}
    if level:
        env["PREFECT_LOGGING_LEVEL"] = level
    done = subprocess.run(
        [sys.executable, "-c", _SERVICE_WARNING], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert ("Still processing items" in done.stderr) is shown, done.stderr
    assert ("a flow run warning" in done.stderr) is shown, done.stderr
