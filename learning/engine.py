"""The learning engine: learn a template from a good generation, find and render one for a request.

Ties parameterize (code -> template) and match (task -> fit) to the template store. A template is one
slotted code (its signature); each task it was learned or confirmed for is one of its phrasings.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from functools import lru_cache
from typing import TypedDict, Unpack

from pydantic import BaseModel, Field

from contracts import GeneratedFile
from learning.forms import plural_unsure, singularize, split_words
from learning.match import (
    RULES_KEY,
    bind_name,
    descriptor_key,
    exact_key,
    normalize_stack,
    open_after,
    pattern_keys,
    readings,
    requirements,
    slot_count_key,
    stack_words,
    word_keys,
)
from learning.parameterize import (
    OPEN,
    PLACEHOLDER,
    NotLearnable,
    Slot,
    check_render,
    parameterize,
    render,
    safe_value,
    slot_text,
)
from learning.words import stem, tokens
from storage import Database, KeyMatch, TemplateRecord, TemplateStore


class LearnOutcome(BaseModel):
    """What the learn step did."""

    learned: bool
    template_id: str | None = None
    created: bool = False
    reason: str = ""


class TemplateMatch(BaseModel):
    """A template that fits a request, rendered with the request's names."""

    template_id: str
    score: float
    bindings: dict[str, list[str]]
    files: list[GeneratedFile] = Field(default_factory=list)
    via: str = Field(default="local", description="'local' (same requirements) or 'fit' (a fit check said so).")
    pattern: str = Field(default="", description="The request as a phrasing of the template.")


class FitCandidate(BaseModel):
    """A template that may fit a request said in other words: the fit check decides (and may name the entity
    where the request's words alone do not show it)."""

    template_id: str
    slot: str
    source_task: str
    bindings: dict[str, list[str]] | None = None
    words: list[str] = Field(default_factory=list, description="The name the slot held in the source task.")


class TemplateSource(TypedDict, total=False):
    """Where a template came from, stored on its record (these are ``TemplateRecord`` fields)."""

    origin: str
    quality_score: float
    source_provider: str | None
    source_model: str | None
    source_call_id: int | None
    source_cost_usd: float | None


def signature(stack_key: str, files: list[GeneratedFile], slots: int) -> str:
    body = "\x1f".join(f"{f.path}\x1e{f.content}" for f in files)
    return hashlib.sha1(f"{stack_key}\x1f{slots}\x1f{body}".encode()).hexdigest()[:32]  # noqa: S324 - a key


def build_record(
    task: str,
    stack: list[str],
    files: list[GeneratedFile],
    *,
    names: list[tuple[str, ...]] | None = None,
    description: str = "",
    **source: Unpack[TemplateSource],
) -> TemplateRecord:
    """The storable template for ``files`` (``NotLearnable`` when it cannot be parameterized).

    ``names``: the names to make slots of, instead of those the task and code show.
    """
    stack_key = normalize_stack(stack)
    draft = parameterize(task, files, names=names, tools=stack_words(stack_key))
    reqs = requirements(draft.pattern, stack_key)
    if exact_key(stack_key, reqs) not in {r.key for r in readings(task, stack_key)}:
        raise NotLearnable("matching cannot read these names back from the task")
    sig = signature(stack_key, draft.files, len(draft.slots))
    return TemplateRecord(
        id=f"tpl-{sig[:16]}",
        signature=sig,
        name=f"{stack_key}: {draft.pattern}"[:200],
        description=description or task[:500],
        stack_key=stack_key,
        source_task=task,
        skeleton=[draft.pattern],
        slots=[s.model_dump() for s in draft.slots],
        files=[f.model_dump() for f in draft.files],
        keys=[*pattern_keys(stack_key, draft.pattern), RULES_KEY],
        **source,
    )


