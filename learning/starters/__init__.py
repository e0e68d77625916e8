"""The starter library: hand-written templates shipped with Q2O Forge, so a fresh install serves common
tasks without an API key. Each starter is a folder ``<slug>/`` with ``starter.toml`` (task, stack,
description) and ``files/`` holding the example code at its relative paths.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from contracts import GeneratedFile
from learning.engine import build_record
from learning.parameterize import NotLearnable
from storage import TemplateRecord

STARTERS_DIR = Path(__file__).parent
_SKIPPED_PARTS = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"})


class StarterError(ValueError):
    """A starter folder is malformed, or its code cannot become a template; the message names the starter."""


def _read_manifest(folder: Path) -> tuple[str, list[str], str]:
    try:
        manifest = tomllib.loads((folder / "starter.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StarterError(f"starter {folder.name}: cannot read starter.toml: {exc}") from exc
    task, stack, description = manifest.get("task"), manifest.get("stack"), manifest.get("description", "")
    if not isinstance(task, str) or not task.strip():
        raise StarterError(f"starter {folder.name}: 'task' must be a non-empty string")
    if not isinstance(stack, list) or not stack or not all(isinstance(s, str) and s.strip() for s in stack):
        raise StarterError(f"starter {folder.name}: 'stack' must be a non-empty list of strings")
    if not isinstance(description, str):
        raise StarterError(f"starter {folder.name}: 'description' must be a string")
    return task, stack, description


def _read_files(folder: Path) -> list[GeneratedFile]:
    root = folder / "files"
    paths = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix != ".pyc" and not _SKIPPED_PARTS & set(p.relative_to(root).parts)
    )
    if not paths:
        raise StarterError(f"starter {folder.name}: no files under files/")
    return [GeneratedFile(path=p.relative_to(root).as_posix(), content=p.read_text(encoding="utf-8")) for p in paths]


def _starter_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "starter.toml").is_file())


def load_named_starters(root: Path = STARTERS_DIR) -> list[tuple[str, str, list[str], str, list[GeneratedFile]]]:
    """Every starter under ``root`` as (slug, task, stack, description, files), by slug; files by path."""
    return [(folder.name, *_read_manifest(folder), _read_files(folder)) for folder in _starter_folders(root)]


def load_starters() -> list[tuple[str, list[str], str, list[GeneratedFile]]]:
    """Every shipped starter as (task, stack, description, files), sorted by folder name; files by path."""
    return [(task, stack, description, files) for _, task, stack, description, files in load_named_starters()]


# The source tasks of earlier versions of a starter, by slug: a library seeded with one of them gets the current
# version in its place (``learning.library.seed_starters``). Versions from now on carry their slug as a key.
EARLIER_TASKS: dict[str, tuple[str, ...]] = {
    "asyncio-background-sync": ("Periodic background job to sync Contact records",),
    "django-model-admin": ("Django model for Article",),
    "fastapi-crud-router": ("CRUD API for Customer records",),
    "fastapi-webhook-receiver": ("Webhook receiver for Payment events with HMAC signature verification",),
    "flask-crud-blueprint": ("CRUD API for Customer records",),
    "httpx-retrying-client": ("Retrying REST client for the Shipment API",),
    "httpx-webhook-sender": ("Webhook sender for Order events with HMAC signing",),
    "typer-csv-import": ("Typer CLI command to load Supplier records from CSV",),
}


STARTER_KEY_PREFIX = "starter:"


def starter_key(slug: str) -> str:
    """The index key every version of a starter holds: how a newer version finds the one it replaces."""
    return f"{STARTER_KEY_PREFIX}{slug}"


def starter_records(root: Path = STARTERS_DIR) -> list[TemplateRecord]:
    """The starters under ``root`` as storable templates (origin ``starter``, quality 100, their slug's key).

    Raises ``StarterError`` naming the starter if one is malformed or cannot be parameterized.
    """
    return [record for _, record in named_starter_records(root)]


def named_starter_records(root: Path = STARTERS_DIR) -> list[tuple[str, TemplateRecord]]:
    """``starter_records`` with each starter's slug."""
    records = []
    for slug, task, stack, description, files in load_named_starters(root):
        try:
            record = build_record(task, stack, files, description=description, origin="starter", quality_score=100.0)
        except NotLearnable as exc:
            raise StarterError(f"starter {slug} ({task!r}) cannot be parameterized: {exc}") from exc
        records.append((slug, record.model_copy(update={"keys": [*record.keys, starter_key(slug)]})))
    return records
