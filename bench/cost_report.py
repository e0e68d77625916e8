"""What the cost report costs with a big ledger: read, aggregate, render.

Fills a SQLite ledger with N finished calls spread over the last 40 days (5 providers, 20 agents, 50 projects,
1 % of unknown cost, a cache hit per 20 calls, template uses), then times, best of --repeat: reading the rows
(``CallLedger.cost_rows`` over the month and the 30-day window), the whole ``gather_cost_report`` (reads, pandas
aggregates, budget status), and ``write_cost_report`` (the matplotlib chart, the HTML and the WeasyPrint PDF).
Usage: python bench/cost_report.py [--sizes 10000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from budget.periods import month_bounds, month_of  # noqa: E402
from reports.costs import gather_cost_report, write_cost_report  # noqa: E402
from settings import load_settings  # noqa: E402
from storage import CallLedger, close_database, open_database  # noqa: E402
from storage.calls import CACHE_HIT_TEXT  # noqa: E402
from storage.models import Call, TemplateUse  # noqa: E402


def _fill(url: str, size: int, rng: random.Random) -> None:
    now = datetime.now(UTC)
    rows, uses = [], []
    for i in range(size):
        when = now - timedelta(seconds=rng.uniform(0, 40 * 86400))
        cache = i % 20 == 0
        rows.append(
            dict(
                request_id=f"r{i}",
                agent=f"agent-{rng.randrange(20)}",
                project=f"project-{rng.randrange(50)}",
                provider=rng.choice(["gemini", "openai", "anthropic", "mistral", "local"]),
                model="m",
                attempt=0 if cache else 1,
                purpose="cache" if cache else "generate",
                status="succeeded",
                cost_usd=Decimal(0)
                if cache
                else None
                if rng.random() < 0.01
                else Decimal(f"{rng.uniform(0, 0.05):.6f}"),
                response_text=f"{CACHE_HIT_TEXT}r{i - 1}" if cache else "ok",
                system_prompt="",
                prompt="",
                created_at=when,
                finished_at=when,
            )
        )
        if i % 10 == 0:
            uses.append(dict(template_id=f"t{i % 40}", template_name="CRUD", saved_usd=Decimal("0.02"), used_at=when))
    db = open_database(url)
    with db.session() as session:
        for first in range(0, len(rows), 5000):
            session.execute(insert(Call), rows[first : first + 5000])
        session.execute(insert(TemplateUse), uses)


def _best(repeat: int, work) -> str:
    """Best wall time / best CPU time of this process, in seconds (CPU time hardly moves when other work shares
    the cores; wall time does)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return f"{min(wall):.2f}/{min(cpu):.2f}"


def _measure(size: int, repeat: int, rng: random.Random) -> str:
    with tempfile.TemporaryDirectory() as home:
        url = f"sqlite:///{home}/q2o.db"
        settings = load_settings(database_url=url, home=Path(home))
        _fill(url, size, rng)
        ledger = CallLedger(open_database(url))
        start, end = month_bounds(month_of("UTC"), "UTC")
        window = (min(start, datetime.now(UTC) - timedelta(days=31)), end)  # what a 30-day report reads
        rows_read = len(ledger.cost_rows(*window))
        read = _best(repeat, partial(ledger.cost_rows, *window))
        gather = _best(repeat, partial(gather_cost_report, settings, 30))
        report = gather_cost_report(settings, 30)
        folder = Path(home) / "reports"
        render = _best(repeat, partial(write_cost_report, report, folder))
        pdf = write_cost_report(report, folder)[1].stat().st_size / 1024
        close_database(url)
    return f"{size:>8} {rows_read:>10} {read:>11} {gather:>11} {render:>11} {pdf:>8.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(7)
    print("seconds as wall/cpu, best of", args.repeat)
    print(f"{'calls':>8} {'rows read':>10} {'read':>11} {'gather':>11} {'render':>11} {'pdf KiB':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        print(_measure(size, args.repeat, rng), flush=True)


if __name__ == "__main__":
    main()
