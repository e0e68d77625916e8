"""Many ``q2o generate`` processes at once on a fresh ``Q2O_HOME``/``PREFECT_HOME``, against the same number one
after another, and one template hit through the CLI with the shared Prefect server and its run host warm.

Every process asks for a starter template's task with its own entity (a template hit, no provider call; the
simulator stands in for the providers a miss would ask). Each batch runs on fresh folders, so its first caller
starts the shared server (a first start migrates Prefect's SQLite) and the run host that runs every caller's flow
(``cli/host.py``); both are stopped after each batch. The CPU figure counts the ``q2o`` processes, not the
services that outlive them (the Prefect server, the run host).
``--mode embedded`` runs the batches with Prefect's temporary server in each process instead, the old way.
Usage: python bench/cli_concurrency.py [--processes 12] [--hits 5] [--mode shared|embedded]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from providers.registry import PROVIDERS  # noqa: E402
from simulator import base_url_for  # noqa: E402

Q2O = [sys.executable, "-m", "cli"]
ENTITIES = ["Customer", "Invoice", "Order", "Product", "Supplier", "Shipment", "Course", "Library", "Ticket",
            "Booking", "Employee", "Vehicle", "Warehouse", "Contract", "Recipe", "Coupon"]  # fmt: skip


def fresh_env(base: dict[str, str], mode: str) -> dict[str, str]:
    home = tempfile.mkdtemp(prefix="q2o-cli-bench-")
    return base | {"Q2O_HOME": f"{home}/q2o", "PREFECT_HOME": f"{home}/prefect", "Q2O_SERVER": mode}


def generate(env: dict[str, str], i: int) -> subprocess.Popen[str]:
    task = f"CRUD API for {ENTITIES[i % len(ENTITIES)]} records"
    return subprocess.Popen(
        [*Q2O, "generate", task, "--stack", "python,fastapi", "--json"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def outcome(process: subprocess.Popen[str]) -> str:
    """ "hit" for a template hit, else the exit code and the last stderr line."""
    stdout, stderr = process.communicate(timeout=600)
    try:
        result = json.loads(stdout.splitlines()[-1])
    except (IndexError, ValueError):
        return f"exit {process.returncode}: {(stderr.strip().splitlines() or ['?'])[-1][:160]}"
    if process.returncode == 0:
        return "hit" if result["source"] == "template" else result["source"]
    why = "; ".join(f"{a.get('provider')}: {a.get('error')}" for a in result.get("attempts", []))
    return f"exit {process.returncode}: {result.get('error')} ({why[:300]})"


def stop_server(env: dict[str, str]) -> None:
    subprocess.run([*Q2O, "server", "stop"], env=env, cwd=ROOT, capture_output=True, timeout=60, check=False)


def cpu_seconds() -> float:
    """CPU time (user + system) of the finished ``q2o`` processes so far (a server outlives them: not counted)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def batch(base: dict[str, str], n: int, mode: str, together: bool) -> tuple[list[str], float, float]:
    env = fresh_env(base, mode)
    cpu = cpu_seconds()
    started = time.perf_counter()
    try:
        if together:
            processes = [generate(env, i) for i in range(n)]
            results = [outcome(p) for p in processes]
        else:
            results = [outcome(generate(env, i)) for i in range(n)]
        return results, time.perf_counter() - started, cpu_seconds() - cpu
    finally:
        stop_server(env)


def warm_hits(base: dict[str, str], hits: int, mode: str) -> list[float]:
    """Wall time of the first CLI template hit on a fresh home (it starts the services), then of ``hits`` more."""
    env = fresh_env(base, mode)
    times = []
    try:
        for i in range(hits + 1):
            started = time.perf_counter()
            result = outcome(generate(env, i))
            assert result == "hit", result
            times.append(time.perf_counter() - started)
        return times
    finally:
        stop_server(env)


def report(label: str, results: list[str], wall: float, cpu: float) -> None:
    ok = results.count("hit")
    print(f"{label}: {ok}/{len(results)} succeeded, wall {wall:.1f} s, CPU of the q2o processes {cpu:.1f} s")
    for failure in sorted(set(r for r in results if r != "hit")):
        print(f"    {results.count(failure)} x {failure}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=12)
    parser.add_argument("--hits", type=int, default=5, help="warm template hits to time")
    parser.add_argument("--mode", choices=["shared", "embedded"], default="shared")
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("Q2O_", "PREFECT_"))}
    base |= {"PYTHONPATH": str(ROOT), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    sim = subprocess.Popen([sys.executable, "-m", "simulator"], cwd=ROOT, stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        port = int(sim.stdout.readline())  # type: ignore[union-attr]
        for spec in PROVIDERS:
            base[spec.base_url_variable] = base_url_for(port, spec.name)
            base[spec.key_variables[0]] = "bench-key"
        load = os.getloadavg()
        print(f"cpus: {os.cpu_count()}, load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        print(f"Prefect server: {args.mode}; each batch on a fresh Q2O_HOME and PREFECT_HOME")
        report(f"{args.processes} at once   ", *batch(base, args.processes, args.mode, together=True))
        report(f"{args.processes} in sequence", *batch(base, args.processes, args.mode, together=False))
        first, *times = warm_hits(base, args.hits, args.mode)
        print(f"first template hit on a fresh home (starts the server and the run host): {first:.2f} s")
        print(
            f"one template hit through the CLI, server warm ({args.hits} runs): median "
            f"{statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s"
        )
        print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        sim.stdin.close()  # type: ignore[union-attr]
        sim.wait(timeout=10)


if __name__ == "__main__":
    main()
