"""The provider simulator for the providers' tests: one server per session, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sim import ProviderSim


@pytest.fixture(scope="session")
def sim_server() -> Iterator[ProviderSim]:
    with ProviderSim() as server:
        yield server


@pytest.fixture
def sim(sim_server: ProviderSim) -> Iterator[ProviderSim]:
    sim_server.reset()
    yield sim_server
    sim_server.reset()
