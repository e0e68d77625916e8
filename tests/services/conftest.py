"""Shared-server tests start real ``prefect server start`` processes; every fixture here stops what it started."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services.servers import SHARED_PREFECT_HOME, stop_everything


@pytest.fixture
def shared_home(q2o_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A Q2O_HOME in shared mode; afterwards every service it ran is stopped."""
    monkeypatch.setenv("Q2O_SERVER", "shared")
    monkeypatch.setenv("PREFECT_HOME", SHARED_PREFECT_HOME)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("Q2O_SERVER_PORT", "4390")  # not 4200: a developer's own shared server may hold it
    yield q2o_env
    stop_everything(q2o_env)
