"""A template hit through ``run_deployment("generate-code/default")``: the agent's wall time from the call to the
returned ``CodeResult``, with a worker polling every ``--query-seconds`` (Prefect's default is 10 s): Prefect's
process worker (``prefect worker start``, a fresh Python a run) or the in-process one (``q2o worker start``).

On fresh ``Q2O_HOME``/``PREFECT_HOME`` folders: the shared Prefect server (``q2o server start``), the
``q2o-process`` pool, ``prefect deploy --all``, one worker per kind and polling interval in turn, then ``--runs``
requests one after another, each a starter template's task with its own entity (no provider call). With
``--phases`` each run's time is split by its states' timestamps on the server.
Usage: python bench/deployment_latency.py [--runs 5] [--workers process,inprocess] [--query-seconds 1,10] [--poll 0.2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKERS = {
    "process": [str(BIN / "prefect"), "worker", "start", "--pool", "q2o-process"],
    "inprocess": [sys.executable, "-m", "cli", "worker", "start", "--pool", "q2o-process"],
}
ENTITIES = [
    "Customer", "Invoice", "Order", "Product", "Supplier", "Shipment", "Course", "Ticket", "Booking", "Recipe",
    "Vendor", "Venue", "Album", "Member", "Project", "Article", "Comment", "Device", "Vehicle", "Warehouse",
    "Employee", "Contract", "Lesson", "Review", "Campaign", "Listing", "Patient", "Appointment", "Asset", "Coupon",
]  # fmt: skip


def run(argv: list[str], log: Path) -> None:
    with open(log, "ab") as out:
        subprocess.run(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=True, timeout=600)


async def requests(runs: int, poll: float, offset: int, phases: bool) -> list[float]:
    from prefect.deployments import run_deployment

    times = []
    for i in range(runs):
        task = f"CRUD API for {ENTITIES[(offset + i) % len(ENTITIES)]} records"
        started, called_at = time.perf_counter(), datetime.now(UTC)
        flow_run = await run_deployment(
            "generate-code/default",
            parameters={"request": {"task": task, "stack": ["python", "fastapi"]}},
            timeout=300,
            poll_interval=poll,
        )
        result = await flow_run.state.aresult(raise_on_failure=False)  # type: ignore[union-attr]
        times.append(time.perf_counter() - started)
        source = result["source"] if isinstance(result, dict) else result.source
        assert flow_run.state.is_completed() and source == "template", (flow_run.state, source)  # type: ignore[union-attr]
        if phases:
            print("  " + await phase_line(flow_run.id, called_at, datetime.now(UTC)))
    return times


async def phase_line(flow_run_id, called: datetime, returned: datetime) -> str:
    """Where one run's time went, from its states on the server (one clock: this machine's): the call to the run
    created (run_deployment's writes), to Pending (the worker's poll), to Running (submission, flow load, engine
    start), to Completed (the flow), to the call's return (run_deployment's poll, the result read)."""
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        flow_run = await client.read_flow_run(flow_run_id)
        states = sorted(await client.read_flow_run_states(flow_run_id), key=lambda s: s.timestamp)
    first: dict[str, datetime] = {}
    for state in states:
        first.setdefault(state.type.value, state.timestamp)
    marks = [("create", flow_run.created), ("poll", first["PENDING"]), ("start", first["RUNNING"])]
    marks += [("flow", first["COMPLETED"]), ("back", returned)]
    at, parts = called, []
    for label, mark in marks:
        parts.append(f"{label} {(mark - at).total_seconds():.2f}")
        at = mark
    return ", ".join(parts) + f" (of {(returned - called).total_seconds():.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", default="process,inprocess", help="worker kinds to compare")
    parser.add_argument("--query-seconds", default="1,10", help="worker polling intervals to compare")
    parser.add_argument("--phases", action="store_true", help="print where each run's time went")
    parser.add_argument("--poll", type=float, default=0.2, help="run_deployment's poll_interval (default 5 s)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="q2o-deploy-bench-"))
    for name in [k for k in os.environ if k.startswith(("Q2O_", "PREFECT_"))]:
        del os.environ[name]
    os.environ.update(
        {"Q2O_HOME": str(work / "q2o"), "PREFECT_HOME": str(work / "prefect"), "PYTHONPATH": str(ROOT),
         "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "Q2O_TIMEZONE": "UTC", "Q2O_REPO_DIR": str(ROOT)}
    )  # fmt: skip
    q2o = [sys.executable, "-m", "cli"]
    log = work / "setup.log"
    try:
        run([*q2o, "server", "start"], log)
        url = subprocess.run([*q2o, "server", "url"], cwd=ROOT, capture_output=True, text=True, check=True)
        os.environ["PREFECT_API_URL"] = url.stdout.strip()  # before Prefect is imported
        run([str(BIN / "prefect"), "work-pool", "create", "q2o-process", "--type", "process"], log)
        run([str(BIN / "prefect"), "--no-prompt", "deploy", "--all"], log)
        load = os.getloadavg()
        print(f"cpus: {os.cpu_count()}, load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        print(f"run_deployment poll_interval {args.poll} s; {args.runs} template hits a worker, after one warm-up")
        combos = [(kind, float(q)) for kind in args.workers.split(",") for q in args.query_seconds.split(",")]
        for n, (kind, query) in enumerate(combos):
            env = os.environ | {"PREFECT_WORKER_QUERY_SECONDS": str(query)}
            command = WORKERS[kind] + (["--query-seconds", str(query)] if kind == "inprocess" else [])
            with open(work / f"worker-{kind}-{query}.log", "ab") as out:
                worker = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
                )
            try:
                times = asyncio.run(requests(args.runs + 1, args.poll, n * (args.runs + 1), args.phases))[1:]
            finally:
                worker.terminate()
                worker.wait(timeout=60)
            print(
                f"{kind} worker polling every {query:g} s: median {statistics.median(times):.2f} s, "
                f"min {min(times):.2f} s, max {max(times):.2f} s"
            )
        print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        subprocess.run([*q2o, "server", "stop"], cwd=ROOT, capture_output=True, timeout=60, check=False)


if __name__ == "__main__":
    main()
