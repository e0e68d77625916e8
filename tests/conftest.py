"""Shared fixtures: one Prefect test server per session, a clean Q2O environment per test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Prefect keeps its own state (and the test server's SQLite) under PREFECT_HOME: never the user's.
_PREFECT_HOME = tempfile.mkdtemp(prefix="q2o-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.pop("PREFECT_API_URL", None)

PROVIDER_ENV = (
    "GEMINI_API_KEY", "GOOGLE_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
    "Q2O_GEMINI_BASE_URL", "Q2O_OPENAI_BASE_URL", "Q2O_ANTHROPIC_BASE_URL",
)


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
    monkeypatch.chdir(tmp_path)
    return home