def learn_template(
    db: Database,
    task: str,
    stack: list[str],
    files: list[GeneratedFile],
    *,
    names: list[tuple[str, ...]] | None = None,
    **source: Unpack[TemplateSource],
) -> LearnOutcome:
    """Learn from a validated generation: a new template, or a new phrasing of the template with this code."""
    try:
        record = build_record(task, stack, files, names=names, **source)
    except NotLearnable as exc:
        return LearnOutcome(learned=False, reason=str(exc))
    store = TemplateStore(db)
    if not record.slots[0].get("multiword", True) and (twin := _twin_of(store, record, multiword=True)) is not None:
        # The code a template of several-word names already holds, learned from a one-word name: one more
        # phrasing of that template, not a second template that refuses several-word names.
        store.add_phrasing(twin.id, record.skeleton[0], record.keys)
        return LearnOutcome(
            learned=True,
            template_id=twin.id,
            created=False,
            reason="a template with this code for names of several words exists; the task is one more phrasing of it",
        )
    stored, created = store.add(record)
    if created and stored.slots[0].get("multiword", True) and len(stored.slots) == 1:
        while (old := _twin_of(store, stored, multiword=False)) is not None:
            _absorb(store, stored, old)
    if not created:
        store.add_phrasing(stored.id, record.skeleton[0], record.keys)
        shown = [s["name"] for s in record.slots if len(s["words"]) > 1]
        if any(not s.get("multiword", True) for s in stored.slots if s["name"] in shown):
            # the same code from a name of several words shows every form: the guess was right
            store.set_slots(stored.id, [{**s, "multiword": True} if s["name"] in shown else s for s in stored.slots])
        return LearnOutcome(
            learned=True,
            template_id=stored.id,
            created=False,
            reason="a template with this code exists; the task is one more phrasing of it",
        )
    return LearnOutcome(learned=True, template_id=stored.id, created=True, reason="learned")


def _one_word_render(record: TemplateRecord) -> tuple[tuple[str, str], ...] | None:
    """The template's code for a one-word name (of one slot only): two templates with the same one are the same
    code, one of them learned from a one-word name (whose forms for several words it could only guess)."""
    if len(record.slots) != 1:
        return None
    try:
        rendered = render([GeneratedFile(**f) for f in record.files], {record.slots[0]["name"]: ["probe"]})
    except NotLearnable:
        return None
    return tuple((f.path, f.content) for f in rendered)


def _twin_of(store: TemplateStore, record: TemplateRecord, *, multiword: bool) -> TemplateRecord | None:
    """An enabled template of the record's stack and slot, another one, with the same one-word code, whose slot
    takes names of several words (``multiword``) or does not."""
    probe = _one_word_render(record)
    if probe is None:
        return None
    slot = record.slots[0]["name"]
    reqs = {r for p in record.skeleton for r in requirements(p, record.stack_key) if not r.startswith(OPEN)}
    for other in store.candidates(record.stack_key, word_keys(record.stack_key, sorted(reqs)), limit=50):
        if (
            other.id != record.id
            and [s["name"] for s in other.slots] == [slot]
            and other.slots[0].get("multiword", True) == multiword
            and _one_word_render(other) == probe
        ):
            return other
    return None


def _absorb(store: TemplateStore, into: TemplateRecord, old: TemplateRecord) -> None:
    """``old`` (learned from a one-word name) is ``into`` for every one-word name and could not take others: its
    phrasings become ``into``'s and it is switched off."""
    for phrasing in old.skeleton:
        store.add_phrasing(into.id, phrasing, pattern_keys(into.stack_key, phrasing))
    store.set_enabled(old.id, False)


def _writes_plural(f: GeneratedFile, slot: str) -> bool:
    """Whether the file (its path or code) writes the plural of ``slot``'s name somewhere."""
    text = f"{f.path}\n{f.content}"
    return any(m.group(1) == slot and m.group(2).endswith("_plural") for m in PLACEHOLDER.finditer(text))


