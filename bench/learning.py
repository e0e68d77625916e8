"""Quality of template learning, measured: our engine vs a semantic cache on one seeded workload.

Seven task families (a stack, three or more paraphrases, eight entities each, multi-word ones included)
plus near-miss tasks (same words with another stack or another job) run in a seeded random order through
the real ``generate_code`` flow against the provider simulator, scripted before each request to answer with
reference code for *that* task and entity. Every served answer is checked by its family's acceptance check.
The baseline (a fuzzy-text semantic cache returning stored code verbatim) runs on the same sequence.
Usage: python bench/learning.py [--seed 7] [--quiet]
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learning.forms import name_forms  # noqa: E402
from tests.sim import ProviderSim, Reply, code_answer  # noqa: E402

Forms = dict[str, str]


# --- reference code the "LLM" writes, per family -------------------------------------------------------------
def crud_router(f: Forms) -> dict[str, str]:
    return {f"app/routers/{f['snake_plural']}.py": f'''"""CRUD router for {f['words_plural']}."""
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

router = APIRouter(prefix="/{f['kebab_plural']}", tags=["{f['title_plural']}"])


class {f['pascal']}(BaseModel):
    """One {f['words']}."""

    id: int
    name: str


{f['upper_plural']}: dict[int, {f['pascal']}] = {{}}


@router.get("/")
async def list_{f['snake_plural']}() -> list[{f['pascal']}]:
    """Every {f['words']}."""
    return list({f['upper_plural']}.values())


@router.get("/{{{f['snake']}_id}}")
async def get_{f['snake']}({f['snake']}_id: int) -> {f['pascal']}:
    """One {f['words']}, or 404."""
    if {f['snake']}_id not in {f['upper_plural']}:
        raise HTTPException(404, "{f['sentence']} not found")
    return {f['upper_plural']}[{f['snake']}_id]


@router.post("/", status_code=201)
async def create_{f['snake']}({f['snake']}: {f['pascal']}) -> {f['pascal']}:
    """Store a new {f['words']}."""
    {f['upper_plural']}[{f['snake']}.id] = {f['snake']}
    return {f['snake']}


@router.delete("/{{{f['snake']}_id}}", status_code=204)
async def delete_{f['snake']}({f['snake']}_id: int) -> None:
    """Remove one {f['words']}."""
    {f['upper_plural']}.pop({f['snake']}_id, None)
'''}


def sqlalchemy_model(f: Forms) -> dict[str, str]:
    return {f"app/models/{f['snake']}.py": f'''"""SQLAlchemy model of a {f['words']}."""
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base."""


class {f['pascal']}(Base):
    """A {f['words']} row."""

    __tablename__ = "{f['snake_plural']}"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        """Debug form."""
        return f"{f['pascal']}(id={{self.id!r}})"
'''}


def pydantic_schemas(f: Forms) -> dict[str, str]:
    return {f"app/schemas/{f['snake']}.py": f'''"""Pydantic schemas of a {f['words']}."""
from pydantic import BaseModel, Field


class {f['pascal']}Base(BaseModel):
    """Fields every {f['words']} schema shares."""

    name: str = Field(min_length=1, max_length=200)


class {f['pascal']}Create({f['pascal']}Base):
    """Input to create a {f['words']}."""


class {f['pascal']}Read({f['pascal']}Base):
    """A stored {f['words']}."""

    id: int
'''}


def webhook_receiver(f: Forms) -> dict[str, str]:
    return {f"app/webhooks/{f['snake_plural']}.py": f'''"""Receive {f['words']} events, verified by HMAC-SHA256."""
import hashlib
import hmac

from fastapi import APIRouter, Header, HTTPException, Request

router = APIRouter(prefix="/webhooks/{f['kebab_plural']}")
SECRET = b"change-me"


def verify_{f['snake']}_signature(body: bytes, signature: str) -> bool:
    """Constant-time check of the sender's signature."""
    expected = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


