"""What reading the stored configuration costs a run: ``tasks.config.run_settings`` inside a flow run.

Each generate-code run starts by reading the three Prefect Variables (one request) and, for providers whose key
is not in the environment, their Secret blocks (one request, concurrent with the first), then lays the overrides
over the environment's settings. Measured inside an async flow against Prefect's embedded server (a real
server process), with overrides in every scope; once with every key in the environment (no Secret-block read),
once with none (the Secret-block read too), and once with the overlay changing before every read (validation
not reused); beside them the floor, one round trip to the same server, and the local part alone. Prints the
median and p90 in ms.
Usage: python bench/config_read.py [--reads N]
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
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="q2o-bench-prefect-"))
os.environ.pop("PREFECT_API_URL", None)
os.environ["Q2O_HOME"] = tempfile.mkdtemp(prefix="q2o-bench-home-")

from prefect import flow  # noqa: E402
from prefect.context import FlowRunContext  # noqa: E402

import flows  # noqa: E402,F401 - the embedded server's defaults
from providers.registry import PROVIDERS  # noqa: E402
from settings import environment_settings  # noqa: E402
from settings.overlay import apply_overlay  # noqa: E402
from tasks.config import read_overlay, run_settings, store_knob  # noqa: E402


def _figures(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return (
        f"{name:<42} median {statistics.median(ms):6.2f} ms   p90 {ms[int(len(ms) * 0.9) - 1]:6.2f} ms   (n={len(ms)})"
    )


@flow(name="bench-config-read")
async def measure(reads: int) -> list[str]:
    await store_knob("chain", "gemini:gemini-2.5-pro,openai", "system")
    await store_knob("min_quality", "90", "agent", "coder")
    await store_knob("chain", "openai:gpt-4.1,anthropic", "project", "acme")
    lines = []
    client = FlowRunContext.get().client  # type: ignore[union-attr]
    times = []
    for _ in range(reads):  # the floor: one round trip to the same server that reads nothing
        started = time.perf_counter()
        await client.request("GET", "/health")
        times.append(time.perf_counter() - started)
    lines.append(_figures("baseline: one GET /health round trip", times))
    base, overlay = environment_settings(), await read_overlay()
    times = []
    for _ in range(reads):
        started = time.perf_counter()
        apply_overlay(environment_settings(), overlay, "coder", "acme")
        times.append(time.perf_counter() - started)
    lines.append(_figures("local part: overrides laid over the settings", times))
    del base
    for label, keys in (("keys in the environment", True), ("no keys: Secret blocks read too", False)):
        for spec in PROVIDERS:
            if keys:
                os.environ[spec.key_variables[0]] = f"bench-key-{spec.name}-0123456789"
            else:
                os.environ.pop(spec.key_variables[0], None)
        await run_settings("coder", "acme")  # warm: the first read builds the environment's settings
        times = []
        for _ in range(reads):
            started = time.perf_counter()
            await run_settings("coder", "acme")
            times.append(time.perf_counter() - started)
        lines.append(_figures(label, times))
    times = []
    for i in range(reads // 4):
        await store_knob("attempts_per_provider", str(1 + i % 5), "project", "acme")
        started = time.perf_counter()
        await run_settings("coder", "acme")
        times.append(time.perf_counter() - started)
    lines.append(_figures("overlay changed before each read", times))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=200)
    args = parser.parse_args()
    for line in asyncio.run(measure(args.reads)):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
