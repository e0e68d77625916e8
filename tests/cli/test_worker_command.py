"""``q2o worker start``: its usage errors (the worker itself: tests/flows/test_inprocess_worker.py)."""

from __future__ import annotations

import asyncio

import pytest
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


@pytest.mark.usefixtures("prefect_server")
def test_a_pool_of_another_type_is_refused_before_it_says_serving(monkeypatch):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate

    async def make_pool() -> None:
        async with get_client() as client:
            await client.create_work_pool(WorkPoolCreate(name="q2o-docker-pool", type="docker"), overwrite=True)

    asyncio.run(make_pool())
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))  # the test server's, as a user sets it
    monkeypatch.setenv("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")  # restored after show_prefect_logs
    done = runner.invoke(app, ["worker", "start", "--pool", "q2o-docker-pool"])
    assert done.exit_code == 2, done.output
    assert done.stderr.strip() == (
        "error: work pool 'q2o-docker-pool' is a 'docker' pool; the in-process worker serves process pools"
    )
    assert "serving" not in done.output


def test_the_default_limit_follows_the_setting_then_the_servers_database(monkeypatch):
    from cli.worker import default_limit
    from settings import load_settings

    assert default_limit(load_settings(), own_server=True) == 1  # this home's server on SQLite: one at a time
    assert default_limit(load_settings(), own_server=False) is None  # a server of the user's: its database unseen
    import flows.admission

    # Prefect reads its settings once, at import: the server's database as PostgreSQL would report it
    monkeypatch.setattr(flows.admission, "server_database_is_postgres", lambda: True)
    assert default_limit(load_settings(), own_server=True) is None  # PostgreSQL takes writers together
    monkeypatch.setenv("Q2O_MAX_CONCURRENT_RUNS", "3")
    assert default_limit(load_settings(), own_server=False) == 3
    monkeypatch.setenv("Q2O_MAX_CONCURRENT_RUNS", "0")
    assert default_limit(load_settings(), own_server=True) is None
