"""The in-process worker (``flows/inprocess_worker.py``) against the session's Prefect test server: deployments of
this checkout run in the test's own process, a failing or crashing run ends alone and the worker serves the next,
a cancel ends a running run Cancelled, and what it cannot run in-process is refused with the reason."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_WORKER_QUERY_SECONDS, temporary_settings
from prefect.states import Cancelling

from contracts import CodeResult
from flows.inprocess_worker import WORKER_TYPE, InProcessWorker, ensure_process_pool
from flows.worker_plan import CHECKOUT

pytestmark = pytest.mark.usefixtures("prefect_server")
POOL = "q2o-test-inprocess"
TEMPLATE_HIT = {"task": "CRUD API for Customer records", "stack": ["python", "fastapi"]}


@pytest.fixture(autouse=True)
def _starters_seeded_anew():
    import learning.library

    learning.library._seeded.clear()


@pytest.fixture
async def worker() -> AsyncIterator[InProcessWorker]:
    with temporary_settings(updates={PREFECT_WORKER_QUERY_SECONDS: 0.5}):
        await ensure_process_pool(POOL)
        served = InProcessWorker(work_pool_name=POOL, limit=4, create_pool_if_not_found=False)
        running = asyncio.ensure_future(served.start(printer=lambda _: None))
    yield served
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)


async def _deploy(flow_name: str, entrypoint: str, directory: Path = CHECKOUT, env: dict | None = None) -> UUID:
    async with get_client() as client:
        flow_id = await client.create_flow_from_name(flow_name)
        return await client.create_deployment(
            flow_id=flow_id,
            name=f"test-{entrypoint.rsplit(':', 1)[1]}-{abs(hash((str(directory), str(env)))) % 10_000}",
            entrypoint=entrypoint,
            work_pool_name=POOL,
            pull_steps=[{"prefect.deployments.steps.set_working_directory": {"directory": str(directory)}}],
            job_variables={"env": env or {}},
        )


async def _run(deployment_id: UUID, parameters: dict[str, Any] | None = None) -> FlowRun:
    flow_run = await run_deployment(deployment_id, parameters=parameters or {}, timeout=120, poll_interval=0.2)
    assert flow_run.state is not None and flow_run.state.is_final(), flow_run.state
    return flow_run


async def _generate_code() -> UUID:
    return await _deploy("generate-code", "flows/deployments.py:generate_code")


async def test_a_deployment_run_completes_with_its_code_result(worker, database):
    flow_run = await _run(await _generate_code(), {"request": TEMPLATE_HIT})
    assert flow_run.state.is_completed(), flow_run.state
    result = CodeResult.model_validate(await flow_run.state.aresult())
    assert result.status == "succeeded" and result.source == "template"
    assert flow_run.labels.get("prefect.worker.type") == WORKER_TYPE  # run here, not by some other worker


async def test_a_failing_run_ends_failed_and_the_worker_serves_the_next(worker, database):
    deployment = await _generate_code()
    failing = await _run(deployment, {"request": {"stack": ["python"]}})  # no task: the request is invalid
    assert failing.state.type == StateType.FAILED, failing.state
    assert (await _run(deployment, {"request": TEMPLATE_HIT})).state.is_completed()


async def test_a_run_that_exits_crashes_alone(worker, database):
    crashed = await _run(await _deploy("worker-test-exit", "tests/flows/worker_flows.py:exit_hard"))
    assert crashed.state.type == StateType.CRASHED, crashed.state
    assert (await _run(await _generate_code(), {"request": TEMPLATE_HIT})).state.is_completed()


async def test_runs_at_once_all_complete(worker):
    deployment = await _deploy("worker-test-sleep", "tests/flows/worker_flows.py:sleep_for")
    runs = await asyncio.gather(*(_run(deployment, {"seconds": 1}) for _ in range(3)))
    assert [r.state.type for r in runs] == [StateType.COMPLETED] * 3


async def test_a_cancelled_run_ends_cancelled(worker):
    deployment = await _deploy("worker-test-sleep", "tests/flows/worker_flows.py:sleep_for")
    flow_run = await run_deployment(deployment, parameters={"seconds": 120}, timeout=0)
    async with get_client() as client:
        await _wait_for(client, flow_run.id, StateType.RUNNING)
        await client.set_flow_run_state(flow_run.id, Cancelling(), force=True)
        assert (await _wait_for(client, flow_run.id, StateType.CANCELLED)).state.type == StateType.CANCELLED


async def test_the_job_env_sets_the_runs_prefect_settings(worker):
    deployment = await _deploy(
        "worker-test-setting",
        "tests/flows/worker_flows.py:persist_setting",
        env={"PREFECT_TASKS_DEFAULT_PERSIST_RESULT": "false"},
    )
    flow_run = await _run(deployment)
    assert flow_run.state.is_completed() and await flow_run.state.aresult() is False


@pytest.mark.parametrize(
    ("directory", "env", "reason"),
    [
        (Path("/nonexistent/other-checkout"), None, "is not in this worker's checkout"),
        (CHECKOUT, {"Q2O_PROVIDER_ORDER": "someone-elses"}, "Q2O_PROVIDER_ORDER differs"),
    ],
)
async def test_what_cannot_run_in_process_crashes_with_the_reason(worker, directory, env, reason):
    flow_run = await _run(await _deploy("generate-code", "flows/deployments.py:generate_code", directory, env))
    assert flow_run.state.type == StateType.CRASHED and reason in (flow_run.state.message or ""), flow_run.state


async def _wait_for(client, flow_run_id: UUID, state: StateType) -> FlowRun:
    for _ in range(300):  # a deadline for a broken worker, not a timing claim
        flow_run = await client.read_flow_run(flow_run_id)
        if flow_run.state and flow_run.state.type == state:
            return flow_run
        await asyncio.sleep(0.2)
    return flow_run