def _render_checked(template: TemplateRecord, bindings: dict[str, list[str]]) -> list[GeneratedFile] | None:
    """The template rendered with ``bindings``, or None when the render may not be served (see check_render)."""
    files = [GeneratedFile(**f) for f in template.files]
    own = {s["name"]: s["words"] for s in template.slots}
    if set(bindings) != set(own) or not all(safe_value(v) for v in bindings.values()):
        return None
    if any(not s.get("multiword", True) and len(bindings[s["name"]]) > 1 for s in template.slots):
        return None  # learned from one-word names only: how it writes a name of several words is a guess
    for slot, words in bindings.items():
        if words != own[slot] and plural_unsure(words) and any(_writes_plural(f, slot) for f in files):
            return None  # "vertexes" or "vertices": where the code writes the name's plural, a guess
    try:
        rendered = render(files, bindings)
        source = render(files, own)
    except NotLearnable:
        return None
    return None if check_render(source, rendered) else rendered


def find_template(db: Database, task: str, stack: list[str]) -> TemplateMatch | None:
    """The enabled template whose phrasing leaves exactly the requirements this task leaves, rendered with the
    task's names; None when none does, or when two readings of the task fit differently (unsure: miss)."""
    from learning.library import seed_starters

    seed_starters(db)
    stack_key = normalize_stack(stack)
    store = TemplateStore(db)
    counts = {slot_count_key(stack_key, n): n for n in (1, 2, 3)}
    options = readings(task, stack_key, tuple(sorted(counts[k] for k in store.held_keys(sorted(counts)))))
    by_key: dict[str, list[dict[str, list[str]]]] = {}
    patterns: dict[tuple[str, str], str] = {}
    for reading in options:
        by_key.setdefault(reading.key, []).append(reading.bindings)
        patterns[(reading.key, _binding_key(reading.bindings))] = reading.pattern
    cap = 100
    matches = store.key_matches(stack_key, sorted(by_key), cap=cap)
    if len(matches) >= cap:
        return None  # more templates than one look can weigh: unsure, miss
    fits: list[tuple[KeyMatch, dict[str, list[str]]]] = [
        (m, b) for m in matches for b in by_key[m.key] if set(b) == m.slot_names
    ]
    if len({tuple((k, tuple(v)) for k, v in sorted(b.items())) for _, b in fits}) != 1:
        return None
    best, bindings = min(fits, key=lambda f: (-f[0].quality_score, -f[0].usage_count, f[0].template_id))
    template = store.get(best.template_id, keys=False)
    if template is None or not template.enabled:
        return None
    pattern = patterns[(best.key, _binding_key(bindings))]
    if not _forms_agree(template, best.key, pattern, bindings) or _edge_unsure(store, pattern, bindings):
        return None
    rendered = _render_checked(template, bindings)
    if rendered is None:
        return None
    return TemplateMatch(
        template_id=template.id,
        score=1.0,
        bindings=bindings,
        files=rendered,
        via="local",
        pattern=slot_text(task, [Slot(name=k, words=v) for k, v in bindings.items()]),
    )


def _edge_unsure(store: TemplateStore, pattern: str, bindings: dict[str, list[str]]) -> bool:
    """A name of several words, written as words, that nothing of the request closes on its right and whose last
    word some phrasing of the library writes right after a name ("the invoice table", "the Vendor records"):
    that word may be the sentence's, not the name's (``class InvoiceTable`` for the invoices). Unsure: a miss
    (with a provider the fit check reads the name). A name written as one identifier (``InvoiceTable``) is
    what the request calls it."""
    for slot, words in bindings.items():
        forms = [key for name, key in _sites(pattern) if name == slot]
        spaced = bool(forms) and all(k.removesuffix("_plural") in ("words", "title", "sentence") for k in forms)
        if len(words) > 1 and spaced and open_after(pattern, slot) and store.held_keys([descriptor_key(words[-1])]):
            return True
    return False


def _binding_key(bindings: dict[str, list[str]]) -> str:
    return "\x1f".join(f"{k}={' '.join(v)}" for k, v in sorted(bindings.items()))


def _sites(pattern: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(pattern)]


def _said(reqs: list[str]) -> Counter[str]:
    """A pattern's requirement words, each as often as it says it (the slots left out)."""
    return Counter(r for r in reqs if not r.startswith(OPEN))


