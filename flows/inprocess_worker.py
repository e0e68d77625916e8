"""A warm worker: the flow runs of a work pool run inside this process, each in a thread with its own event loop,
instead of a fresh Python per run as Prefect's process worker does (~3 s of imports a run on these machines).

It serves the same ``process`` pool as ``prefect worker start`` (Prefect does not match a worker's type to its
pool's; the job template is the process one). A crash in one run marks that run Crashed and the worker goes on;
a cancel from the UI cancels the run's task. What differs from the process worker: docs/deployment.md.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import anyio
import anyio.abc
from prefect import Flow
from prefect._internal.observers import FlowRunCancellingObserver
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.filters import WorkPoolFilter, WorkPoolFilterName
from prefect.client.schemas.objects import FlowRun
from prefect.events.filters import EventAnyResourceFilter, EventFilter, EventNameFilter
from prefect.exceptions import InfrastructureNotFound, ObjectNotFound
from prefect.flow_engine import run_flow
from prefect.settings import PREFECT_WORKER_QUERY_SECONDS, temporary_settings
from prefect.settings.legacy import Setting
from prefect.states import Cancelled, Crashed, State
from prefect.workers.base import BaseJobConfiguration, BaseWorker, BaseWorkerResult
from prefect.workers.process import ProcessVariables, ProcessWorker
from pydantic import Field, PrivateAttr

from flows.worker_plan import RunPlan, RunRefused, plan_run
from settings import UsageError

WORKER_TYPE = "q2o-inprocess"
STOP_GRACE_SECONDS = 30  # a stopping worker waits this long for its cancelled runs to record their state


class InProcessJobConfiguration(BaseJobConfiguration):
    """The process pool's job template, read the same way; only ``env`` and ``working_dir`` matter here."""

    working_dir: Path | None = Field(default=None)
    stream_output: bool = Field(default=True)  # the process template has it; runs log through Prefect here
    _job_env: dict[str, str | None] = PrivateAttr(default_factory=dict)

    def prepare_for_flow_run(self, flow_run: Any, *args: Any, **kwargs: Any) -> None:
        # The job variables' env as the deployment and run set it, before Prefect adds the worker's own settings
        # and per-run ids (meant for a child process).
        self._job_env = dict(self.env)
        super().prepare_for_flow_run(flow_run, *args, **kwargs)

    @property
    def job_env(self) -> dict[str, str | None]:
        return self._job_env


class InProcessWorkerResult(BaseWorkerResult):
    """How a run in this process ended (status 0: its state is the engine's to record)."""


class RunningFlow:
    """One flow run on its thread: the loop and task to cancel, and the outcome handed back to the worker."""

    def __init__(self, flow_run_id: UUID) -> None:
        self.flow_run_id = flow_run_id
        self.cancel_requested = False
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None

    def bind(self) -> None:
        """Called on the run's thread, in its task: from now on ``cancel`` reaches it."""
        with self._lock:
            self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
            if self.cancel_requested:
                self._task.cancel()  # type: ignore[union-attr]

    def cancel(self) -> None:
        """Cancel the run's task from any thread (before it started: as soon as it starts)."""
        with self._lock:
            self.cancel_requested = True
            if self._loop is not None and self._task is not None:
                self._loop.call_soon_threadsafe(self._task.cancel)


