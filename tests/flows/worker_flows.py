"""Flows that only the in-process worker's tests deploy (entrypoints in this checkout, not in prefect.yaml)."""

from __future__ import annotations

import asyncio

from prefect import flow
from prefect.settings import get_current_settings


@flow(name="worker-test-sleep")
async def sleep_for(seconds: float) -> None:
    await asyncio.sleep(seconds)


@flow(name="worker-test-exit")
async def exit_hard() -> None:
    raise SystemExit(3)  # a BaseException: the engine records a crash


@flow(name="worker-test-setting", persist_result=True, result_serializer="json")
async def persist_setting() -> bool | None:
    return get_current_settings().tasks.default_persist_result
