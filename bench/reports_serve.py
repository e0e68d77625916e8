"""The report endpoint: what publishing a failure report costs, and how fast `q2o reports serve` answers.

Seeds a throw-away database (SQLite under a temporary Q2O_HOME, or PostgreSQL with --database-url) with
--reports real failure reports (rendered, printed to PDF, written and kept as the report task does), starts
`q2o reports serve` as its own process, and times sequential GETs of a report's HTML, its PDF, the index and
/healthz from one client. Prints medians and p95s in milliseconds and requests per second.

    .venv/bin/python bench/reports_serve.py [--reports 200] [--requests 300] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms"


def seed(count: int) -> tuple[list[str], list[float], int, int]:
    """Publish ``count`` failure reports; their ids, the seconds each publish took, the HTML and PDF sizes."""
    from datetime import UTC, datetime

    from contracts import Attempt, CodeRequest
    from reports.failure import build_failure_report, publish_failure_report
    from settings import load_settings

    settings = load_settings()
    ids, took = [], []
    for n in range(count):
        request = CodeRequest(task=f"Sync invoices of tenant {n} to the ledger", stack=["python"], agent="bench")
        attempts = [
            Attempt(
                provider=p,
                model="m",
                attempt=a,
                status="failed",
                error_kind="unavailable",
                error=f"{p} HTTP 500",
                started_at=datetime.now(UTC),
                duration_s=0.2,
                cost_usd=0.0,
            )
            for p in ("gemini", "openai", "anthropic")
            for a in (1, 2, 3)
        ]
        report = build_failure_report(request, attempts, "all providers failed", "all_providers_failed")
        start = time.perf_counter()
        published = publish_failure_report(report, settings)
        took.append(time.perf_counter() - start)
        ids.append(published.report_id)
    html_size = Path(published.html_path).stat().st_size
    pdf_size = Path(published.pdf_path).stat().st_size
    return ids, took, html_size, pdf_size


def put_times(ids: list[str]) -> list[float]:
    """Seconds to keep one report's row again (an update of the same bytes), for each seeded report."""
    from settings import load_settings
    from storage import ReportStore, open_database

    store = ReportStore(open_database(load_settings().resolved_database_url))
    took = []
    for report_id in ids:
        kept = store.get(report_id)
        assert kept is not None
        start = time.perf_counter()
        store.put(kept)
        took.append(time.perf_counter() - start)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="q2o-bench-reports-")
    os.environ["Q2O_HOME"] = home
    if args.database_url:
        os.environ["Q2O_DATABASE_URL"] = args.database_url
    backend = "postgresql" if args.database_url else "sqlite"
    ids, took, html_size, pdf_size = seed(args.reports)
    print(f"backend {backend}; {args.reports} failure reports seeded (HTML {html_size:,} B, PDF {pdf_size:,} B)")
    print(f"publish (render, PDF, files, database row)   {_ms(took)}")
    print(f"  of which the database row (ReportStore.put)  {_ms(put_times(ids))}")

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "reports", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        found = re.match(r"serving reports on (http://[^/]+)/", server.stdout.readline())
        assert found, "the endpoint did not say where it listens"
        base = found.group(1)
        # The endpoint logs each request on stdout: keep reading it, or a full pipe stalls the server.
        threading.Thread(target=server.stdout.read, daemon=True).start()
        with httpx.Client(base_url=base, timeout=10) as http:
            deadline = time.monotonic() + 30
            while True:
                try:
                    http.get("/healthz")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            for name, path_of in (
                ("GET /reports/<id>.html", lambda n: f"/reports/{ids[n % len(ids)]}.html"),
                ("GET /reports/<id>.pdf ", lambda n: f"/reports/{ids[n % len(ids)]}.pdf"),
                ("GET /reports/ (index) ", lambda n: "/reports/"),
                ("GET /healthz          ", lambda n: "/healthz"),
            ):
                times = []
                began = time.perf_counter()
                for n in range(args.requests):
                    start = time.perf_counter()
                    answer = http.get(path_of(n))
                    times.append(time.perf_counter() - start)
                    assert answer.status_code == 200, (path_of(n), answer.status_code)
                rate = args.requests / (time.perf_counter() - began)
                print(f"{name}  {_ms(times)}  {rate:7.1f} req/s  ({args.requests} sequential)")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
