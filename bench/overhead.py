"""Overhead of the generate-code flow over a bare Prefect flow, both in one process.

Runs ``generate_code`` against the provider simulator answering at once, in a process of its own (the LLM
path: match miss, generate, validate, learn), a bare async flow with one task and one with four (as many task
runs as that path), and the path's own steps without Prefect, in turn; prints the medians and ratios.
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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prefect import flow, task  # noqa: E402

from providers.registry import PROVIDERS  # noqa: E402
from simulator import base_url_for  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@task
async def one_task(x: int) -> int:
    return x + 1


@flow
async def bare_flow(x: int) -> int:
    return await one_task(x)


@flow
async def bare_four_tasks(x: int) -> int:
    """As many task runs as generate_code's LLM path (match, generate, validate, learn)."""
    for _ in range(4):
        x = await one_task(x)
    return x


async def own_steps(i: int) -> None:
    """The LLM path's own work without Prefect: template lookup, budget check, the ledgered call (budget
    reservation, SDK request, ledger rows), static validation, learning, the result from the ledger."""
    from budget import exhausted_reason
    from codegen.calling import CallContext, ledgered_call
    from codegen.prompt_layers import generation_prompts_for
    from codegen.result import llm_result, request_attempts
    from contracts import CodeRequest, GeneratedFile
    from learning.engine import find_template, learn_template
    from settings import load_settings
    from storage import open_database
    from tasks.generate import usable_files_for
    from validation.static import validate_files

    request = CodeRequest(task="Script to print a Greeting", stack=["python", f"own{i}"])
    settings = load_settings()
    db = open_database(settings.resolved_database_url)
    assert find_template(db, request.task, request.stack) is None
    assert exhausted_reason(settings, request.agent, request.project) is None
    system, prompt = generation_prompts_for(settings, request)
    call = await ledgered_call(
        settings,
        CallContext(request.request_id, None, request.agent, request.project),
        "gemini",
        system=system,
        prompt=prompt,
        accept=usable_files_for(request),
    )
    verdict = validate_files(call.value, settings.min_quality)
    learn_template(
        db,
        request.task,
        request.stack,
        [GeneratedFile(path=f.path, content=f.content) for f in call.value],
        quality_score=verdict.score,
        source_provider="gemini",
        source_model=call.model,
        source_call_id=call.call_id,
        source_cost_usd=call.cost_usd,
    )
    llm_result(request, request_attempts(settings, request), None, verdict, None)


async def timed(flows: dict[str, object]) -> dict[str, list[float]]:
    """Run the flows in turn (one of each per round), so a drift of the machine or server hits all alike."""
    out: dict[str, list[float]] = {name: [] for name in flows}
    for i in range(ARGS.runs):
        for name, make in flows.items():
            started = time.perf_counter()
            await make(i)  # type: ignore[operator]
            out[name].append(time.perf_counter() - started)
            if ARGS.verbose:
                print(f"  {name} #{i}: {out[name][-1] * 1000:.0f} ms", flush=True)
    return out


async def main() -> None:
    from contracts import CodeRequest
    from flows.generate_code import run_request  # also sets the embedded server's defaults (flows/__init__)

    async def llm_run(i: int) -> None:
        # A stack of its own per run: no learned template can serve it, so every run takes the LLM path.
        result = await run_request(CodeRequest(task="Script to print a Greeting", stack=["python", f"bench{i}"]))
        assert result.status == "succeeded" and result.source == "llm", result.error

    async def template_run(i: int) -> None:
        # llm_run(i)'s task with another name: served from the template it just learned (the simulator's
        # answer, '"""A greeting."""', names the greeting).
        result = await run_request(CodeRequest(task="Script to print a Farewell", stack=["python", f"bench{i}"]))
        assert result.status == "succeeded" and result.source == "template", (result.source, result.error)

    for _ in range(2):  # warm up: server start, imports, database migration
        await bare_flow(0)
        await bare_four_tasks(0)
        await llm_run(10_000 + _)
        await template_run(10_000 + _)
        await own_steps(10_000 + _)
    runs = await timed({"bare": bare_flow, "four": bare_four_tasks, "llm": llm_run, "template": template_run})
    runs |= await timed({"own": own_steps})  # apart: no Prefect run may overlap the server's leftover work
    bare, four, llm, own, hit = runs["bare"], runs["four"], runs["llm"], runs["own"], runs["template"]
    b, f, g, o, h = (statistics.median(xs) for xs in (bare, four, llm, own, hit))

    def p90(xs: list[float]) -> float:
        return sorted(xs)[int(0.9 * len(xs))] * 1000

    backend = os.environ.get("PREFECT_SERVER_DATABASE_CONNECTION_URL", "sqlite (default)").split(":")[0]
    print(f"runs per flow: {ARGS.runs} (interleaved), Prefect: embedded server on {backend}")
    stalls = sum(1 for xs in (bare, four, llm, hit) for x in xs if x > 1.0)
    print(f"runs over 1 s (server answered 503 'database is locked', client retried after ~2 s): {stalls}")
    print(f"bare async flow, one task  : median {b * 1000:7.1f} ms  p90 {p90(bare):7.1f} ms")
    print(f"bare async flow, four tasks: median {f * 1000:7.1f} ms  p90 {p90(four):7.1f} ms")
    print(f"generate_code (LLM path)   : median {g * 1000:7.1f} ms  p90 {p90(llm):7.1f} ms")
    print(f"its own steps, no Prefect  : median {o * 1000:7.1f} ms  p90 {p90(own):7.1f} ms")
    print(f"generate_code (template)   : median {h * 1000:7.1f} ms  p90 {p90(hit):7.1f} ms  (match, validate, count)")
    print(f"ratio generate_code / one-task flow : {g / b:.2f} (target <= 1.3)")
    print(f"ratio generate_code / four-task flow: {g / f:.2f}")
    print(f"floor with four task runs: (four-task flow + own steps) / one-task flow = {(f + o) / b:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--verbose", action="store_true", help="print every run")
    ARGS = parser.parse_args()
    home = tempfile.mkdtemp(prefix="q2o-bench-")
    os.environ.update(
        {
            "Q2O_HOME": home,
            "PREFECT_HOME": f"{home}/prefect",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
        }
    )
    for name in ("Q2O_DATABASE_URL", "PREFECT_API_URL"):
        os.environ.pop(name, None)
    # The simulator runs in a process of its own, as a real provider does: its request handling must not share
    # this process's interpreter (and GIL) with the flows being measured.
    sim = subprocess.Popen(
        [sys.executable, "-m", "simulator"],
        cwd=ROOT,
        stdin=subprocess.PIPE,  # noqa: S603
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(sim.stdout.readline())  # type: ignore[union-attr]
        for spec in PROVIDERS:
            os.environ[spec.base_url_variable] = base_url_for(port, spec.name)
            os.environ[spec.key_variables[0]] = "bench-key"
        asyncio.run(main())
    finally:
        sim.stdin.close()  # type: ignore[union-attr]
        sim.wait(timeout=10)
