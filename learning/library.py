"""The template library as a whole: export and import (all or nothing), statistics, the starter seed."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from learning.parameterize import PLACEHOLDER, TemplateFile, render
from learning.skeleton import lookup_keys, signature
from settings import UsageError
from storage import Database, TemplateRecord, TemplateStore

EXPORT_FORMAT = "q2o-templates"
EXPORT_VERSION = 1


class TemplateStats(BaseModel):
    templates: int
    enabled: int
    uses: int
    average_quality: float | None
    by_source_provider: dict[str, int]
    dollars_saved: float = Field(description="Sum over templates of source generation cost x uses.")
    uses_with_unknown_cost: int = Field(description="Uses of templates whose source cost is unknown.")


class ExportFile(BaseModel):
    format: str
    version: int
    templates: list[TemplateRecord]


def template_stats(db: Database) -> TemplateStats:
    records = TemplateStore(db).list()
    scores = [r.quality_score for r in records]
    return TemplateStats(
        templates=len(records), enabled=sum(r.enabled for r in records), uses=sum(r.usage_count for r in records),
        average_quality=round(sum(scores) / len(scores), 2) if scores else None,
        by_source_provider=dict(Counter(r.source_provider or r.origin for r in records)),
        dollars_saved=round(sum((r.source_cost_usd or 0.0) * r.usage_count for r in records), 6),
        # Starter and hand-added templates were never generated, so no model cost is saved by their use, and
        # none is unknown either.
        uses_with_unknown_cost=sum(r.usage_count for r in records
                                   if r.source_cost_usd is None and r.origin == "learned"),
    )


def export_templates(db: Database, path: Path) -> int:
    records = TemplateStore(db).list()
    full = [TemplateStore(db).get(r.id) for r in records]
    payload = ExportFile(format=EXPORT_FORMAT, version=EXPORT_VERSION, templates=[r for r in full if r])
    path.write_text(payload.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return len(payload.templates)


def _check(record: TemplateRecord) -> None:
    slot_names = {s.get("name") for s in record.slots}
    if not slot_names or not all(isinstance(s.get("words"), list) and s["words"] for s in record.slots):
        raise UsageError(f"template {record.id}: slots must each have a name and words")
    for f in record.files:
        if not isinstance(f.get("path"), str) or not isinstance(f.get("content"), str):
            raise UsageError(f"template {record.id}: every file needs a path and a content string")
        used = {m.group(1) for m in PLACEHOLDER.finditer(f["path"] + f["content"])}
        if used - slot_names:
            raise UsageError(f"template {record.id}: uses undeclared slots {sorted(used - slot_names)}")
    if record.signature != signature(record.stack_key, record.skeleton):
        raise UsageError(f"template {record.id}: signature does not match its stack and skeleton")
    _check_code(record)


def _check_code(record: TemplateRecord) -> None:
    """Rendered with its own names, a template's Python must parse and pass the security rules: a tampered or
    hand-edited file (``eval`` slipped in) is refused at import, not discovered at serving time."""
    import ast

    from validation.static import find_dangerous_code

    values = {s["name"]: list(s["words"]) for s in record.slots}
    for f in render([TemplateFile(**f) for f in record.files], values):
        if not f.path.endswith(".py"):
            continue
        try:
            tree = ast.parse(f.content, filename=f.path)
        except SyntaxError as exc:
            raise UsageError(f"template {record.id}: {f.path} is not valid Python ({exc.msg}, line {exc.lineno})") \
                from None
        flaws = find_dangerous_code(tree, f.path)
        if flaws:
            raise UsageError(f"template {record.id}: {f.path} line {flaws[0].line}: {flaws[0].message} "
                             f"({flaws[0].rule})")


def import_templates(db: Database, path: Path) -> tuple[int, int]:
    """Read an export file: (added, replaced). A bad file changes nothing and raises ``UsageError`` saying why."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        data = ExportFile.model_validate(raw)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not JSON: {exc.msg} at line {exc.lineno}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise UsageError(f"{path}: {where}: {first['msg']}") from None
    if data.format != EXPORT_FORMAT or data.version != EXPORT_VERSION:
        raise UsageError(f"{path}: not a {EXPORT_FORMAT} v{EXPORT_VERSION} file")
    for record in data.templates:
        _check(record)
        record.keys = record.keys or lookup_keys(record.stack_key, record.skeleton)
    return TemplateStore(db).replace_all(data.templates)


def reindex_templates(db: Database) -> int:
    """Recompute every template's skeleton, signature and index keys from its source task and slots.

    The skeleton vocabulary (synonyms, tool words, verbs) grows between releases; templates stored under
    older rules would otherwise stop fitting the requests the new rules read. Templates whose source task
    no longer yields their slots keep their old index. Two templates that now share a signature: the more
    used one stays. Returns how many templates changed.
    """
    from learning.skeleton import skeleton_terms

    store = TemplateStore(db)
    changed, by_signature = [], {}
    def most_used_first(r: TemplateRecord) -> tuple[int, float, str]:
        return -r.usage_count, r.created_at.timestamp() if r.created_at else 0.0, r.id

    for listed in sorted(store.list(), key=most_used_first):
        record = store.get(listed.id)
        if record is None:
            continue
        bindings = {s["name"]: s["words"] for s in record.slots}
        terms = skeleton_terms(record.source_task, bindings, record.stack_key.split(","))
        if not record.source_task or sum(t.startswith("{") for t in terms) != len(bindings):
            by_signature.setdefault(record.signature, record)
            continue
        sig = signature(record.stack_key, terms)
        if sig in by_signature:
            continue  # a more used template already has this signature
        if sig != record.signature or terms != record.skeleton:
            record.skeleton, record.signature, record.keys = terms, sig, lookup_keys(record.stack_key, terms)
            changed.append(record)
        by_signature[sig] = record
    if changed:
        store.replace_all(changed)
    return len(changed)


_seeded: set[str] = set()


def seed_starters(db: Database) -> int:
    """Add the starter library once per database: when it holds no starter yet (so a deleted one stays gone;
    disable a starter rather than delete it). Concurrent seeders are safe: one row per signature."""
    if db.url in _seeded:
        return 0
    from learning.starters import starter_records

    store = TemplateStore(db)
    added = 0
    if not store.has_origin("starter"):
        added = sum(store.add(record)[1] for record in starter_records())
    _seeded.add(db.url)
    return added
