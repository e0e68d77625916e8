"""What the shared-server tests share: one PREFECT_HOME for their servers (one at a time, so only the first start
migrates its SQLite), and stopping every service of a Q2O_HOME, checking that none is left running."""

from __future__ import annotations

import tempfile
from pathlib import Path

from services import SERVICES, stop
from services.processes import pid_runs, read_state
from settings import load_settings

SHARED_PREFECT_HOME = tempfile.mkdtemp(prefix="q2o-shared-prefect-")


def stop_everything(home: Path) -> None:
    settings = load_settings(home=home)
    for service in reversed(SERVICES):  # as `q2o server stop`: the run host first, its runs need the Prefect server
        state = read_state(settings, service)
        stop(settings, service)
        if state is not None:  # stopped means gone: no test leaves a server behind
            assert not pid_runs(state.pid), f"pid {state.pid} still runs"