class InProcessWorker(BaseWorker[InProcessJobConfiguration, ProcessVariables, InProcessWorkerResult]):
    type = WORKER_TYPE
    job_configuration = InProcessJobConfiguration
    job_configuration_variables = ProcessVariables
    _description = "Runs flow runs of a process pool inside the worker's own, already imported, Python process."
    _display_name = "Q2O in-process"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._running: dict[UUID, RunningFlow] = {}
        self._run_cancels: FlowRunCancellingObserver | None = None
        self._observer_lock = anyio.Lock()

    async def setup(self) -> None:
        logger = self._logger.logger if isinstance(self._logger, logging.LoggerAdapter) else self._logger
        logger.addFilter(_serves_process_pools)
        await super().setup()
        await self._preload_flows()

    async def run(
        self,
        flow_run: FlowRun,
        configuration: InProcessJobConfiguration,
        task_status: anyio.abc.TaskStatus[int] | None = None,
    ) -> InProcessWorkerResult:
        """Load the run's flow (an exception here is reported by the base worker as a failed submission: Crashed),
        then run it on a thread of its own until it ends; a stopping worker cancels it."""
        task_status = task_status or anyio.TASK_STATUS_IGNORED
        plan = await self._plan(flow_run, configuration)
        flow = await anyio.to_thread.run_sync(plan.load_flow)
        await self._watch_cancellations()
        current = await self.client.read_flow_run(flow_run.id)  # its state now (Pending), as the engine expects
        running = RunningFlow(flow_run.id)
        self._running[flow_run.id] = running
        if self._run_cancels is not None:
            self._run_cancels.add_in_flight_flow_run_id(flow_run.id)
        try:
            task_status.started(os.getpid())
            outcome = await self._run_on_thread(running, flow, current, plan.settings)
        finally:
            self._running.pop(flow_run.id, None)
            if self._run_cancels is not None:
                self._run_cancels.remove_in_flight_flow_run_id(flow_run.id)
        await self._settle(flow_run, running, outcome)
        return InProcessWorkerResult(status_code=0, identifier=f"{os.getpid()}:{flow_run.id}")

    async def kill_infrastructure(
        self, infrastructure_pid: str, configuration: InProcessJobConfiguration, grace_seconds: int = 30
    ) -> None:
        """The base worker's cancel of a run that has not started yet: cancel it here, never kill the pid (ours)."""
        running = self._running.get(UUID(configuration.labels.get("prefect.io/flow-run-id", str(UUID(int=0)))))
        if running is None:
            raise InfrastructureNotFound("the flow run does not run in this worker")
        running.cancel()

    async def _plan(self, flow_run: FlowRun, configuration: InProcessJobConfiguration) -> RunPlan:
        if flow_run.deployment_id is None:
            raise RunRefused("an in-process worker runs deployments only")
        deployment = await self.client.read_deployment(flow_run.deployment_id)
        return plan_run(deployment, configuration.job_env, configuration.working_dir)

    async def _run_on_thread(
        self, running: RunningFlow, flow: Flow[..., Any], flow_run: FlowRun, settings: dict[Setting, str]
    ) -> State | BaseException | None:
        """Run the flow on a new thread (the worker's context copied: its Prefect settings and API) and wait; if
        the worker is stopping, cancel the run and give it ``STOP_GRACE_SECONDS`` to record how it ended."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[State | BaseException | None] = loop.create_future()
        context = contextvars.copy_context()

        def finish(outcome: State | BaseException | None) -> None:
            if not done.done():
                done.set_result(outcome)

        def thread_main() -> None:
            try:
                outcome: State | BaseException | None = _execute(running, flow, flow_run, settings)
            except BaseException as exc:  # noqa: BLE001 - a run's crash is its own, never the worker's
                outcome = exc
            try:
                loop.call_soon_threadsafe(finish, outcome)
            except RuntimeError:  # the worker's loop is closed: nobody waits any more
                pass

        threading.Thread(target=context.run, args=(thread_main,), name=f"flow-run {flow_run.id}", daemon=True).start()
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            running.cancel()
            with anyio.CancelScope(shield=True), anyio.move_on_after(STOP_GRACE_SECONDS):
                await done
            raise

    async def _settle(self, flow_run: FlowRun, running: RunningFlow, outcome: State | BaseException | None) -> None:
        """A cancelled run ends Cancelled (the engine saw a task cancelled, i.e. a crash); a run whose engine raised
        before it recorded an end is marked Crashed; otherwise the engine's final state stands."""
        state = (await self.client.read_flow_run(flow_run.id)).state
        if running.cancel_requested and not (state and state.is_cancelled()):
            await self.client.set_flow_run_state(flow_run.id, Cancelled(message="Cancelled in the worker."), force=True)
            self.get_flow_run_logger(flow_run).info("Cancelled flow run '%s' in-process", flow_run.id)
        elif isinstance(outcome, BaseException) and not (state and state.is_final()):
            message = f"The flow run raised in the in-process worker: {type(outcome).__name__}: {outcome}"
            await self.client.set_flow_run_state(flow_run.id, Crashed(message=message))

    async def _watch_cancellations(self) -> None:
        """Cancels of running runs, as the process worker watches its children (the base worker's own watch,
        ``PREFECT_WORKER_ENABLE_CANCELLATION``, is for runs not started yet): one observer a worker, started with
        its first run, on the events stream with a poll every 10 s while the stream is down."""
        async with self._observer_lock:
            if self._run_cancels is not None:
                return
            self._run_cancels = await self._exit_stack.enter_async_context(
                FlowRunCancellingObserver(
                    on_cancelling=self._cancel_running,
                    event_filter=EventFilter(
                        event=EventNameFilter(name=["prefect.flow-run.Cancelling"]),
                        any_resource=EventAnyResourceFilter(id=[f"prefect.work-pool.{self.work_pool.id}"]),
                    ),
                )
            )

    def _cancel_running(self, flow_run_id: UUID) -> None:
        if running := self._running.get(flow_run_id):
            running.cancel()

    async def _preload_flows(self) -> None:
        """Import the flows of the pool's deployments now, so that no run pays for it (best effort)."""
        pool = WorkPoolFilter(name=WorkPoolFilterName(any_=[self._work_pool_name]))
        try:
            deployments = await self.client.read_deployments(work_pool_filter=pool)
        except Exception as exc:  # noqa: BLE001 - the first run of each flow then pays for its import
            self._logger.warning("could not list the pool's deployments: %s", exc)
            return
        for deployment in deployments:
            try:
                await anyio.to_thread.run_sync(plan_run(deployment, {}, None).load_flow)
            except Exception as exc:  # noqa: BLE001 - a flow that does not load fails its own runs, with the reason
                self._logger.warning("could not preload %s: %s", deployment.entrypoint, exc)


