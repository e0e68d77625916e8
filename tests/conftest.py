"""Shared fixtures: one Prefect test server per session, a clean Q2O environment per test."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from providers.registry import PROVIDERS
from simulator import ProviderSim
from tests.dbfixtures import fresh_postgres_url

# Prefect keeps its own state (and the test server's SQLite) under PREFECT_HOME: never the user's.
_PREFECT_HOME = tempfile.mkdtemp(prefix="q2o-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.pop("PREFECT_API_URL", None)
# The test server's telemetry write raced its own startup ("database is locked") on 2 cores.
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"

# Every provider's key variables (the Q2O_ ones go with the prefix): no test sees the user's keys.
PROVIDER_ENV = tuple(name for spec in PROVIDERS for name in spec.key_variables)


@pytest.fixture(scope="session")
def prefect_server():
    """One Prefect test server for every test that runs a flow."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(autouse=True)
def q2o_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own Q2O_HOME and database, no real keys and no stray .env."""
    for name in list(os.environ):
        if name.startswith("Q2O_") or name in PROVIDER_ENV:
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "q2o-home"
    monkeypatch.setenv("Q2O_HOME", str(home))
    # Flows run on the session's test server (or a process's own): no test leaves a shared server running.
    monkeypatch.setenv("Q2O_SERVER", "embedded")
    monkeypatch.chdir(tmp_path)
    return home


# One fake key a provider, long enough for the redaction checks, set in its first key variable.
FAKE_KEYS = {spec.name: f"FAKE-q2o-test-key-0123456789abcdef-{spec.name}" for spec in PROVIDERS}


@pytest.fixture(scope="session")
def sim_server() -> Iterator[ProviderSim]:
    with ProviderSim() as server:
        yield server


@pytest.fixture
def sim(sim_server: ProviderSim, monkeypatch: pytest.MonkeyPatch) -> Iterator[ProviderSim]:
    """A reset simulator, with every provider's key and base URL aimed at it and a fast backoff."""
    sim_server.reset()
    for spec in PROVIDERS:
        monkeypatch.setenv(spec.key_variables[0], FAKE_KEYS[spec.name])
        monkeypatch.setenv(spec.base_url_variable, sim_server.base_url(spec.name))
    monkeypatch.setenv("Q2O_BACKOFF_SECONDS", "0.05")
    monkeypatch.setenv("Q2O_TIMEOUT_SECONDS", "5")
    yield sim_server
    sim_server.reset()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for the session (``tests.dbfixtures``, the one way tests get one);
    skips when no server answers on 127.0.0.1:5432."""
    with fresh_postgres_url() as url:
        yield url


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, q2o_env, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test on SQLite under Q2O_HOME, and again on PostgreSQL when one answers."""
    if request.param == "sqlite":
        return f"sqlite:///{q2o_env / 'q2o.db'}"
    url = request.getfixturevalue("postgres_url")
    monkeypatch.setenv("Q2O_DATABASE_URL", url)
    from sqlalchemy import text

    from storage import open_database

    with open_database(url).engine.begin() as conn:  # each test starts from an empty ledger and library
        conn.execute(
            text(
                "TRUNCATE calls, template_keys, templates, template_uses, result_cache, "
                "budget_reservations, budget_alerts, budget_settings, month_closes, provider_circuits, requests, "
                "prompt_layers, reports"
            )
        )
    return url


def free_port() -> int:
    """A TCP port nothing listens on (yet)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives: (controller, inbox)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self) -> None:
            super().__init__()
            self.messages = []

        def handle_message(self, message) -> None:
            self.messages.append(message)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
async def stored_config(prefect_server):
    """No test sees another's stored overrides or Secret blocks (the Prefect test server lives for the session)."""
    from prefect.blocks.system import Secret
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    from tasks.config import VARIABLES, secret_block_name

    async def clear() -> None:
        async with get_client() as client:
            for name in VARIABLES.values():
                if await client.read_variable_by_name(name) is not None:
                    await client.delete_variable_by_name(name)
        for spec in PROVIDERS:
            try:
                await Secret.adelete(secret_block_name(spec.name))
            except (ObjectNotFound, ValueError):  # not there
                pass

    await clear()
    yield
    await clear()