@router.post("")
async def receive_{f['snake']}_event(request: Request, x_signature: str = Header()) -> dict[str, str]:
    """Accept one verified {f['words']} event."""
    body = await request.body()
    if not verify_{f['snake']}_signature(body, x_signature):
        raise HTTPException(401, "bad signature")
    return {{"status": "accepted"}}
'''}


def webhook_sender(f: Forms) -> dict[str, str]:
    path = f"app/webhooks/{f['snake']}_sender.py"
    return {path: f'''"""Send {f['words']} events to a subscriber, signed with HMAC-SHA256."""
import hashlib
import hmac
import json

import httpx


class {f['pascal']}WebhookSender:
    """Posts signed {f['words']} events."""

    def __init__(self, url: str, secret: bytes) -> None:
        self.url, self.secret = url, secret

    def send_{f['snake']}_event(self, event: dict) -> int:
        """Sign and post one event; return the HTTP status."""
        body = json.dumps(event).encode()
        signature = hmac.new(self.secret, body, hashlib.sha256).hexdigest()
        answer = httpx.post(self.url, content=body, headers={{"X-Signature": signature}}, timeout=10)
        return answer.status_code
'''}


def typer_import(f: Forms) -> dict[str, str]:
    return {f"app/cli/{f['snake_plural']}.py": f'''"""CLI: load {f['words_plural']} from a CSV file."""
import csv
from pathlib import Path

import typer

app = typer.Typer(help="{f['sentence']} tools.")


@app.command("import-{f['kebab_plural']}")
def import_{f['snake_plural']}(source: Path) -> None:
    """Read {f['words_plural']} from SOURCE and print how many there were."""
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    typer.echo(f"{{len(rows)}} {f['words_plural']} read")
'''}


def typer_export(f: Forms) -> dict[str, str]:
    return {f"app/cli/export_{f['snake_plural']}.py": f'''"""CLI: write {f['words_plural']} to a CSV file."""
import csv
from pathlib import Path

import typer

app = typer.Typer(help="{f['sentence']} export.")


@app.command("export-{f['kebab_plural']}")
def export_{f['snake_plural']}(target: Path) -> None:
    """Write every {f['words']} to TARGET."""
    with target.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(["id", "name"])
    typer.echo("{f['words_plural']} exported")
'''}


def retrying_client(f: Forms) -> dict[str, str]:
    return {f"app/clients/{f['snake']}_client.py": f'''"""A client for the {f['title']} API with retries and backoff."""
import time

import httpx


class {f['pascal']}Client:
    """Calls the {f['title']} API, retrying 429 and 5xx answers."""

    def __init__(self, base_url: str, attempts: int = 4) -> None:
        self.http, self.attempts = httpx.Client(base_url=base_url, timeout=10), attempts

    def get_{f['snake']}(self, {f['snake']}_id: str) -> dict:
        """One {f['words']} by id."""
        for attempt in range(self.attempts):
            answer = self.http.get(f"/{f['kebab_plural']}/{{{f['snake']}_id}}")
            if answer.status_code != 429 and answer.status_code < 500:
                answer.raise_for_status()
                return answer.json()
            time.sleep(0.5 * 2**attempt)
        raise RuntimeError("the {f['title']} API kept failing")
'''}


def flask_crud(f: Forms) -> dict[str, str]:
    return {f"app/{f['snake_plural']}.py": f'''"""Flask blueprint with CRUD for {f['words_plural']}."""
from flask import Blueprint, Response, abort, jsonify

bp = Blueprint("{f['snake_plural']}", __name__, url_prefix="/{f['kebab_plural']}")
{f['upper_plural']}: dict[int, dict] = {{}}


@bp.get("/<int:{f['snake']}_id>")
def get_{f['snake']}({f['snake']}_id: int) -> Response:
    """One {f['words']}, or 404."""
    if {f['snake']}_id not in {f['upper_plural']}:
        abort(404)
    return jsonify({f['upper_plural']}[{f['snake']}_id])
