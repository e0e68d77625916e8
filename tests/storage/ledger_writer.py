"""A child process for the concurrency tests: open a (fresh) database and write ledger rows.

Lives in its own module so ``multiprocessing`` in spawn mode can import it by name.
"""

from __future__ import annotations

import traceback
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier


def write_calls(url: str, worker: int, count: int, start_together: Barrier, results: Queue) -> None:
    """Open ``url`` when every writer is ready, then start and finish ``count`` calls."""
    try:
        from storage import CallLedger, open_database

        start_together.wait(timeout=60)
        ledger = CallLedger(open_database(url), secrets=["sk-concurrent-secret"])
        for n in range(count):
            call_id = ledger.start(
                request_id=f"writer-{worker}",
                flow_run_id=None,
                agent="coder",
                project="race",
                provider="openai",
                model="gpt-test",
                attempt=n + 1,
                system_prompt="system",
                prompt=f"prompt {n} sk-concurrent-secret",
            )
            ledger.finish(
                call_id,
                status="succeeded",
                input_tokens=10,
                output_tokens=20,
                cost_usd=0.000123,
                latency_s=0.01,
                response_text=f"answer {n}",
            )
        results.put((worker, "ok"))
    except BaseException:  # report anything to the parent, which fails the test with it
        results.put((worker, traceback.format_exc()))