def _serves_process_pools(record: logging.LogRecord) -> bool:
    """Drop the base worker's warning that a process pool is not of this worker's type: serving one is the point."""
    return not record.getMessage().startswith("Worker type mismatch!") or "received 'process'" not in record.msg


def _execute(running: RunningFlow, flow: Flow[..., Any], flow_run: FlowRun, settings: dict[Setting, str]) -> Any:
    """On the run's thread: the engine, as ``python -m prefect.engine`` runs it, with the run's settings."""

    async def main() -> Any:
        running.bind()
        with temporary_settings(updates=settings):
            return await run_flow(flow, flow_run=flow_run, return_type="state")  # type: ignore[misc]

    if not flow.isasync:  # a sync flow runs on this thread as it is (a cancel reaches it only before it starts)
        with temporary_settings(updates=settings):
            return run_flow(flow, flow_run=flow_run, return_type="state")
    return asyncio.run(main())


async def ensure_process_pool(name: str) -> None:
    """The pool as ``prefect work-pool create NAME --type process`` makes it, unless it exists; a pool of another
    type is refused (its job template is for other infrastructure)."""
    async with get_client() as client:
        try:
            pool = await client.read_work_pool(name)
        except ObjectNotFound:
            template = ProcessWorker.get_default_base_job_template()
            await client.create_work_pool(WorkPoolCreate(name=name, type="process", base_job_template=template))
            return
    if pool.type not in ("process", WORKER_TYPE):
        raise UsageError(f"work pool {name!r} is a {pool.type!r} pool; the in-process worker serves process pools")


async def serve_pool(
    pool: str,
    *,
    query_seconds: float,
    limit: int | None,
    name: str | None,
    printer: Callable[[str], None],
    on_ready: Callable[[], None] = lambda: None,
) -> None:
    """Serve ``pool`` until SIGTERM or Ctrl-C (runs in flight are cancelled, and end Crashed or Cancelled).
    ``on_ready`` is called once the pool is found fit (a pool of another type is refused first)."""
    main = asyncio.current_task()
    loop = asyncio.get_running_loop()
    if main is not None:
        loop.add_signal_handler(signal.SIGTERM, main.cancel)
    with temporary_settings(updates={PREFECT_WORKER_QUERY_SECONDS: query_seconds}):
        await ensure_process_pool(pool)
        on_ready()
        worker = InProcessWorker(work_pool_name=pool, limit=limit, name=name, create_pool_if_not_found=False)
        try:
            await worker.start(printer=printer)
        except asyncio.CancelledError:
            printer(f"Worker {worker.name!r} stopped.")
        finally:
            loop.remove_signal_handler(signal.SIGTERM)
