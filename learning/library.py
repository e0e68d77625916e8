"""The template library as a whole: export and import (all or nothing), statistics, the starter seed."""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from contracts import GeneratedFile
from learning.parameterize import OPEN, PLACEHOLDER, render
from learning.starters import STARTER_KEY_PREFIX
from settings import UsageError
from storage import Database, TemplateRecord, TemplateStore

EXPORT_FORMAT = "q2o-templates"
EXPORT_VERSION = 2  # 2: templates with phrasings and code-defined slots; 1 is re-derived on import


class TemplateStats(BaseModel):
    templates: int
    enabled: int
    uses: int
    average_quality: float | None
    by_source_provider: dict[str, int]
    dollars_saved: float = Field(description="Sum over templates of source generation cost x uses.")
    uses_with_unknown_cost: int = Field(description="Uses of templates whose source cost is unknown.")
    cache_hits: int = Field(default=0, description="Exact repeats served from the result cache.")
    cache_saved_usd: float = Field(default=0.0, description="What those repeats' answers cost when made.")


class ExportFile(BaseModel):
    format: str
    version: int
    templates: list[TemplateRecord]


def template_stats(db: Database) -> TemplateStats:
    from storage import ResultCache

    records = TemplateStore(db).list()
    hits, saved = ResultCache(db).totals()
    scores = [r.quality_score for r in records]
    return TemplateStats(
        templates=len(records),
        enabled=sum(r.enabled for r in records),
        uses=sum(r.usage_count for r in records),
        average_quality=round(sum(scores) / len(scores), 2) if scores else None,
        by_source_provider=dict(Counter(r.source_provider or r.origin for r in records)),
        dollars_saved=round(sum((r.source_cost_usd or 0.0) * r.usage_count for r in records), 6),
        # A use saves a generation; what that would have cost is known only from a source generation's cost, so
        # the uses of starters and hand-added templates (never generated) are unknown, as `q2o reports costs` says.
        uses_with_unknown_cost=sum(r.usage_count for r in records if r.source_cost_usd is None),
        cache_hits=hits,
        cache_saved_usd=round(saved, 6),
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
    _check_code(record)
    from learning.engine import signature

    files = [GeneratedFile(**f) for f in record.files]
    if record.signature != signature(record.stack_key, files, len(record.slots)):
        raise UsageError(f"template {record.id}: signature does not match its stack, code and slots")


def _check_code(record: TemplateRecord) -> None:
    """Rendered with its own names, a template's Python must parse and pass the security rules: a tampered or
    hand-edited file (``eval`` slipped in) is refused at import, not discovered at serving time."""
    import ast

    from validation.static import find_dangerous_code

    values = {s["name"]: list(s["words"]) for s in record.slots}
    for f in render([GeneratedFile(**f) for f in record.files], values):
        if not f.path.endswith(".py"):
            continue
        try:
            tree = ast.parse(f.content, filename=f.path)
        except SyntaxError as exc:
            raise UsageError(
                f"template {record.id}: {f.path} is not valid Python ({exc.msg}, line {exc.lineno})"
            ) from None
        flaws = find_dangerous_code(tree, f.path)
        if flaws:
            raise UsageError(
                f"template {record.id}: {f.path} line {flaws[0].line}: {flaws[0].message} ({flaws[0].rule})"
            )


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
    if data.format != EXPORT_FORMAT or data.version not in (1, EXPORT_VERSION):
        raise UsageError(f"{path}: not a {EXPORT_FORMAT} v1 or v{EXPORT_VERSION} file")
    if data.version == 1:  # made under the old rules: each template is re-derived, or the import refused
        from learning.parameterize import NotLearnable

        for i, record in enumerate(data.templates):
            try:
                data.templates[i] = _rederive(record)
            except (NotLearnable, ValueError) as exc:
                raise UsageError(
                    f"{path}: template {record.id} cannot be re-derived under the current rules: {exc}"
                ) from None
    for record in data.templates:
        _check(record)
        record.keys = record.keys or _phrasing_keys(record)
    return TemplateStore(db).replace_all(data.templates)


def _phrasing_keys(record: TemplateRecord) -> list[str]:
    from learning.match import RULES_KEY, pattern_keys

    return sorted({RULES_KEY} | {k for p in record.skeleton if OPEN in p for k in pattern_keys(record.stack_key, p)})


class Reindexed(BaseModel):
    total: int
    changed: int
    unchanged: int
    disabled: list[str] = Field(description="Templates the current rules cannot explain: disabled, never served.")


def _rederive(record: TemplateRecord, names: list[tuple[str, ...]] | None = None) -> TemplateRecord:
    """``record`` derived anew from its source task and the code it renders for its own names (its id, origin,
    counts and other phrasings kept), with ``names`` as its slots when given; ``NotLearnable`` when the current
    rules cannot explain it."""
    from learning.engine import build_record

    own = {s["name"]: list(s["words"]) for s in record.slots}
    source = render([GeneratedFile(**f) for f in record.files], own)
    fresh = build_record(record.source_task, record.stack_key.split(","), source, names=names)
    same_names = [s["words"] for s in fresh.slots] == [s["words"] for s in record.slots]
    # Other phrasings say the old slots: kept only when the slots are the same names (else their markers lie).
    kept = [p for p in record.skeleton if OPEN in p and p not in fresh.skeleton] if same_names else []
    fresh.skeleton = [*fresh.skeleton, *kept]
    # the keys a template's phrasings give, and those that say which template it is (a starter's slug: how its
    # next version finds it), which no derivation gives
    fresh.keys = sorted({*_phrasing_keys(fresh), *(k for k in record.keys if k.startswith(STARTER_KEY_PREFIX))})
    return fresh.model_copy(
        update={
            k: getattr(record, k)
            for k in (
                "id",
                "origin",
                "source_provider",
                "source_model",
                "source_call_id",
                "source_cost_usd",
                "quality_score",
                "usage_count",
                "failure_count",
                "enabled",
                "created_at",
                "last_used_at",
                "description",
            )
        }
    )


def correct_slot(db: Database, template_id: str, words: list[str]) -> TemplateRecord | None:
    """The one-slot template ``template_id`` learned anew with ``words`` as its slot, when a fit check read that
    name as the entity of the template's own task and the slot holds another ("status" of "a CSV of parking
    permits by status"): the template is corrected in place (id, counts, origin kept; the phrasings that said
    the wrong slot dropped). None, and nothing changed, when the code cannot be learned with that name. When
    the corrected code is a template already stored, the wrong one is switched off and the stored one returned."""
    from learning.parameterize import NotLearnable

    store = TemplateStore(db)
    record = store.get(template_id)
    if record is None or not record.enabled or len(record.slots) != 1:
        return None
    try:
        fresh = _rederive(record, names=[tuple(words)])
    except (NotLearnable, ValueError):
        return None
    if fresh.slots[0]["words"] == record.slots[0]["words"]:
        return None
    other = store.by_signature(fresh.signature)
    if other is not None and other.id != record.id:
        store.set_enabled(record.id, False)
        logging.getLogger("q2o.learning").info(
            "template %s switched off: its slot is not its entity %r; %s holds that", record.id, words, other.id
        )
        return other if other.enabled else None
    store.replace_all([fresh])
    logging.getLogger("q2o.learning").info(
        "template %s re-learned with the slot %r (was %r)", record.id, words, record.slots[0]["words"]
    )
    return store.get(record.id)


def reindex_templates(db: Database) -> Reindexed:
    """Re-derive every template from its source task and the code it renders for its own names, under the
    current rules (which names may be slots, how a task is read). A template the rules cannot explain (its
    names are no longer names the code defines, its renames are unsafe) is disabled and listed. Its other
    phrasings are kept when they still read as phrasings."""
    from learning.match import RULES_KEY
    from learning.parameterize import NotLearnable

    store = TemplateStore(db)
    changed: list[TemplateRecord] = []
    disabled: list[str] = []
    records = [r for r in (store.get(x.id) for x in store.list()) if r is not None]
    seen: set[str] = set()
    for record in records:
        try:
            fresh = _rederive(record)
        except (NotLearnable, ValueError) as exc:
            if record.enabled:
                store.set_enabled(record.id, False)
            store.add_keys(record.id, [RULES_KEY])  # judged under these rules: not re-derived at every start
            disabled.append(f"{record.id}: {exc}")
            continue
        if fresh.signature in seen:
            store.set_enabled(record.id, False)
            store.add_keys(record.id, [RULES_KEY])
            disabled.append(f"{record.id}: the same template as another one")
            continue
        seen.add(fresh.signature)
        same = (
            fresh.signature == record.signature
            and fresh.files == record.files
            and fresh.slots == record.slots
            and sorted(fresh.keys) == sorted(record.keys)
        )
        if not same:
            changed.append(fresh)
    if changed:
        store.replace_all(changed)
    return Reindexed(
        total=len(records),
        changed=len(changed),
        disabled=disabled,
        unchanged=len(records) - len(changed) - len(disabled),
    )


_seeded: set[str] = set()


def seed_starters(db: Database, shipped: list[tuple[str, TemplateRecord]] | None = None) -> int:
    """Add the starter library once per database: when it holds no starter yet (so a deleted one stays gone;
    disable a starter rather than delete it). Concurrent seeders are safe: one row per signature. A library seeded
    before holds the starters of its day: a starter shipped in a newer version replaces its older one
    (``refresh_starters``). ``shipped``: the (slug, record) pairs to seed, the shipped library by default."""
    if db.url in _seeded and shipped is None:
        return 0
    from learning.starters import named_starter_records

    store = TemplateStore(db)
    starters = shipped if shipped is not None else named_starter_records()
    added = 0
    if not store.has_origin("starter"):
        added = sum(store.add(record)[1] for _, record in starters)
    else:
        refresh_starters(db, starters)
    upgrade_templates(db)
    _seeded.add(db.url)
    return added


def refresh_starters(db: Database, shipped: list[tuple[str, TemplateRecord]]) -> list[str]:
    """Put each shipped starter in place of its older version in the library (found by its slug's key, or by
    the source task of an earlier version): enabled or disabled as that one was, with its phrasings and uses. A
    starter that was deleted stays gone; one whose version is stored already is left as it is. The ids of the
    starters replaced."""
    from learning.match import pattern_keys
    from learning.starters import EARLIER_TASKS, starter_key

    def version_of(slug: str, record: TemplateRecord, stored: TemplateRecord) -> bool:
        # its slug's key, or a task of this or an earlier version (a re-derivation before 2026-12-07 dropped the key)
        return starter_key(slug) in stored.keys or stored.source_task in (
            record.source_task,
            *EARLIER_TASKS.get(slug, ()),
        )

    store = TemplateStore(db)
    replaced = []
    older_starters: list[TemplateRecord] | None = None
    for slug, record in shipped:
        if (same := store.by_signature(record.signature)) is not None:
            if same.origin == "starter" and same.slots != record.slots:
                store.set_slots(same.id, record.slots)  # the same code, now known to take names of several words
            continue
        older = store.list(origin="starter") if older_starters is None else older_starters
        older_starters = older
        full = [store.get(t.id) for t in older if t.stack_key == record.stack_key]
        old = next((t for t in full if t is not None and version_of(slug, record, t)), None)
        if old is None:
            continue  # deleted, or never seeded here
        fresh = record.model_copy(update={"enabled": old.enabled, "usage_count": old.usage_count})
        if not store.delete(old.id) or not store.add(fresh)[1]:
            continue  # another process got there first
        for phrasing in old.skeleton:
            if [s["name"] for s in old.slots] == [s["name"] for s in fresh.slots]:
                store.add_phrasing(fresh.id, phrasing, pattern_keys(fresh.stack_key, phrasing))
        replaced.append(old.id)
        logging.getLogger("q2o.learning").info(
            "starter %s: replaced %s by its current version %s", slug, old.id, fresh.id
        )
    return replaced


def upgrade_templates(db: Database) -> Reindexed | None:
    """Templates stored under the old rules (a skeleton of terms, no phrasings) are re-derived once; those the
    current rules cannot explain are disabled and logged, never silently served. None when none was old."""
    from learning.match import RULES_KEY, slot_count_key

    store = TemplateStore(db)
    for record in store.without_key_prefix("n:"):  # stored before lookups asked for slot counts: add the key
        store.add_keys(record.id, [slot_count_key(record.stack_key, len(record.slots))])
    if not store.without_key_prefix(RULES_KEY):
        return None  # every template was derived under the current rules
    done = reindex_templates(db)
    log = logging.getLogger("q2o.learning")
    log.warning("re-derived %d templates stored under older rules; %d disabled", done.changed, len(done.disabled))
    for line in done.disabled:
        log.warning("disabled template %s", line)
    return done
