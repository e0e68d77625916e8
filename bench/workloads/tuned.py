"""The tuned workload: the seven families the first engine was built against (kept to show what tuning looks like).

Reference code per family, paraphrases, entities and acceptance markers, in the interface of
``bench/workloads/holdout.py``: ``forms``, ``Family``, ``FAMILIES``, ``NEAR_MISSES``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from learning.forms import name_forms  # noqa: E402

Forms = dict[str, str]


def forms(entity: str) -> Forms:
    return name_forms(entity.split())


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
    base: str | None = None
    sensitive: bool = False


FAMILIES = [
    Family("fastapi-crud", ("python", "fastapi"),
           ("CRUD API for {words} records", "REST endpoints to create, read, update and delete {title} entries",
            "FastAPI router with CRUD for {words} items", "Build a CRUD API for managing {words_plural}"),
           crud_router, lambda f: ["APIRouter", f"/{f['kebab_plural']}", f"def get_{f['snake']}("],
           ("Blueprint",),
           ("customer", "purchase order", "vendor", "shipping address", "product", "sales invoice", "warehouse",
            "credit note")),
    Family("sqlalchemy-model", ("python", "sqlalchemy"),
           ("SQLAlchemy model for {title}", "ORM model for the {words} table", "Write an SQLAlchemy model for {words_plural}"),
           sqlalchemy_model, lambda f: [f'__tablename__ = "{f["snake_plural"]}"', f"class {f['pascal']}("],
           ("models.Model",),
           ("invoice", "employee", "bank account", "ticket", "supplier", "delivery note", "project", "price list")),
    Family("pydantic-schemas", ("python", "pydantic"),
           ("Pydantic schemas for {title}", "Build pydantic schemas for {words} objects", "Schemas for {words_plural}"),
           pydantic_schemas, lambda f: [f"class {f['pascal']}Create(", f"class {f['pascal']}Read("], (),
           ("product", "purchase order", "member", "shipment", "sales invoice", "category", "coupon", "loyalty card")),
    Family("webhook-receiver", ("python", "fastapi"),
           ("Webhook receiver for {title} events with HMAC signature verification",
            "HMAC-verified webhook receiver for {words} events", "Receive {words} webhooks and verify their HMAC signature"),
           webhook_receiver, lambda f: ["compare_digest", f"{f['snake']}"], ("WebhookSender",),
           ("payment", "refund", "subscription", "shipment", "purchase order", "sales invoice", "customer",
            "stock movement")),
    Family("typer-import", ("python", "typer"),
           ("Typer CLI command to load {title} records from CSV", "Typer command that imports {words_plural} from a CSV file",
            "CLI command to import {words} records from CSV"),
           typer_import, lambda f: ["typer", f"import_{f['snake_plural']}", f"{f['words_plural']}"], ("export_",),
           ("supplier", "contact", "product", "price list", "employee", "shipping address", "asset", "lead")),
    Family("retrying-client", ("python", "httpx"),
           ("Retrying REST client for the {title} API", "HTTP client for the {title} API with retries and backoff",
            "Resilient API client for {words} endpoints with retries"),
           retrying_client, lambda f: [f"class {f['pascal']}", f"def get_{f['snake']}("], ("WebhookSender",),
           ("shipment", "payment", "weather report", "exchange rate", "customer", "invoice", "flight", "parcel")),
    Family("webhook-sender", ("python", "httpx"),
           ("Webhook sender for {title} events with HMAC signing", "Send signed {words} events to subscriber webhooks",
            "Outgoing webhook dispatcher for {words} events, HMAC-signed"),
           webhook_sender, lambda f: [f"class {f['pascal']}WebhookSender", "hmac.new"], ("compare_digest",),
           ("order", "refund", "shipment", "user signup", "sales invoice", "payment", "ticket", "delivery note")),
]
# Near misses: the same words with another stack or another job; a few entities each, checked like a family.
NEAR_MISSES = [
    Family("flask-crud", ("python", "flask"),
           ("CRUD API for {words} records", "Flask REST endpoints to create, read, update and delete {title} records"),
           flask_crud, lambda f: ["Blueprint", f"/{f['kebab_plural']}"], ("APIRouter",),
           ("customer", "purchase order", "warehouse")),
    Family("sender-on-fastapi", ("python", "fastapi"), ("Webhook sender for {title} events with HMAC signing",),
           webhook_sender, lambda f: [f"class {f['pascal']}WebhookSender"], ("compare_digest",),
           ("payment", "refund")),
    Family("receiver-on-httpx", ("python", "httpx"),
           ("Webhook receiver for {title} events with HMAC signature verification",),
           webhook_receiver, lambda f: ["compare_digest"], ("WebhookSender",), ("order", "shipment")),
    Family("typer-export", ("python", "typer"), ("Typer CLI command to export {title} records to CSV",),
           typer_export, lambda f: [f"export_{f['snake_plural']}"], ("import_",), ("supplier", "contact")),
    Family("django-model", ("python", "django"), ("Django model for {title}", "Django ORM model for the {words} table"),
           django_model, lambda f: ["models.Model", f"class {f['pascal']}("], ("__tablename__",),
           ("invoice", "employee")),
]
