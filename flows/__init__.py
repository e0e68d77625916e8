"""Prefect flows: the only place that composes tasks.

No module here may share a name with a top-level package (``budget``, ``storage``, ...): a worker loads a
deployment's entrypoint as a script with this folder first on ``sys.path``, so ``flows/budget.py`` would
hide the ``budget`` package from every import (hence ``close_month.py``; a test checks the names).

Importing this package sets defaults (only where the environment has no value) for the Prefect server this
process may start itself, the embedded one of the quick start. Its task-run recorder otherwise writes every
task-run event in a transaction of its own; on SQLite those writes collide with the next flow run's API
writes, the server answers 503 "database is locked" and Prefect's client waits a fixed 2 s. Measured with
``bench/overhead.py`` (12 runs each): with batches, 0 stalled runs instead of 15 of 36. Task runs reach the
database (and the UI) within the recorder's flush interval (5 s) instead of at once.
A dedicated ``prefect server start`` reads the same variables from its own environment (see docs/deployment.md).
"""

from __future__ import annotations

import os

EMBEDDED_SERVER_DEFAULTS = {
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "200",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "200",
    # A first start on a fresh PREFECT_HOME migrates the server's SQLite: ~20 s on a 2-core machine, Prefect's
    # own limit; past it the command failed with "Timed out while attempting to connect to ephemeral ...".
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    # Anonymous usage telemetry: needs network this service may not have, and writes to the same SQLite file.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}

for _name, _value in EMBEDDED_SERVER_DEFAULTS.items():
    os.environ.setdefault(_name, _value)
