"""``q2o worker start``: its usage errors (the worker itself: tests/flows/test_inprocess_worker.py)."""

from __future__ import annotations

from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def test_a_worker_needs_a_prefect_server():
    done = runner.invoke(app, ["worker", "start", "--pool", "q2o-process"])  # Q2O_SERVER=embedded in tests
    assert done.exit_code == 2
    assert "a worker needs a Prefect server" in done.output


def test_the_pool_is_required_and_the_interval_positive():
    assert runner.invoke(app, ["worker", "start"]).exit_code == 2
    assert runner.invoke(app, ["worker", "start", "--pool", "p", "--query-seconds", "0"]).exit_code == 2