'''}


def django_model(f: Forms) -> dict[str, str]:
    return {f"{f['snake_plural']}/models.py": f'''"""Django model of a {f['words']}."""
from django.db import models


class {f['pascal']}(models.Model):
    """A {f['words']}."""

    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        """Display name."""
        return self.name
'''}


# --- families: stack, paraphrases, code, acceptance markers ------------------------------------------------
@dataclass(frozen=True)
class Family:
    name: str
    stack: tuple[str, ...]
    tasks: tuple[str, ...]
    code: Callable[[Forms], dict[str, str]]
    must: Callable[[Forms], list[str]]  # strings the served code must contain for this entity
    must_not: tuple[str, ...] = ()  # strings that betray another job
    entities: tuple[str, ...] = ()


FAMILIES = [
    Family("fastapi-crud", ("python", "fastapi"),
           ("CRUD API for {e} records", "REST endpoints to create, read, update and delete {E} entries",
            "FastAPI router with CRUD for {e} items", "Build a CRUD API for managing {e_plural}"),
           crud_router, lambda f: ["APIRouter", f"/{f['kebab_plural']}", f"def get_{f['snake']}("],
           ("Blueprint",),
           ("customer", "purchase order", "vendor", "shipping address", "product", "sales invoice", "warehouse",
            "credit note")),
    Family("sqlalchemy-model", ("python", "sqlalchemy"),
           ("SQLAlchemy model for {E}", "ORM model for the {e} table", "Write an SQLAlchemy model for {e_plural}"),
           sqlalchemy_model, lambda f: [f'__tablename__ = "{f["snake_plural"]}"', f"class {f['pascal']}("],
           ("models.Model",),
           ("invoice", "employee", "bank account", "ticket", "supplier", "delivery note", "project", "price list")),
    Family("pydantic-schemas", ("python", "pydantic"),
           ("Pydantic schemas for {E}", "Build pydantic schemas for {e} objects", "Schemas for {e_plural}"),
           pydantic_schemas, lambda f: [f"class {f['pascal']}Create(", f"class {f['pascal']}Read("], (),
           ("product", "purchase order", "member", "shipment", "sales invoice", "category", "coupon", "loyalty card")),
    Family("webhook-receiver", ("python", "fastapi"),
           ("Webhook receiver for {E} events with HMAC signature verification",
            "HMAC-verified webhook receiver for {e} events", "Receive {e} webhooks and verify their HMAC signature"),
           webhook_receiver, lambda f: ["compare_digest", f"{f['snake']}"], ("WebhookSender",),
           ("payment", "refund", "subscription", "shipment", "purchase order", "sales invoice", "customer",
            "stock movement")),
    Family("typer-import", ("python", "typer"),
           ("Typer CLI command to load {E} records from CSV", "Typer command that imports {e_plural} from a CSV file",
            "CLI command to import {e} records from CSV"),
           typer_import, lambda f: ["typer", f"import_{f['snake_plural']}", f"{f['words_plural']}"], ("export_",),
           ("supplier", "contact", "product", "price list", "employee", "shipping address", "asset", "lead")),
    Family("retrying-client", ("python", "httpx"),
           ("Retrying REST client for the {E} API", "HTTP client for the {E} API with retries and backoff",
            "Resilient API client for {e} endpoints with retries"),
           retrying_client, lambda f: [f"class {f['pascal']}", f"def get_{f['snake']}("], ("WebhookSender",),
           ("shipment", "payment", "weather report", "exchange rate", "customer", "invoice", "flight", "parcel")),
    Family("webhook-sender", ("python", "httpx"),
           ("Webhook sender for {E} events with HMAC signing", "Send signed {e} events to subscriber webhooks",
            "Outgoing webhook dispatcher for {e} events, HMAC-signed"),
           webhook_sender, lambda f: [f"class {f['pascal']}WebhookSender", "hmac.new"], ("compare_digest",),
           ("order", "refund", "shipment", "user signup", "sales invoice", "payment", "ticket", "delivery note")),
]
# Near misses: the same words with another stack or another job; a few entities each, checked like a family.
NEAR_MISSES = [
    Family("flask-crud", ("python", "flask"),
           ("CRUD API for {e} records", "Flask REST endpoints to create, read, update and delete {E} records"),
           flask_crud, lambda f: ["Blueprint", f"/{f['kebab_plural']}"], ("APIRouter",),
           ("customer", "purchase order", "warehouse")),
    Family("sender-on-fastapi", ("python", "fastapi"), ("Webhook sender for {E} events with HMAC signing",),
           webhook_sender, lambda f: [f"class {f['pascal']}WebhookSender"], ("compare_digest",),
           ("payment", "refund")),
    Family("receiver-on-httpx", ("python", "httpx"),
           ("Webhook receiver for {E} events with HMAC signature verification",),
           webhook_receiver, lambda f: ["compare_digest"], ("WebhookSender",), ("order", "shipment")),
    Family("typer-export", ("python", "typer"), ("Typer CLI command to export {E} records to CSV",),
           typer_export, lambda f: [f"export_{f['snake_plural']}"], ("import_",), ("supplier", "contact")),
    Family("django-model", ("python", "django"), ("Django model for {E}", "Django ORM model for the {e} table"),
           django_model, lambda f: ["models.Model", f"class {f['pascal']}("], ("__tablename__",),
           ("invoice", "employee")),
]
ALL_ENTITIES = sorted({e for fam in FAMILIES + NEAR_MISSES for e in fam.entities})


@dataclass
class Request:
    family: Family
    entity: str
    task: str

    @property
    def forms(self) -> Forms:
        return name_forms(self.entity.split())


@dataclass
class Outcome:
    requests: int = 0
    llm_calls: int = 0
    hits: int = 0
    sibling_requests: int = 0
    sibling_hits: int = 0
    false_hits: int = 0
    starter_hits: int = 0
    learned_hits: int = 0
    cost: float = 0.0
    no_reuse_cost: float = 0.0
    false_examples: list[str] = field(default_factory=list)


def workload(seed: int) -> list[Request]:
    rng = random.Random(seed)
    out = []
    for fam in FAMILIES + NEAR_MISSES:
        for entity in fam.entities:
            words = entity.split()
            phrase = rng.choice(fam.tasks)
            title = " ".join(w.capitalize() for w in words)
            plural = name_forms(words)["words_plural"]
            out.append(Request(fam, entity, phrase.format(e=entity, E=title, e_plural=plural)))
    rng.shuffle(out)
    return out


def _name_pattern(entity: str) -> re.Pattern[str]:
    """Another entity's name as code spells it: a class name, an id, a route (plain words like "order" may be
    ordinary English in correct code: "sort order")."""
    f = name_forms(entity.split())
    forms = {f["pascal"], f["pascal_plural"], f"{f['snake']}_id", f"/{f['kebab_plural']}", f"{f['snake_plural']}"}
    return re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(re.escape(x) for x in sorted(forms, key=len, reverse=True))
                      + r")(?![a-z0-9_])")


FOREIGN = {e: _name_pattern(e) for e in ALL_ENTITIES}


def accepted(request: Request, files: dict[str, str]) -> bool:
    """The family's check for the requested entity: its markers, no other job's markers, no other entity."""
    text = "\n".join(f"# {path}\n{content}" for path, content in files.items())
    if not all(m in text for m in request.family.must(request.forms)):
        return False
    if any(m in text for m in request.family.must_not):
        return False
    mine = set(request.entity.split())
    for other, pattern in FOREIGN.items():
        if mine & set(other.split()):
            continue  # "invoice" and "sales invoice": the family's own markers tell them apart
        if pattern.search(text):
            return False
    return True


APPROVE = Reply(json={"issues": [], "severity": "none", "recommendation": "approve", "score": 96},
                input_tokens=900, output_tokens=60)


def answer_tokens(files: dict[str, str]) -> tuple[int, int]:
    """Tokens the simulated answer reports: a prompt of ~350 tokens, the code at ~4 characters a token."""
    return 350, sum(len(c) for c in files.values()) // 4


# --- the baseline: a semantic cache on the task text ---------------------------------------------------------
def semantic_cache(requests: list[Request], price: Callable[[int, int], float]) -> Outcome:
    out = Outcome()
    cache: list[tuple[str, dict[str, str]]] = []
    seen: set[str] = set()
    for req in requests:
        key = f"{','.join(req.family.stack)}: {req.task.lower()}"
        truth = req.family.code(req.forms)
        cost = price(*answer_tokens(truth))
        out.requests += 1
        out.no_reuse_cost += cost
        has_sibling = req.family.name in seen
        seen.add(req.family.name)
        out.sibling_requests += has_sibling
        best = max(cache, key=lambda c: difflib.SequenceMatcher(None, key, c[0]).ratio(), default=None)
        if best is not None and difflib.SequenceMatcher(None, key, best[0]).ratio() >= 0.8:
            out.hits += 1
            out.sibling_hits += has_sibling
            if not accepted(req, best[1]):
                out.false_hits += 1
                out.false_examples.append(f"{req.task!r} served the code of {best[0]!r}")
            continue
        out.llm_calls += 1
        out.cost += cost
        cache.append((key, truth))
    return out


# --- our engine: the real flow ---------------------------------------------------------------------------------
async def engine_run(requests: list[Request], sim: ProviderSim, price: Callable[[int, int], float],
                     verbose: bool, starters: bool, database_url: str) -> Outcome:
    """The workload through ``generate_code`` on a fresh database; ``starters=False`` disables the starter
    library first, so every hit is a template learned during the run."""
    from sqlalchemy import text

    from codegen.models import CodeRequest
    from flows.generate_code import generate_code
    from learning.library import seed_starters
    from storage import TemplateStore, open_database

    os.environ["Q2O_DATABASE_URL"] = database_url
    db = open_database(database_url)
    store = TemplateStore(db)
    seed_starters(db)
    if not starters:
        for record in store.list():
            if record.origin == "starter":
                store.set_enabled(record.id, False)
    out = Outcome()
    seen: set[str] = set()
    for i, req in enumerate(requests, 1):
        truth = req.family.code(req.forms)
        tokens = answer_tokens(truth)
        reply = Reply(text=code_answer(truth), input_tokens=tokens[0], output_tokens=tokens[1])
        for provider in ("gemini", "openai", "anthropic"):
            sim.default[provider] = reply
            # Security-sensitive families (webhooks, HMAC) are cross-reviewed: the reviewer approves the
            # reference code. Review calls are LLM calls and count in the figures below.
            sim.structured_default[provider] = APPROVE
        before = len(sim.requests)
        result = await generate_code(CodeRequest(task=req.task, stack=list(req.family.stack), project="bench"))
        calls = len(sim.requests) - before
        out.requests += 1
        out.llm_calls += calls
        out.no_reuse_cost += price(*tokens)
        has_sibling = req.family.name in seen
        seen.add(req.family.name)
        out.sibling_requests += has_sibling
        status = "llm"
        if result.source == "template":
            record = store.get(result.template_id or "")
            origin = record.origin if record else "?"
            out.hits += 1
            out.sibling_hits += has_sibling
            out.starter_hits += origin == "starter"
            out.learned_hits += origin != "starter"
            status = f"hit ({origin})"
            if not accepted(req, {f.path: f.content for f in result.files}):
                out.false_hits += 1
                status = f"FALSE HIT ({origin})"
                out.false_examples.append(f"{req.task!r} [{req.family.name}] served {result.template_id}")
        elif result.status != "succeeded":
            status = f"failed: {result.error}"
        if verbose:
            print(f"  {i:>3} {status:<16} {req.family.name:<18} {req.task}", flush=True)
    with db.engine.connect() as conn:
        out.cost = float(conn.execute(text("SELECT COALESCE(SUM(cost_usd), 0) FROM calls")).scalar() or 0)
    return out


def report(name: str, o: Outcome) -> str:
    rate = o.sibling_hits / o.sibling_requests if o.sibling_requests else 0.0
    rel = o.cost / o.no_reuse_cost if o.no_reuse_cost else 0.0
    extra = f" (starter {o.starter_hits}, learned {o.learned_hits})" if name.startswith("q2o") else ""
    return (f"{name:<16} requests {o.requests:>3} | LLM calls {o.llm_calls:>3} | hits {o.hits:>3}{extra} | "
            f"hit rate (with earlier sibling) {rate:6.1%} [{o.sibling_hits}/{o.sibling_requests}] | "
            f"false hits {o.false_hits:>2} | LLM cost vs no reuse {rel:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quiet", action="store_true", help="do not print every request")
    parser.add_argument("--starters", choices=("off", "on", "both"), default="both",
                        help="run the engine with the starter library disabled (learning only), enabled, or both")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="q2o-bench-learning-")
    os.environ.update({"Q2O_HOME": home, "PREFECT_HOME": f"{home}/prefect", "PREFECT_LOGGING_LEVEL": "WARNING",
                       "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "Q2O_BACKOFF_SECONDS": "0.05"})
    for name in ("Q2O_DATABASE_URL", "PREFECT_API_URL", "Q2O_CHAIN"):
        os.environ.pop(name, None)
    from providers.pricing import cost_usd
    from settings import load_settings

    requests = workload(args.seed)
    with ProviderSim() as sim:
        for provider in ("gemini", "openai", "anthropic"):
            os.environ[f"Q2O_{provider.upper()}_BASE_URL"] = sim.base_url(provider)
            os.environ[{"gemini": "GEMINI_API_KEY", "openai": "OPENAI_API_KEY",
                        "anthropic": "ANTHROPIC_API_KEY"}[provider]] = "bench-key"
        model = load_settings().model_for(load_settings().chain[0])

        def price(tokens_in: int, tokens_out: int) -> float:
            return float(cost_usd(model, tokens_in, tokens_out) or 0.0)

        modes = {"off": [False], "on": [True], "both": [False, True]}[args.starters]

        async def run_all() -> list[tuple[str, Outcome, float]]:
            done = []
            for with_starters in modes:
                label = "q2o (+starters)" if with_starters else "q2o (learning)"
                if not args.quiet:
                    print(f"{label}:", flush=True)
                started = time.perf_counter()
                url = f"sqlite:///{home}/{'with' if with_starters else 'without'}-starters.db"
                outcome = await engine_run(requests, sim, price, not args.quiet, with_starters, url)
                done.append((label, outcome, time.perf_counter() - started))
            return done

        runs = asyncio.run(run_all())
    baseline = semantic_cache(requests, price)
    families = len(FAMILIES)
    print(f"workload: {len(requests)} requests, {families} families x 8 entities + {len(requests) - families * 8} "
          f"near misses, seed {args.seed}; through generate_code in " + ", ".join(f"{t:.0f} s" for *_, t in runs))
    for label, outcome, _ in runs:
        print(report(label, outcome))
    print(report("semantic cache", baseline))
    for label, o in [*((lab, out) for lab, out, _ in runs), ("semantic cache", baseline)]:
        for example in o.false_examples[:5]:
            print(f"  false hit ({label}): {example}")


if __name__ == "__main__":
    main()
