"""Template lookup at scale: fill a SQLite store with 1,000 / 10,000 / 100,000 varied templates, time lookups.

Templates are generated from stacks x jobs x qualifiers x entities (each a realistic slot template of a
few kilobytes), bulk inserted through ``TemplateStore.add_many``; lookups go through
``learning.engine.find_template``, the code path of the ``match`` task, for a mix of hitting and
missing requests ("not as planned": a planned hit that missed or a planned miss that hit). Prints p50/p95
lookup milliseconds and the database size for each store size.
Usage: python bench/match_scale.py [--sizes 1000,10000,100000] [--queries 400] [--two-slots]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contracts import GeneratedFile
from learning.engine import (
    find_template,  # noqa: E402
    signature,  # noqa: E402
)
from learning.library import seed_starters  # noqa: E402
from learning.match import RULES_KEY, normalize_stack, pattern_keys  # noqa: E402
from learning.parameterize import Slot, slot_text  # noqa: E402
from storage import TemplateRecord, TemplateStore, close_database, open_database  # noqa: E402

STACKS = [
    ["python", "fastapi"],
    ["python", "flask"],
    ["python", "django"],
    ["python", "sqlalchemy"],
    ["python", "pydantic"],
    ["python", "typer"],
    ["python", "httpx"],
    ["python", "celery"],
    ["python", "asyncio"],
    ["python", "pytest"],
    ["python", "alembic"],
    ["python", "aiohttp"],
    ["python", "fastapi", "sqlalchemy"],
    ["python", "fastapi", "postgresql"],
    ["python", "django", "celery"],
    ["python", "flask", "sqlalchemy"],
    ["python", "click"],
    ["python", "redis"],
    ["python", "boto3"],
    ["python", "pandas"],
    ["typescript", "express"],
    ["typescript", "nestjs"],
    ["go", "gin"],
    ["go", "chi"],
    ["java", "spring"],
    ["kotlin", "ktor"],
    ["rust", "axum"],
    ["ruby", "rails"],
    ["php", "laravel"],
    ["csharp", "aspnet"],
]
JOBS = [
    "CRUD API for {e} records",
    "Webhook receiver for {e} events with HMAC verification",
    "Webhook sender for {e} events",
    "Retrying REST client for the {e} API",
    "Model for {e}",
    "Schemas for {e}",
    "CLI command to import {e} records from CSV",
    "Background job to sync {e} records",
    "Tests for the {e} repository",
    "Repository for {e} records",
    "Search endpoint for {e} records",
    "Migration creating the {e} table",
    "Admin page for {e}",
    "Export {e} records to Excel",
    "Cache layer for {e} lookups",
    "Rate limiter for the {e} API",
    "Event consumer for {e} messages",
    "GraphQL resolver for {e}",
    "Report generator for {e} totals",
    "Audit log of {e} changes",
]
QUALIFIERS = """paginated cached versioned archived audited encrypted compressed streamed batched throttled
localized multitenant idempotent signed sorted deduplicated scheduled nightly hourly incremental async
readonly transactional optimistic soft-deleted tagged geocoded ranked summarized anonymized masked
exported imported mirrored replicated sharded partitioned bulk lazy eager websocket grpc graphql
redis-backed s3-backed kafka-backed metrics tracing healthcheck openapi swagger markdown templated""".split()
ENTITIES = """customer invoice vendor product shipment order payment contact employee ticket article room booking
warehouse supplier account member subscription coupon refund category tag comment review campaign lead
opportunity asset device sensor alarm course lesson student teacher patient appointment prescription claim
policy quote contract project milestone timesheet expense budget ledger journal vehicle driver trip""".split()
MULTI = [
    "purchase order",
    "sales invoice",
    "shipping address",
    "credit note",
    "delivery note",
    "bank account",
    "price list",
    "stock movement",
    "support ticket",
    "loyalty card",
]
UNSEEN_JOBS = [  # jobs no stored template does: realistic misses on a known stack
    "PDF renderer for {e} statements",
    "Slack notifier for {e} alerts",
    "OAuth login flow for {e} users",
    "Websocket feed of {e} updates",
    "Terraform module for {e} buckets",
    "Spreadsheet macro for {e} totals",
    "Email digest of new {e} entries",
    "Image thumbnailer for {e} photos",
]
NAMES = [[e] for e in ENTITIES] + [m.split() for m in MULTI]


def template_body(job: str) -> list[dict]:
    """A realistic templated file (~3 KB) with slot markers in several forms."""
    lines = [f'"""{job.format(e="⟦entity:title⟧")}."""', "from __future__ import annotations", ""]
    for i in range(12):
        lines += [
            f"def ⟦entity:snake⟧_step_{i}(⟦entity:snake⟧_id: int) -> dict:",
            f'    """Step {i} for one ⟦entity:words⟧."""',
            f'    return {{"id": ⟦entity:snake⟧_id, "kind": "⟦entity:kebab_plural⟧", "step": {i}}}',
            "",
        ]
    return [{"path": "app/⟦entity:snake_plural⟧.py", "content": "\n".join(lines)}]


def make_task(rng: random.Random) -> tuple[list[str], str]:
    stack = rng.choice(STACKS)
    quals = rng.sample(QUALIFIERS, rng.randint(1, 3))
    return stack, " ".join([*quals, rng.choice(JOBS)])


def make_record(stack: list[str], job: str, name: list[str], n: int) -> TemplateRecord | None:
    task = job.format(e=" ".join(name))
    stack_key = normalize_stack(stack)
    pattern = slot_text(task, [Slot(name="entity", words=name)])
    if "⟦entity:" not in pattern:
        return None
    files = template_body(job)
    sig = signature(stack_key, [GeneratedFile(**f) for f in files], 1)
    return TemplateRecord(
        id=f"tpl-{sig[:16]}",
        signature=sig,
        name=f"{stack_key}: {pattern}"[:200],
        stack_key=stack_key,
        source_task=task,
        skeleton=[pattern],
        slots=[{"name": "entity", "words": name}],
        files=files,
        source_provider="openai",
        source_model="gpt-4.1-mini",
        source_cost_usd=0.004,
        quality_score=95.0,
        keys=[*pattern_keys(stack_key, pattern), RULES_KEY],
    )


def fill(store: TemplateStore, size: int, rng: random.Random) -> list[tuple[list[str], str]]:
    """Add ``size`` templates with distinct signatures; return (stack, job) of each for hitting queries."""
    seen = {r.signature for r in store.list()}  # the starters
    records, made = [], []
    while len(records) < size:
        stack, job = make_task(rng)
        record = make_record(stack, job, rng.choice(NAMES), len(records))
        if record is None or record.signature in seen:
            continue
        seen.add(record.signature)
        records.append(record)
        made.append((stack, job))
    store.add_many(records)
    return made


def queries(made: list[tuple[list[str], str]], count: int, rng: random.Random) -> list[tuple[str, list[str], bool]]:
    """Half hitting (a stored job with a new name), half missing (an unseen job, or an unused stack)."""
    out = []
    for i in range(count):
        if i % 2 == 0:
            stack, job = rng.choice(made)
            out.append((job.format(e=" ".join(rng.choice(NAMES))), stack, True))
        elif i % 4 == 1:
            stack = rng.choice(STACKS)
            out.append((rng.choice(UNSEEN_JOBS).format(e=" ".join(rng.choice(NAMES))), stack, False))
        else:
            _, job = rng.choice(made)
            out.append((job.format(e=" ".join(rng.choice(NAMES))), ["elixir", "phoenix"], False))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def add_two_slot_templates(store: TemplateStore) -> None:
    """One template with two names on every stack: lookups then also read each request with two names."""
    records = []
    for stack in STACKS:
        stack_key = normalize_stack(stack)
        task = "Link table between invoice and vendor records"
        slots = [Slot(name="entity", words=["invoice"]), Slot(name="entity2", words=["vendor"])]
        pattern = slot_text(task, slots)
        lines = [
            "class ⟦entity:pascal⟧⟦entity2:pascal⟧Link:",
            "    ⟦entity:snake⟧_id: int",
            "    ⟦entity2:snake⟧_id: int",
        ]
        files = [{"path": "app/links.py", "content": "\n".join(lines)}]
        sig = signature(stack_key, [GeneratedFile(**f) for f in files], 2)
        records.append(
            TemplateRecord(
                id=f"tpl-{sig[:16]}",
                signature=sig,
                name=f"{stack_key}: {pattern}"[:200],
                stack_key=stack_key,
                source_task=task,
                skeleton=[pattern],
                slots=[s.model_dump() for s in slots],
                files=files,
                source_provider="openai",
                source_model="gpt-4.1-mini",
                source_cost_usd=0.004,
                quality_score=95.0,
                keys=[*pattern_keys(stack_key, pattern), RULES_KEY],
            )
        )
    store.add_many(records)


def run_size(size: int, n_queries: int, root: Path, two_slots: bool = False) -> str:
    rng = random.Random(size)
    path = root / f"scale-{size}.db"
    url = f"sqlite:///{path}"
    db = open_database(url)
    seed_starters(db)
    started = time.perf_counter()
    made = fill(TemplateStore(db), size, rng)
    if two_slots:
        add_two_slot_templates(TemplateStore(db))
    fill_s = time.perf_counter() - started
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    work = queries(made, n_queries, rng)
    for task, stack, _ in work[:20]:  # warm the page cache and statement caches
        find_template(db, task, stack)
    times, hits, wrong = [], 0, 0
    for task, stack, should_hit in work:
        t0 = time.perf_counter()
        fit = find_template(db, task, stack)
        times.append((time.perf_counter() - t0) * 1000)
        hits += fit is not None
        wrong += (fit is not None) != should_hit
    close_database(url)
    size_mb = sum(p.stat().st_size for p in root.glob(f"scale-{size}.db*")) / 1e6
    label = f"{size:>7,} templates{' + two-slot' if two_slots else ''}"
    return (
        f"{label} | fill {fill_s:6.1f} s | lookups {len(times)} ({hits} hit, "
        f"{wrong} not as planned) | p50 {statistics.median(times):6.2f} ms | p95 {percentile(times, 0.95):6.2f} ms"
        f" | db {size_mb:7.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument(
        "--two-slots",
        action="store_true",
        help="also a two-name template on every stack (requests are then read with two names too)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="q2o-scale-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            print(run_size(size, args.queries, Path(tmp), args.two_slots), flush=True)


if __name__ == "__main__":
    main()
