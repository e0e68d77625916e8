"""A dead first provider: how many calls it gets and how long N sequential requests take, breaker on and off.

The provider simulator (in this process) answers 500 (or ``--fail 401`` / ``--fail 429`` with Retry-After) for
the chain's first provider and answers the others. Each request asks for a new task (no cache, no template), so
every one goes to the chain. Prints, per mode: calls to the dead provider, total and per-request seconds, and
with the breaker on, the circuit at the end (state, openings in a row, consecutive failures, skips).
``--cooldown`` sets Q2O_CIRCUIT_COOLDOWN_SECONDS for the breaker-on run (default 30 s; a short one shows the probes
and the growth within the run).
Usage: python bench/dead_provider.py [--requests 20] [--fail 500|401|429] [--backoff 0.5] [--cooldown 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from providers.registry import PROVIDERS  # noqa: E402
from simulator import Fail, ProviderSim  # noqa: E402


async def run_mode(sim: ProviderSim, breaker: bool, args: argparse.Namespace, healthy: bool = False) -> str:
    from contracts import CodeRequest
    from flows.generate_code import run_request
    from storage import CircuitStore, close_database, open_database

    home = tempfile.mkdtemp(prefix="q2o-dead-")
    os.environ["Q2O_HOME"] = home
    os.environ["Q2O_CIRCUIT_COOLDOWN_SECONDS"] = str(args.cooldown) if breaker else "0"
    os.environ["Q2O_CIRCUIT_AUTH_COOLDOWN_SECONDS"] = "300" if breaker else "0"
    sim.reset()
    dead = PROVIDERS[0].name
    headers = {"Retry-After": "1"} if args.fail == 429 else {}
    if not healthy:
        sim.default[dead] = Fail(args.fail, headers=headers)
    started = time.perf_counter()
    for n in range(args.requests):
        result = await run_request(
            CodeRequest(task=f"Write a greeting script for the Orion{n} service", stack=["python"])
        )
        assert result.status == "succeeded", result.error
    took = time.perf_counter() - started
    circuit = ""
    if breaker and not healthy:
        from codegen.health import provider_health
        from settings import load_settings

        [health] = provider_health(load_settings(), [dead])
        row = CircuitStore(open_database(f"sqlite:///{home}/q2o.db")).get(dead)
        circuit = (
            f" | circuit {health.circuit}, level {row.level if row else 0}, "
            f"{health.consecutive_failures} failures in a row, {health.skips} skips"
        )
    close_database(f"sqlite:///{home}/q2o.db")
    mode = (
        "baseline, no dead provider"
        if healthy
        else f"breaker {'on ' if breaker else 'off'}, {dead} answering {args.fail}"
    )
    return (
        f"{mode:<34} | {args.requests} requests | "
        f"calls to {dead}: {len(sim.requests_for(dead)):3d} | total {took:6.2f} s | "
        f"per request {took / args.requests * 1000:6.0f} ms{circuit}"
    )


async def warm_up() -> None:
    from contracts import CodeRequest
    from flows.generate_code import run_request

    os.environ["Q2O_HOME"] = tempfile.mkdtemp(prefix="q2o-dead-warm-")
    await run_request(CodeRequest(task="Write a greeting script for the warm-up service", stack=["python"]))


async def main(args: argparse.Namespace) -> None:
    with ProviderSim() as sim:
        for spec in PROVIDERS:
            os.environ[spec.base_url_variable] = sim.base_url(spec.name)
            os.environ[spec.key_variables[0]] = "bench-key"
        print(
            f"attempts per provider 3, backoff {args.backoff} s (Q2O_BACKOFF_SECONDS), breaker-on cooldown "
            f"{args.cooldown} s (Q2O_CIRCUIT_COOLDOWN_SECONDS)",
            flush=True,
        )
        await warm_up()  # the embedded Prefect server starts here, not inside the first mode's timing
        print(await run_mode(sim, True, args, healthy=True), flush=True)
        for breaker in (False, True):
            print(await run_mode(sim, breaker, args), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--fail", type=int, default=500, choices=[500, 401, 429])
    parser.add_argument("--backoff", type=float, default=0.5)
    parser.add_argument("--cooldown", type=float, default=30.0)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="q2o-dead-")
    os.environ.update(
        {
            "PREFECT_HOME": f"{home}/prefect",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
            "Q2O_BACKOFF_SECONDS": str(args.backoff),
            "Q2O_FIT_CHECK": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        }
    )
    for name in ("Q2O_DATABASE_URL", "PREFECT_API_URL"):
        os.environ.pop(name, None)
    asyncio.run(main(args))
