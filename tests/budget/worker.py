"""A child process for the budget tests: make concurrent ledgered calls, or hold one reservation and hang.

Run as ``python -m tests.budget.worker calls N`` (prints one JSON line of outcomes) or
``python -m tests.budget.worker hang`` (its one call hangs at the simulator until the parent kills it) or
``python -m tests.budget.worker alerts`` (checks the month's alerts once, prints what it fired) or
``python -m tests.budget.worker refuse`` (asks for a call the budget refuses, prints what the refusal fired).
"""

from __future__ import annotations

import asyncio
import json
import sys

PROMPT = "x" * 450  # 150 estimated tokens (bytes / 3): more than the simulator's 120, so the worst case holds


async def _calls(count: int, tag: str) -> dict[str, int]:
    from budget import BudgetExhausted
    from codegen.calling import CallContext, ledgered_call
    from settings import load_settings

    settings = load_settings()
    outcomes = {"ok": 0, "exhausted": 0, "error": 0}

    async def one(n: int) -> None:
        context = CallContext(request_id=f"{tag}-{n}", flow_run_id=None, agent="coder", project="race")
        try:
            await ledgered_call(settings, context, "openai", system="", prompt=PROMPT, max_output_tokens=100)
            outcomes["ok"] += 1
        except BudgetExhausted:
            outcomes["exhausted"] += 1
        except Exception:  # noqa: BLE001 - counted; the test fails on it
            outcomes["error"] += 1

    await asyncio.gather(*(one(n) for n in range(count)))
    return outcomes


def main() -> None:
    mode = sys.argv[1]
    if mode == "calls":
        print(json.dumps(asyncio.run(_calls(int(sys.argv[2]), sys.argv[3]))), flush=True)
    elif mode == "alerts":  # check the alerts of the month once; print the levels this process fired
        from budget import BudgetGuard
        from settings import load_settings

        fired = BudgetGuard(load_settings()).check_alerts("coder", "race")
        print(json.dumps([[a.scope, a.level] for a in fired]), flush=True)
    elif mode == "refuse":  # a call the guard refuses; print the alerts the refusal fired in this process
        from budget import BudgetExhausted, BudgetGuard
        from settings import load_settings

        try:
            BudgetGuard(load_settings()).reserve(
                agent="coder",
                project="race",
                provider="openai",
                model="gpt-4.1-mini",
                prompt_bytes=3,
                max_output_tokens=4096,
            )
        except BudgetExhausted as exc:
            print(json.dumps([[a.scope, a.level] for a in exc.alerts]), flush=True)
    elif mode == "hang":
        print(json.dumps(asyncio.run(_calls(1, "hang"))), flush=True)


if __name__ == "__main__":
    main()
