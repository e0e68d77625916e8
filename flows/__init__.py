"""Prefect flows: the only place that composes tasks.

No module here may share a name with a top-level package (``budget``, ``storage``, ...): a worker loads a
deployment's entrypoint as a script with this folder first on ``sys.path``, so ``flows/budget.py`` would
hide the ``budget`` package from every import (hence ``close_month.py``; a test checks the names).

Importing this package sets, only where the environment has no value, the Prefect server settings every server
of this house gets (``services.catalog.PREFECT_SERVER_DEFAULTS``, which says why), for the embedded server this
process starts itself with ``Q2O_SERVER=embedded``. The shared server gets them from ``services``, and a
dedicated ``prefect server start`` reads the same variables from its own environment (see docs/deployment.md).
"""

from __future__ import annotations

import os

from services.catalog import PREFECT_SERVER_DEFAULTS

EMBEDDED_SERVER_DEFAULTS = dict(PREFECT_SERVER_DEFAULTS)

for _name, _value in EMBEDDED_SERVER_DEFAULTS.items():
    os.environ.setdefault(_name, _value)
