"""Cost of the budget guard per call, and overspend under contention.

Latency: N worker threads (1, 8, 32) each run reserve + settle (the settle includes the alert check)
back to back; what a call pays over an unguarded call is exactly that (the unguarded path does no budget
work), so the median and p95 of reserve+settle are the added latency. Overspend: 20 runs of 32 threads
racing 4 calls each against a budget for ~10 calls, each settling a random actual cost up to its worst
case; the largest (spent - budget) seen is printed (target 0).
Usage: python bench/budget.py [--calls N]   (PostgreSQL when one answers on 127.0.0.1:5432)
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from budget import BudgetExhausted, BudgetGuard, budget_status  # noqa: E402
from settings import load_settings  # noqa: E402
from storage import close_database, open_database  # noqa: E402

PG_ADMIN = "postgresql://root@127.0.0.1:5432/test"


def _guard(url: str, budget: float) -> BudgetGuard:
    return BudgetGuard(load_settings(database_url=url, monthly_budget_usd=budget, home=Path(tempfile.gettempdir())))


def _clear(url: str) -> None:
    from sqlalchemy import text

    with open_database(url).engine.begin() as conn:
        for table in ("budget_reservations", "budget_alerts", "budget_settings"):
            conn.execute(text(f"DELETE FROM {table}"))


def _race(workers: int, job) -> list:  # noqa: ANN001
    start = threading.Barrier(workers)
    results: list = []
    lock = threading.Lock()

    def run(n: int) -> None:
        start.wait()
        out = job(n)
        with lock:
            results.extend(out)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def latency(url: str, workers: int, calls: int) -> tuple[float, float]:
    _clear(url)
    guard = _guard(url, 1_000_000.0)

    def job(n: int) -> list[float]:
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            held = guard.reserve(
                agent="coder",
                project="bench",
                provider="openai",
                model="gpt-4.1-mini",
                prompt_bytes=2000,
                max_output_tokens=1000,
            )
            guard.settle(held, 0.001)
            times.append(time.perf_counter() - started)
        return times

    times = sorted(_race(workers, job))
    return statistics.median(times) * 1000, times[int(len(times) * 0.95) - 1] * 1000


def overspend(url: str, runs: int = 20) -> float:
    worst = 0.0
    for run in range(runs):
        _clear(url)
        budget = 0.0019  # worst case per call $0.00022: about 10 calls charged below it
        guard = _guard(url, budget)
        rng = random.Random(run)

        def job(n: int, guard: BudgetGuard = guard, rng: random.Random = rng) -> list[int]:
            made = 0
            for _ in range(4):
                try:
                    held = guard.reserve(
                        agent="coder",
                        project="bench",
                        provider="openai",
                        model="gpt-4.1-mini",
                        prompt_bytes=600,
                        max_output_tokens=100,
                    )
                except BudgetExhausted:
                    continue
                guard.settle(held, float(held.amount_usd) * rng.uniform(0.5, 1.0))
                made += 1
            return [made]

        _race(32, job)
        spent = budget_status(guard.settings).spent_usd
        worst = max(worst, spent - budget)
    return worst


def _postgres() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            pass
        import psycopg

        name = f"q2o_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://root@127.0.0.1:5432/{name}"
    except Exception:  # noqa: BLE001 - no PostgreSQL: SQLite only
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=40, help="reserve+settle pairs per worker")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="q2o-bench-budget-"))
    backends = [("sqlite", f"sqlite:///{folder / 'q2o.db'}")]
    pg = _postgres()
    if pg:
        backends.append(("postgresql", pg))
    else:
        print("postgresql: not reachable on 127.0.0.1:5432, skipped")
    print(f"guard latency per call (reserve + settle + alert check), {args.calls} calls per worker")
    print(f"{'backend':<11} {'workers':>7} {'median ms':>10} {'p95 ms':>8}")
    for name, url in backends:
        for workers in (1, 8, 32):
            median, p95 = latency(url, workers, args.calls)
            print(f"{name:<11} {workers:>7} {median:>10.2f} {p95:>8.2f}")
    for name, url in backends:
        print(f"{name}: largest overspend across 20 runs (32 threads x 4 calls, budget $0.0019): ${overspend(url):.6f}")
    if pg:
        close_database(pg)
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{pg.rsplit("/", 1)[1]}" WITH (FORCE)')


if __name__ == "__main__":
    main()
