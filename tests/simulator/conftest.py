"""The simulator's own tests use the session's simulator, reset, without the keys and base URLs flow tests set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator import ProviderSim


@pytest.fixture
def sim(sim_server: ProviderSim) -> Iterator[ProviderSim]:
    sim_server.reset()
    yield sim_server
    sim_server.reset()
