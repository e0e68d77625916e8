"""Overhead of the generate-code flow over a bare Prefect flow, both in one process.

Runs ``generate_code`` against the provider simulator answering at once (the LLM path: match miss,
generate, validate, learn, report) and a bare async flow with one task; prints the medians and ratio.
Usage: python bench/overhead.py [--runs N]

The embedded server keeps its own database: SQLite by default, or PostgreSQL when
``PREFECT_SERVER_DATABASE_CONNECTION_URL=postgresql+asyncpg://...`` is set. Importing ``flows`` batches the
server's task-run recorder (see ``flows/__init__.py``); with Prefect's stock recorder settings
(``PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE=1``) back-to-back runs on SQLite often stall ~2 s:
the next flow run's request gets a 503 ("database is locked") and Prefect's client retries after 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prefect import flow, task  # noqa: E402

from tests.sim import ProviderSim  # noqa: E402


@task
async def one_task(x: int) -> int:
    return x + 1


@flow
async def bare_flow(x: int) -> int:
    return await one_task(x)


@flow
async def bare_five_tasks(x: int) -> int:
    """As many task runs as generate_code's LLM path (match, generate, validate, learn, report)."""
    for _ in range(5):
        x = await one_task(x)
    return x


async def timed(make) -> list[float]:  # noqa: ANN001
    out = []
    for i in range(ARGS.runs):
        started = time.perf_counter()
        await make(i)
        out.append(time.perf_counter() - started)
        if ARGS.verbose:
            print(f"  {make.__name__} #{i}: {out[-1] * 1000:.0f} ms", flush=True)
    return out


async def main() -> None:
    from codegen.models import CodeRequest
    from flows.generate_code import generate_code  # also sets the embedded server's defaults (flows/__init__)

    async def llm_run(i: int) -> None:
        # A stack of its own per run: no learned template can serve it, so every run takes the LLM path.
        result = await generate_code(CodeRequest(task="Write a greeting script for the Orion service",
                                                 stack=["python", f"bench{i}"]))
        assert result.status == "succeeded" and result.source == "llm", result.error

    for _ in range(2):  # warm up: server start, imports, database migration
        await bare_flow(0)
        await llm_run(10_000 + _)
    bare = await timed(bare_flow)
    five = await timed(bare_five_tasks)
    llm = await timed(llm_run)
    b, f, g = statistics.median(bare), statistics.median(five), statistics.median(llm)

    def p90(xs: list[float]) -> float:
        return sorted(xs)[int(0.9 * len(xs))] * 1000

    backend = os.environ.get("PREFECT_SERVER_DATABASE_CONNECTION_URL", "sqlite (default)").split(":")[0]
    print(f"runs per flow: {ARGS.runs}, Prefect: embedded server on {backend}")
    stalls = sum(1 for xs in (bare, five, llm) for x in xs if x > 1.0)
    print(f"runs over 1 s (server answered 503 'database is locked', client retried after ~2 s): {stalls}")
    print(f"bare async flow, one task  : median {b * 1000:7.1f} ms  p90 {p90(bare):7.1f} ms")
    print(f"bare async flow, five tasks: median {f * 1000:7.1f} ms  p90 {p90(five):7.1f} ms")
    print(f"generate_code (LLM path)   : median {g * 1000:7.1f} ms  p90 {p90(llm):7.1f} ms")
    print(f"ratio generate_code / one-task flow : {g / b:.2f} (target <= 1.3)")
    print(f"ratio generate_code / five-task flow: {g / f:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--verbose", action="store_true", help="print every run")
    ARGS = parser.parse_args()
    home = tempfile.mkdtemp(prefix="q2o-bench-")
    os.environ.update({"Q2O_HOME": home, "PREFECT_HOME": f"{home}/prefect", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                       "PREFECT_LOGGING_LEVEL": "WARNING"})
    for name in ("Q2O_DATABASE_URL", "PREFECT_API_URL"):
        os.environ.pop(name, None)
    with ProviderSim() as sim:
        for provider in ("gemini", "openai", "anthropic"):
            os.environ[f"Q2O_{provider.upper()}_BASE_URL"] = sim.base_url(provider)
        os.environ.update({f"{p.upper()}_API_KEY": "bench-key" for p in ("gemini", "openai", "anthropic")})
        asyncio.run(main())
