"""The background services a Q2O_HOME may run, one row each: how to start one, where it answers, where it is
healthy. ``services.processes`` starts, finds and stops them; a new service is one more row of ``SERVICES``.

Placeholders in a row: ``{python}`` (this interpreter), ``{host}`` (where it listens, ``Q2O_SERVER_HOST``),
``{address}`` (where a client on this machine reaches it: ``{host}``, or 127.0.0.1 for a wildcard host) and
``{port}`` (the row's port, or a free one when that is taken).
"""

from __future__ import annotations

import signal
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from settings import DEFAULT_REPORTS_PORT

RUNS_PORT = 4281  # the run host's port (a free one when taken; its state file records the one it got)

# Prefect server settings for every server this house starts: the shared one (the row below) and the embedded
# one (``flows/__init__.py`` sets them where the environment has no value). Its task-run recorder otherwise
# writes every task-run event in a transaction of its own; on SQLite those writes collide with the next flow
# run's API writes, the server answers 503 "database is locked" and Prefect's client waits a fixed 2 s.
# Measured with ``bench/overhead.py`` (12 runs each): with batches, 0 stalled runs instead of 15 of 36. Task runs
# reach the database (and the UI) within the recorder's flush interval (5 s) instead of at once.
PREFECT_SERVER_DEFAULTS: Mapping[str, str] = {
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "200",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "200",
    # A first start on a fresh PREFECT_HOME migrates the server's SQLite: ~20 s on a 2-core machine, Prefect's
    # own limit for the embedded server; past it the command failed with "Timed out while attempting to connect
    # to ephemeral ...".
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    # Anonymous usage telemetry: needs network this service may not have, and writes to the same SQLite file.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}


@dataclass(frozen=True)
class Service:
    """One background service: its command line, the URL clients use, its health URL and its environment."""

    name: str
    argv: tuple[str, ...]
    url: str
    health: str
    ui: str | None = None
    port: int | None = None  # None: Q2O_SERVER_PORT
    host: str | None = None  # None: Q2O_SERVER_HOST
    env: Mapping[str, str] = field(default_factory=dict)  # set in its environment where that has no value
    start_timeout_s: float = 120.0  # a first Prefect start migrates its SQLite (~20 s alone, more under load)
    # Its environment keeps the caller's secrets (the run host calls providers; the other rows need no key).
    keeps_secrets: bool = False
    # Where it runs: Q2O_HOME, or the starting caller's working folder (whose .env and prefect.toml it reads,
    # as the caller does).
    cwd: Literal["home", "caller"] = "home"
    # Started when a caller first needs it; not running is no fault of ``q2o server status``.
    on_demand: bool = False
    # How ``q2o server stop`` asks it to stop, and how long it waits before SIGKILL.
    stop_signal: signal.Signals = signal.SIGTERM
    stop_timeout_s: float = 20.0


SERVICES: tuple[Service, ...] = (
    Service(
        name="prefect",
        argv=("{python}", "-m", "prefect", "server", "start", "--host", "{host}", "--port", "{port}"),
        url="http://{address}:{port}/api",
        health="http://{address}:{port}/api/health",
        ui="http://{address}:{port}",
        # The UI asks the API at PREFECT_SERVER_UI_API_URL, which Prefect otherwise builds from its own port
        # setting (4200), not from --port: a server on another port would show a UI that cannot load.
        env={**PREFECT_SERVER_DEFAULTS, "PREFECT_SERVER_UI_API_URL": "http://{address}:{port}/api"},
    ),
    # The report endpoint the artifacts' links reach (Q2O_REPORTS_URL's default), started beside the server.
    Service(
        name="reports",
        # -P: no working folder on sys.path (a Q2O_HOME holds a services/ folder that would shadow the package)
        argv=("{python}", "-P", "-m", "cli", "reports", "serve", "--host", "{host}", "--port", "{port}"),
        url="http://{address}:{port}/reports/",
        health="http://{address}:{port}/healthz",
        port=DEFAULT_REPORTS_PORT,
        start_timeout_s=60.0,
    ),
    # The run host: one warm process that runs ``q2o generate``'s flows for every caller of this Q2O_HOME whose
    # environment is its own (``services.fingerprint``), so a CLI call does not import Prefect and the whole
    # service first (~3 CPU-s). It calls providers with the keys it was started with, so it listens on the
    # loopback only, whatever Q2O_SERVER_HOST says.
    Service(
        name="runs",
        argv=("{python}", "-P", "-m", "cli", "host", "serve", "--port", "{port}"),
        url="http://127.0.0.1:{port}",
        health="http://127.0.0.1:{port}/healthz",
        port=RUNS_PORT,
        start_timeout_s=60.0,
        keeps_secrets=True,
        cwd="caller",
        host="127.0.0.1",
        on_demand=True,
        # SIGINT: uvicorn stops listening and lets the runs in flight end. SIGTERM would reach them as Prefect's
        # TerminationSignal (the engine's handler while a flow runs): crashed runs and a 500 for their callers.
        stop_signal=signal.SIGINT,
        stop_timeout_s=120.0,
    ),
)


def service_named(name: str) -> Service:
    """The row of that name; ``KeyError`` names the known ones."""
    for service in SERVICES:
        if service.name == name:
            return service
    raise KeyError(f"no service {name!r}; known: {', '.join(s.name for s in SERVICES)}")
