"""A child process for the breaker tests: trip the circuit with real calls, or ask whether to call, or race others
for the one probe.

``python -m tests.codegen.circuit_worker fail`` makes up to Q2O_ATTEMPTS_PER_PROVIDER ledgered calls to gemini
(the simulator fails them) and reports the last error to the breaker; ``admit`` asks the breaker once;
``race N`` prints ``ready``, waits for a line on stdin, then asks from N threads at once. Each prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier


async def _fail() -> dict[str, object]:
    from codegen.calling import CallContext, ledgered_call
    from codegen.circuit import after_failure
    from providers.base import ProviderError
    from settings import load_settings
    from storage import CircuitStore, open_database

    settings = load_settings()
    context = CallContext(request_id="worker-fail", flow_run_id=None, agent="coder", project="health")
    error: ProviderError | None = None
    calls = 0
    for attempt in range(1, settings.attempts_per_provider + 1):
        calls += 1
        try:
            await ledgered_call(settings, context, "gemini", system="", prompt="say hi", attempt=attempt)
            break
        except ProviderError as exc:
            error = exc
    after_failure(settings, "gemini", error, failed_calls=calls)
    row = CircuitStore(open_database(settings.resolved_database_url)).get("gemini")
    return {"calls": calls, "state": row.state if row else None}


def _admit() -> dict[str, object]:
    from codegen.circuit import admit
    from settings import load_settings

    gate = admit(load_settings(), "gemini")
    return {"skip": gate.skip, "probe": gate.probe}


def _race(threads: int) -> dict[str, object]:
    from codegen.circuit import admit
    from settings import load_settings
    from storage import open_database

    settings = load_settings()
    open_database(settings.resolved_database_url)  # migrated and pooled before the start
    print("ready", flush=True)
    sys.stdin.readline()
    start = Barrier(threads)

    def one(_: int) -> str | None:
        start.wait()
        return admit(settings, "gemini").probe

    with ThreadPoolExecutor(max_workers=threads) as pool:
        probes = [p for p in pool.map(one, range(threads)) if p is not None]
    return {"probes": probes}


def main() -> None:
    mode = sys.argv[1]
    if mode == "fail":
        outcome = asyncio.run(_fail())
    elif mode == "admit":
        outcome = _admit()
    else:
        outcome = _race(int(sys.argv[2]))
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    main()
