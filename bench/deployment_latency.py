"""A template hit through ``run_deployment("generate-code/default")``: the agent's wall time from the call to the
returned ``CodeResult``, with a process worker polling every ``--query-seconds`` (Prefect's default is 10 s).

On fresh ``Q2O_HOME``/``PREFECT_HOME`` folders: the shared Prefect server (``q2o server start``), the
``q2o-process`` pool, ``prefect deploy --all``, one worker per polling interval in turn, then ``--runs`` requests
one after another, each a starter template's task with its own entity (no provider call).
Usage: python bench/deployment_latency.py [--runs 5] [--query-seconds 1,10] [--poll 0.2]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENTITIES = ["Customer", "Invoice", "Order", "Product", "Supplier", "Shipment", "Course", "Ticket", "Booking", "Recipe"]


def run(argv: list[str], log: Path) -> None:
    with open(log, "ab") as out:
        subprocess.run(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=True, timeout=600)


async def requests(runs: int, poll: float, offset: int) -> list[float]:
    from prefect.deployments import run_deployment

    times = []
    for i in range(runs):
        task = f"CRUD API for {ENTITIES[(offset + i) % len(ENTITIES)]} records"
        started = time.perf_counter()
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
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query-seconds", default="1,10", help="worker polling intervals to compare")
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
        for n, query in enumerate(float(q) for q in args.query_seconds.split(",")):
            env = os.environ | {"PREFECT_WORKER_QUERY_SECONDS": str(query)}
            with open(work / f"worker-{query}.log", "ab") as out:
                worker = subprocess.Popen(
                    [str(BIN / "prefect"), "worker", "start", "--pool", "q2o-process"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip
            try:
                times = asyncio.run(requests(args.runs + 1, args.poll, n * (args.runs + 1)))[1:]
            finally:
                worker.terminate()
                worker.wait(timeout=60)
            print(
                f"worker polling every {query:g} s: median {statistics.median(times):.2f} s, "
                f"min {min(times):.2f} s, max {max(times):.2f} s"
            )
        print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        subprocess.run([*q2o, "server", "stop"], cwd=ROOT, capture_output=True, timeout=60, check=False)


if __name__ == "__main__":
    main()