def _forms_agree(template: TemplateRecord, key: str, pattern: str, bindings: dict[str, list[str]]) -> bool:
    """Some phrasing of the template with the reading's key says its names where the request does:
    - each requirement word as often (the key is their set): "our ⟦entity⟧ templates … in templates/" and "our
      ⟦entity⟧ … in templates/" share the words, but the first names a thing the second does not;
    - never in the plural where the request's word was read as a singular: such a word may be a plural we do not
      know ("alumni", "criteria"), and its forms would then be wrong in the code;
    - a name of several words in sentence case ("the Time entry service") only where the phrasing has one too: in
      "a table for Vendor records" the second word is a noun of the sentence, not part of the name."""

    def agree(slot: str, asked: str, held: str) -> bool:
        if held.endswith("_plural") and not asked.endswith("_plural"):
            return False
        return not (
            asked.startswith("sentence") and len(bindings.get(slot, [])) > 1 and not held.startswith("sentence")
        )

    asked = _sites(pattern)
    said = _said(requirements(pattern, template.stack_key))
    for phrasing in template.skeleton:
        reqs = requirements(phrasing, template.stack_key)
        if exact_key(template.stack_key, reqs) != key or _said(reqs) != said:
            continue
        held = _sites(phrasing)
        if len(held) == len(asked) and all(
            a_slot == h_slot and agree(a_slot, a_form, h_form)
            for (a_slot, a_form), (h_slot, h_form) in zip(asked, held, strict=True)
        ):
            return True
    return False


def fit_candidates(db: Database, task: str, stack: list[str], limit: int = 3, pool: int = 20) -> list[FitCandidate]:
    """The one-name templates of this stack closest to ``task`` whose names the task holds in exactly one place
    each (the words their phrasings and code never use): for the fit check, closest first.

    Closest is by the best of a template's phrasings, not by all of them at once (a template asked for many ways
    would share some word with anything): the weighted share of the request's and the phrasing's requirement
    stems they have in common, a stem weighing more the fewer of the stack's templates use it (so "import"
    against "export" outweighs "csv" and "command" that every CLI template says)."""
    stack_key = normalize_stack(stack)
    store = TemplateStore(db)
    wanted = {r for r in requirements(task, stack_key) if not r.startswith(OPEN)}
    templates = [
        t for t in store.candidates(stack_key, word_keys(stack_key, sorted(wanted)), limit=pool) if len(t.slots) == 1
    ]
    if len(templates) < limit:
        # A paraphrase may share no word with any phrasing ("listable, retrievable by id and creatable" for
        # "routes for ..."): the stack's most used templates stand in, after the ones that share words.
        extra = store.most_used(stack_key, pool - len(templates), exclude=[t.id for t in templates])
        templates += [t for t in extra if len(t.slots) == 1]
    if not templates:
        return []
    said = {
        t.id: [{r for r in requirements(p, stack_key) if not r.startswith(OPEN)} for p in t.skeleton] for t in templates
    }
    stems = wanted.union(*(s for phrasings in said.values() for s in phrasings))
    key_of = {s: word_keys(stack_key, [s])[0] for s in stems}
    used = store.key_counts(list(key_of.values()))
    total = max(store.count_enabled(stack_key), 1)
    weight = {s: math.log((total + 1) / (used.get(key_of[s], 0) + 0.5)) for s in stems}

    def closeness(phrasing: set[str]) -> float:
        union = sum(weight[s] for s in wanted | phrasing)
        return sum(weight[s] for s in wanted & phrasing) / union if union > 0 else 0.0

    # What the code does, not only what its phrasings said: a requirement of the request leaves words in the code
    # that does it ("json" in an export to JSON, "deleted_at" in a soft delete), and twins that differ in one
    # requirement differ there. Weighed as rare among these templates' code (a word every one writes says nothing).
    # Only the words these templates' phrasings use as requirements count there: the request's other words are its
    # names and its chat, and may stand in any code ("order" of "Purchase Order" in an ``order_by``).
    told = wanted & {s for phrasings in said.values() for p in phrasings for s in p}
    written = {t.id: _code_stems(t) for t in templates}
    uses = {s: sum(1 for w in written.values() if s in w) for s in told}
    code_weight = {s: math.log((len(templates) + 1) / (uses[s] + 0.5)) for s in told}
    code_total = sum(code_weight.values())

    def code_share(template: TemplateRecord) -> float:
        if code_total <= 0:
            return 0.0
        return sum(code_weight[s] for s in told if s in written[template.id]) / code_total

    def rank(template: TemplateRecord) -> float:
        return max((closeness(p) for p in said[template.id]), default=0.0) + code_share(template)

    ranked = sorted(templates, key=lambda t: -rank(t))
    out: list[FitCandidate] = []
    for template in ranked:
        words = bind_name(task, stack_key, template.skeleton, template.files)
        bindings = {template.slots[0]["name"]: words} if words else None
        if bindings is not None and _render_checked(template, bindings) is None:
            continue
        out.append(
            FitCandidate(
                template_id=template.id,
                slot=template.slots[0]["name"],
                source_task=template.source_task,
                bindings=bindings,
                words=list(template.slots[0]["words"]),
            )
        )
        if len(out) == limit:
            break
    return out


