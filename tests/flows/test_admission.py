"""Run slots: how many generate-code runs one process keeps in flight, and that the rest wait their turn."""

from __future__ import annotations

import asyncio

import pytest
from prefect.settings import PREFECT_SERVER_DATABASE_CONNECTION_URL, temporary_settings

from contracts import CodeRequest
from flows.admission import SQLITE_SERVER_RUNS, admitted, run_limit
from flows.generate_code import run_request
from settings import ConfigError, load_settings


def test_default_limit_follows_prefects_server_database(monkeypatch):
    assert run_limit(load_settings()) == SQLITE_SERVER_RUNS  # Prefect's default server database: SQLite
    with temporary_settings({PREFECT_SERVER_DATABASE_CONNECTION_URL: "postgresql+asyncpg://u@127.0.0.1/prefect"}):
        assert run_limit(load_settings()) is None
    with temporary_settings({PREFECT_SERVER_DATABASE_CONNECTION_URL: "sqlite+aiosqlite:////tmp/prefect.db"}):
        assert run_limit(load_settings()) == SQLITE_SERVER_RUNS


def test_the_setting_wins(monkeypatch):
    monkeypatch.setenv("Q2O_MAX_CONCURRENT_RUNS", "5")
    assert run_limit(load_settings()) == 5
    monkeypatch.setenv("Q2O_MAX_CONCURRENT_RUNS", "0")
    assert run_limit(load_settings()) is None
    monkeypatch.setenv("Q2O_MAX_CONCURRENT_RUNS", "-1")
    with pytest.raises(ConfigError, match="Q2O_MAX_CONCURRENT_RUNS"):
        load_settings()


async def _most_at_once(settings_env: str | None, monkeypatch, blocks: int = 6) -> int:
    if settings_env is not None:
        monkeypatch.setenv("Q2O_MAX_CONCURRENT_RUNS", settings_env)
    inside = most = 0

    async def block() -> None:
        nonlocal inside, most
        async with admitted(load_settings()):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.02)
            inside -= 1

    await asyncio.gather(*(block() for _ in range(blocks)))
    return most


async def test_slots_bound_the_blocks_in_flight(monkeypatch):
    assert await _most_at_once("3", monkeypatch) == 3
    assert await _most_at_once("1", monkeypatch) == 1
    assert await _most_at_once("0", monkeypatch) == 6  # no limit: all at once


@pytest.mark.usefixtures("prefect_server")
async def test_requests_asked_together_all_succeed_in_turn(sim, database, monkeypatch):
    monkeypatch.setenv("Q2O_MAX_CONCURRENT_RUNS", "2")
    stacks = [["python", f"together{i}"] for i in range(4)]
    results = await asyncio.gather(
        *(run_request(CodeRequest(task="Script to print a Greeting", stack=stack)) for stack in stacks)
    )
    assert [(r.status, r.source) for r in results] == [("succeeded", "llm")] * 4
    assert len({r.request_id for r in results}) == 4
