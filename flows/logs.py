"""``q2o.*`` log records reach the Prefect run they happen in, as Prefect's own run logs do.

One handler for the process, on the ``q2o`` logger: a record logged inside a flow or task run is sent to that
run's logs through Prefect's API log handler; outside a run (a CLI command that runs no flow) it is not sent,
and Prefect does not warn about it. The terminal is the console handler's business (``cli.console``).
"""

from __future__ import annotations

import logging

from prefect.context import FlowRunContext, TaskRunContext
from prefect.logging.handlers import APILogHandler


class RunLogHandler(APILogHandler):
    """Prefect's API log handler, for records made inside a run only."""

    def emit(self, record: logging.LogRecord) -> None:
        if FlowRunContext.get() is None and TaskRunContext.get() is None:
            return
        super().emit(record)


def forward_q2o_logs() -> None:
    """Install the handler once; ``q2o`` logs from INFO up (unless a level was set for it already)."""
    logger = logging.getLogger("q2o")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    if not any(isinstance(h, RunLogHandler) for h in logger.handlers):
        logger.addHandler(RunLogHandler())