def _code_stems(template: TemplateRecord) -> frozenset[str]:
    """The stems of the words a template's code and paths write outside its slots."""
    return _stems_of_code(tuple((f["path"], f["content"]) for f in template.files))


@lru_cache(maxsize=4096)
def _stems_of_code(files: tuple[tuple[str, str], ...]) -> frozenset[str]:
    out: set[str] = set()
    for path, text in files:
        for tok in tokens(PLACEHOLDER.sub(" ", f"{text} {path}")):
            out |= {stem(p.lower) for p in tok.parts}
    return frozenset(out)


def corrected_candidate(db: Database, candidate: FitCandidate, template_name: str) -> FitCandidate | None:
    """``candidate`` with its slot corrected to ``template_name``, the entity a fit check read in the template's
    own task where the slot holds another word ("status", "api"): the template is learned anew with that name
    (``correct_slot``). None when the task does not hold the name, the name is a part of the slot, or the code
    cannot be learned with it."""
    from learning.library import correct_slot

    words = name_in_task(candidate.source_task, template_name)
    if words is None or words == candidate.words:
        return None
    longer = len(words) > len(candidate.words) and any(
        words[i : i + len(candidate.words)] == candidate.words for i in range(len(words))
    )
    if set(words) & set(candidate.words) and not longer:
        # A name apart from the slot ("parking permit" for "status"), or the slot and more ("status update" for
        # "status"), is a correction. A part of the slot ("invoice" for "sales invoice") is not: renaming with it
        # would leave the rest behind ("SalesPurchaseOrder"). Unsure: a miss.
        return None
    fixed = correct_slot(db, candidate.template_id, words)
    if fixed is None or len(fixed.slots) != 1:
        return None
    return FitCandidate(
        template_id=fixed.id, slot=fixed.slots[0]["name"], source_task=fixed.source_task, words=fixed.slots[0]["words"]
    )


def name_in_task(task: str, name: str) -> list[str] | None:
    """``name`` (as a model wrote it) as slot words, when ``task`` holds it in some written form; else None."""
    words = split_words(name)
    if not words or len(words) > 4:
        return None
    words = [*words[:-1], singularize(words[-1])]
    return words if "\u27e6" in slot_text(task, [Slot(name="entity", words=words)]) else None


def serve_fit(db: Database, task: str, candidate: FitCandidate, bindings: dict[str, list[str]]) -> TemplateMatch | None:
    """Render a candidate the fit check confirmed, and keep the request as one more phrasing of it."""
    store = TemplateStore(db)
    template = store.get(candidate.template_id)
    if template is None or not template.enabled:
        return None
    rendered = _render_checked(template, bindings)
    if rendered is None:
        return None
    pattern = slot_text(task, [Slot(name=k, words=v) for k, v in bindings.items()])
    store.add_phrasing(template.id, pattern, pattern_keys(template.stack_key, pattern))
    return TemplateMatch(
        template_id=template.id, score=1.0, bindings=bindings, files=rendered, via="fit", pattern=pattern
    )
