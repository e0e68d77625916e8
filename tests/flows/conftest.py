"""Fixtures for flow tests: the provider simulator, keys aimed at it, and a database (SQLite or PostgreSQL)."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator

import pytest

from tests.sim import ProviderSim

FAKE_KEYS = {
    "gemini": "AIzaFAKE-q2o-test-gemini-key-0123456789abcdef",
    "openai": "sk-FAKE-q2o-test-openai-key-0123456789abcdef",
    "anthropic": "sk-ant-FAKE-q2o-test-anthropic-key-0123456789",
}
KEY_ENV = {"gemini": "GEMINI_API_KEY", "openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}


@pytest.fixture(scope="session")
def sim_server() -> Iterator[ProviderSim]:
    with ProviderSim() as server:
        yield server


@pytest.fixture
def sim(sim_server: ProviderSim, monkeypatch: pytest.MonkeyPatch) -> Iterator[ProviderSim]:
    """A reset simulator, with every provider's key and base URL aimed at it and a fast backoff."""
    sim_server.reset()
    for provider, key in FAKE_KEYS.items():
        monkeypatch.setenv(KEY_ENV[provider], key)
        monkeypatch.setenv(f"Q2O_{provider.upper()}_BASE_URL", sim_server.base_url(provider))
    monkeypatch.setenv("Q2O_BACKOFF_SECONDS", "0.05")
    monkeypatch.setenv("Q2O_TIMEOUT_SECONDS", "5")
    yield sim_server
    sim_server.reset()


def _postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for the session; skips when no server answers on 127.0.0.1:5432."""
    if not _postgres_up():
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432")
    import psycopg

    name = f"q2o_test_{uuid.uuid4().hex[:10]}"
    admin = "postgresql://root@127.0.0.1:5432/test"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        pytest.skip(f"cannot create a PostgreSQL test database: {exc}")
    yield f"postgresql://root@127.0.0.1:5432/{name}"
    from storage.db import _open

    for url, db in list(_open.items()):
        if name in url:
            db.engine.dispose()
            _open.pop(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, q2o_env, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test on SQLite under Q2O_HOME, and again on PostgreSQL when one answers."""
    if request.param == "sqlite":
        return f"sqlite:///{q2o_env / 'q2o.db'}"
    url = request.getfixturevalue("postgres_url")
    monkeypatch.setenv("Q2O_DATABASE_URL", url)
    from sqlalchemy import text

    from storage import open_database

    with open_database(url).engine.begin() as conn:  # each test starts from an empty ledger and library
        conn.execute(text("TRUNCATE calls, template_keys, templates"))
    return url
