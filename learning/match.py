"""Does a template fit a request? Same stack, and, names aside, exactly the same requirements.

A template keeps each task it was asked as a *phrasing*: the task with its names as slot markers. A request is
read every way its words can hold names (1 to 4 content words inside one identifier or side by side); each
reading leaves the stems of its other content words. A template fits locally when one reading leaves exactly
the stems one of its phrasings leaves (order too, for two or more slots) and no other reading fits anything.
Paraphrases that say the same in other words are left to the fit check (``learning.fit``).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from itertools import combinations

from pydantic import BaseModel, Field

from learning.forms import singularize, split_words
from learning.parameterize import CLOSE, OPEN, PLACEHOLDER, Slot, safe_value, slot_text, task_names
from learning.words import content, stem, tokens

MAX_READINGS = 400
_SLOT_NAMES = ("entity", "entity2", "entity3")  # the slot names ``parameterize`` gives, in task order

# Stack entries that mean the same tool. Major versions stay: pydantic 1 and 2, SQLAlchemy 1.x and 2.x differ.
STACK_ALIASES = {
    "py": "python",
    "python3": "python",
    "cpython": "python",
    "fast-api": "fastapi",
    "postgres": "postgresql",
    "pg": "postgresql",
    "psql": "postgresql",
    "js": "javascript",
    "node": "javascript",
    "nodejs": "javascript",
    "ts": "typescript",
    "golang": "go",
    "k8s": "kubernetes",
    "sqlite3": "sqlite",
    "mongo": "mongodb",
    "pydantic_settings": "pydantic-settings",
    "drf": "django-rest-framework",
    "djangorestframework": "django-rest-framework",
    "rest-framework": "django-rest-framework",
}
_VERSION = re.compile(r"^(?P<name>[a-z][a-z0-9.+-]*?)[-@=<>~!^]*v?(?P<major>\d+)(?:\.[\dx*]+)*$")


def normalize_tool(entry: str) -> str:
    """One stack entry, case and aliases folded, the major version kept: 'SQLAlchemy 2.0' -> 'sqlalchemy@2'."""
    name = re.sub(r"[\s_]+", "-", entry.strip().lower())
    name = STACK_ALIASES.get(name, name)
    found = _VERSION.match(name)
    if found is None:
        return name
    name, major = STACK_ALIASES.get(found.group("name"), found.group("name")), found.group("major")
    return name if name == "python" else f"{name}@{major}"  # Python 3 is the only Python written for


def normalize_stack(stack: list[str]) -> str:
    """Order and duplicates ignored: ['FastAPI', 'py'] -> 'fastapi,python'."""
    return ",".join(sorted({normalize_tool(s) for s in stack if s.strip()} - {""}))


@lru_cache(maxsize=1024)
def stack_words(stack_key: str) -> frozenset[str]:
    names = [entry.split("@")[0] for entry in stack_key.split(",")]
    return frozenset(w for name in names for w in [name, *name.split("-")] if w)


@lru_cache(maxsize=16384)
def _requirements(pattern: str, stack_key: str) -> tuple[str, ...]:
    return tuple(_read_requirements(pattern, stack_key))


def requirements(pattern: str, stack_key: str) -> list[str]:
    """The stems of a pattern's content words, names (slot markers) and stack tools left out, in order."""
    return list(_requirements(pattern, stack_key))


def _read_requirements(pattern: str, stack_key: str) -> list[str]:
    """The stems of a pattern's content words, names (slot markers) and stack tools left out, in order."""
    text = PLACEHOLDER.sub(lambda m: f" {OPEN}{m.group(1)} ", pattern)
    out: list[str] = []
    for chunk in _MARKER_SPLIT.split(text):
        if chunk.startswith(OPEN):
            out.append(chunk)
        else:
            out += _chunk_requirements(chunk, stack_key)
    return out


_MARKER_SPLIT = re.compile(f"({OPEN}[a-z0-9_]+)")


@lru_cache(maxsize=65536)
def _chunk_requirements(chunk: str, stack_key: str) -> tuple[str, ...]:
    """The requirement stems of the text between two names (the readings of one task share most of these)."""
    tools = stack_words(stack_key)
    out: list[str] = []
    for tok in tokens(chunk):
        if tok.text.lower() in tools:
            continue
        out += [stem(p.lower) for p in tok.parts if content(p.lower) and p.lower not in tools]
    return tuple(out)


def _digest(parts: list[str]) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:20]  # noqa: S324 - a lookup key


def exact_key(stack_key: str, reqs: list[str]) -> str:
    """The index key of a pattern's requirements: as a set for one slot, in order for more."""
    slots = [r for r in reqs if r.startswith(OPEN)]
    words = reqs if len(set(slots)) > 1 else sorted({r for r in reqs if not r.startswith(OPEN)})
    return "x:" + _digest([stack_key, str(len(set(slots))), *words])


def word_keys(stack_key: str, reqs: list[str]) -> list[str]:
    """One key per requirement stem: the fit check's candidates share many."""
    return sorted({"w:" + _digest([stack_key, r]) for r in reqs if not r.startswith(OPEN)})


# The generation of the rules that derive a template from its source (which names are slots, how a task reads):
# every stored template holds this key, and one that lacks it is re-derived once (``upgrade_templates``).
RULES_KEY = "v:2026-12-07b"  # names trimmed to what the code writes whole (trimmed_slots); dunder names no slots


def slot_count_key(stack_key: str, slots: int) -> str:
    """The key every template of this stack with this many slots holds: a request is read with two or three
    names only where such a template exists (those readings are most of a lookup's work)."""
    return "n:" + _digest([stack_key, str(slots)])


def pattern_keys(stack_key: str, pattern: str) -> list[str]:
    reqs = requirements(pattern, stack_key)
    slots = len({r for r in reqs if r.startswith(OPEN)})
    return [
        exact_key(stack_key, reqs),
        *word_keys(stack_key, reqs),
        slot_count_key(stack_key, slots),
        *descriptor_keys(pattern),
    ]


_AFTER_SLOT = re.compile(PLACEHOLDER.pattern + r" ([A-Za-z][A-Za-z]*)\b")


def descriptor_key(word: str) -> str:
    """The key of a word some phrasing writes right after a name, in any stack ("⟦entity⟧ records", "the
    ⟦entity⟧ table"): a word this library has seen stand *outside* a name, after it."""
    return "d:" + _digest([stem(singularize(word.lower()))])


def descriptor_keys(pattern: str) -> list[str]:
    """The ``descriptor_key`` of each content word a phrasing writes right after one of its names."""
    return sorted({descriptor_key(m.group(3)) for m in _AFTER_SLOT.finditer(pattern) if content(m.group(3))})


def open_after(pattern: str, slot: str) -> bool:
    """Does nothing of the sentence hold the name ``slot`` in on its right in ``pattern`` (the request read with
    its names as markers): no content word right after it ("for the ⟦entity⟧", "⟦entity⟧ with a ...")?"""
    for m in PLACEHOLDER.finditer(pattern):
        if m.group(1) != slot:
            continue
        after = re.match(r" ([A-Za-z]+)\b", pattern[m.end() :])
        if after is None or not content(after.group(1)):
            return True
    return False


class Reading(BaseModel):
    """One way to read a task: the names it would bind and the key of what is left."""

    bindings: dict[str, list[str]]
    key: str
    pattern: str = Field(description="The task with these names as slot markers.")


def readings(task: str, stack: list[str] | str, sizes: tuple[int, ...] = (1, 2, 3)) -> list[Reading]:
    """Every reading of ``task`` with one to three of its candidate names as slots (in task order); ``sizes``:
    the slot counts to read it with (a count no template has cannot fit)."""
    stack_key = stack if isinstance(stack, str) else normalize_stack(stack)
    tools = stack_words(stack_key)
    names = [(w, pos) for w, pos in task_names(task, tools) if safe_value(list(w))]
    out: list[Reading] = []
    for size in (1, 2, 3):
        if (size == 2 and len(names) > 24) or (size == 3 and len(names) > 10):
            break
        if size not in sizes:
            continue
        for combo in combinations(sorted(names, key=lambda n: min(n[1])), size):
            if size > 1 and any(a[1] & b[1] or set(a[0]) & set(b[0]) for a, b in combinations(combo, 2)):
                continue
            slots = [Slot.model_construct(name=_SLOT_NAMES[i], words=list(w)) for i, (w, _) in enumerate(combo)]
            pattern = slot_text(task, slots)
            if any(f"{OPEN}{s.name}:" not in pattern for s in slots):
                continue
            reqs = requirements(pattern, stack_key)
            if not any(not r.startswith(OPEN) for r in reqs):
                continue
            out.append(
                Reading.model_construct(
                    bindings={s.name: s.words for s in slots}, key=exact_key(stack_key, reqs), pattern=pattern
                )
            )
            if len(out) >= MAX_READINGS:
                return out
    return out


def vocabulary(phrasings: list[str], files: list[dict], stack_key: str) -> set[str]:
    """Every stem a template's phrasings and code use outside its slots."""
    words = {r for p in phrasings for r in requirements(p, stack_key) if not r.startswith(OPEN)}
    for f in files:
        for tok in tokens(PLACEHOLDER.sub(" ", f["content"] + " " + f["path"])):
            words |= {stem(p.lower) for p in tok.parts}
    return words


def anchored_name(task: str, phrasings: list[str], vocabulary_stems: set[str]) -> list[str] | None:
    """The one name ``task`` holds where a phrasing holds its slot: between the same neighbouring words (or the
    text's ends), 1 to 4 content words that the template never uses otherwise. None when no phrasing, or more
    than one name, fits: a binding is never guessed."""
    toks = tokens(task)
    words = [t.text.lower() for t in toks]
    written = [t.identifier or t.text[:1].isupper() and t.text[1:].islower() for t in toks]
    found: set[tuple[str, ...]] = set()
    for phrasing in phrasings:
        if len(PLACEHOLDER.findall(phrasing)) != 1 or not PLACEHOLDER.fullmatch(
            next(t for t in re.split(r"([^\s]+)", phrasing) if OPEN in t).strip(".,;:!?()\"'`")
        ):
            continue  # the slot stands alone, not inside a longer word ("⟦entity:pascal⟧Repository")
        around = [t.text.lower() for t in tokens(PLACEHOLDER.sub(" qqslotqq ", phrasing))]
        mark = around.index("qqslotqq")
        left = around[mark - 1] if mark > 0 else None
        right = around[mark + 1] if mark + 1 < len(around) else None
        for start in range(len(words)):
            if (words[start - 1] if start else None) != left:
                continue
            for end in range(start + 1, min(start + 4, len(words)) + 1):
                if (words[end] if end < len(words) else None) != right:
                    continue
                span = words[start:end]
                # a name of several words must be written as one ("Shipping Address", ShippingAddress): in
                # "schemas for member objects" nothing tells the name from its head noun, so no binding
                if len(span) > 1 and not all(written[start:end]):
                    continue
                if all(w.isalpha() and content(w) and stem(w) not in vocabulary_stems for w in span):
                    found.add(tuple(span))
    if len(found) != 1:
        return None
    return list(found.pop())


_FORM_GROUP = {
    "pascal": r"((?:[A-Z][a-z0-9]+){1,4})",
    "camel": r"([a-z][a-z0-9]*(?:[A-Z][a-z0-9]+){0,3})",
    "snake": r"([a-z][a-z0-9]*(?:_[a-z0-9]+){0,3})",
    "kebab": r"([a-z][a-z0-9]*(?:-[a-z0-9]+){0,3})",
    "upper": r"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+){0,3})",
}
_MARKED_TOKEN = re.compile(r"[^\s\"'`()\[\],;{}<>=]*" + OPEN + r"[^\s\"'`()\[\],;{}<>=]*")
_RAW_TOKEN = re.compile(r"[^\s\"'`()\[\],;{}<>=!?]+")


def _identifier_patterns(texts: list[str]) -> list[tuple[re.Pattern[str], bool, bool]]:
    """Regexes of the template's identifiers around its slot (``get_⟦entity:snake⟧_or_404``, ``⟦entity:pascal⟧Dep``,
    ``/⟦entity:kebab_plural⟧``): (pattern, plural, the slot alone)."""
    out = []
    for text in texts:
        for token in {m.group().strip(".:") for m in _MARKED_TOKEN.finditer(text)}:
            markers = PLACEHOLDER.findall(token)
            if len(markers) != 1 or markers[0][1].removesuffix("_plural") not in _FORM_GROUP:
                continue
            key = markers[0][1]
            before, after = token.split(OPEN, 1)[0], token.split(CLOSE, 1)[1]
            if not re.fullmatch(r"[\w/.:-]*", before + after):
                continue
            group = _FORM_GROUP[key.removesuffix("_plural")]
            for head in {before, before.rsplit("/", 1)[-1]}:  # a path's file name alone names it too
                out.append(
                    (
                        re.compile(re.escape(head) + group + re.escape(after)),
                        key.endswith("_plural"),
                        not (head + after).strip("/.:"),
                    )
                )
    return out


CONFLICT: list[str] = []  # two readings disagree: no binding, and no weaker reading is tried


def identifier_name(task: str, texts: list[str]) -> list[str] | None:
    """The name a request writes as one of the template's identifiers ("get_shipping_address_or_404",
    "PurchaseOrderCreate", "/time-entries"); None when none matches, ``CONFLICT`` when two disagree.

    A template identifier that is the slot alone (``"⟦entity:snake_plural⟧"``) says nothing of its own, so it only
    reads a request's token written as code: in backticks or as a path ("`time_entries`", "/time-entries")."""
    found: set[tuple[str, ...]] = set()
    patterns = _identifier_patterns(texts)
    # Identifiers the template spells without its slot (a parameter `q`, a field `next_cursor`): a request quoting
    # one quotes the template's own fixed name, not its entity.
    fixed = {w for text in texts for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", PLACEHOLDER.sub(" ", text))}
    for raw in _RAW_TOKEN.finditer(task):
        token = raw.group().strip(".:")
        as_code = task[raw.start() - 1 : raw.start()] == "`" or token.startswith("/")
        for pattern, plural, alone in patterns:
            hit = pattern.fullmatch(token)
            if hit is None or (alone and not as_code) or (alone and token.strip("`") in fixed):
                continue
            words = split_words(hit.group(1))
            if words:
                found.add((*words[:-1], singularize(words[-1]) if plural else words[-1]))
    if len(found) > 1:
        return CONFLICT
    return list(found.pop()) if found else None


def written_name(task: str, stack_key: str, vocabulary_stems: set[str]) -> list[str] | None:
    """The one run of Title Case words a request writes mid-sentence ("for the Shipment Batch API") that the
    template never uses otherwise; None when there is no such run or more than one."""
    tools = stack_words(stack_key)
    runs: list[list[str]] = []
    current: list[str] = []
    toks = tokens(task)
    unsure = False  # the run follows a capitalized phrase opener ("model: Time Entry"): "Time" may be in the name
    for i, tok in enumerate(toks):
        title = tok.text[:1].isupper() and tok.text[1:].islower() and tok.text.isalpha()
        start = i == 0 or task[toks[i - 1].end : tok.start].strip()[-1:] in (".", "!", "?", ":")
        joined = current and task[toks[i - 1].end : tok.start] == " "
        if title and not start and tok.text.lower() not in tools and (joined or not current):
            if not current:
                opener = toks[i - 1] if i else None
                unsure = opener is not None and opener.text[:1].isupper() and task[opener.end : tok.start] == " "
            current.append(tok.text.lower())
            continue
        if current:
            runs.append(["?"] if unsure else current)
        current, unsure = [], False
        if title and not start and tok.text.lower() not in tools:
            current = [tok.text.lower()]
    if current:
        runs.append(["?"] if unsure else current)
    if ["?"] in runs:
        return None
    runs = [r for r in runs if len(r) <= 4 and not all(stem(w) in vocabulary_stems for w in r)]
    if len(runs) != 1:
        return None
    return [*runs[0][:-1], singularize(runs[0][-1])]


def lone_word(task: str, stack_key: str, vocabulary_stems: set[str]) -> list[str] | None:
    """The request's only content word the template never uses, when there is exactly one and it stands alone:
    a plain word with no content word right beside it ("User account": is the name "account" or "user
    account"? unsure, so none)."""
    tools = stack_words(stack_key)
    toks = tokens(task)
    fresh = [
        i
        for i, t in enumerate(toks)
        for p in t.parts
        if content(p.lower) and p.lower.isalpha() and p.lower not in tools and stem(p.lower) not in vocabulary_stems
    ]
    if len(set(fresh)) != 1 or len(toks[fresh[0]].parts) != 1:
        return None
    i = fresh[0]

    def beside(j: int) -> bool:
        if not 0 <= j < len(toks):
            return False
        gap = task[toks[min(i, j)].end : toks[max(i, j)].start]
        return gap == " " and content(toks[j].text) and toks[j].text.isalpha()

    if beside(i - 1) or beside(i + 1):
        return None
    return [singularize(toks[i].text.lower())]


def bind_name(task: str, stack_key: str, phrasings: list[str], files: list[dict]) -> list[str] | None:
    """Where a request said in other words holds the template's one name, by the surest reading that gives one:
    an identifier of the template's, the neighbours of a phrasing's slot, a Title Case run, a lone new word."""
    texts = [*phrasings, *(f["content"] for f in files), *(f["path"] for f in files)]
    vocab = vocabulary(phrasings, files, stack_key)
    for reading in (
        lambda: identifier_name(task, texts),
        lambda: anchored_name(task, phrasings, vocab),
        lambda: written_name(task, stack_key, vocab),
        lambda: lone_word(task, stack_key, vocab),
    ):
        name = reading()
        if name is CONFLICT:
            return None
        if name:
            return name
    return None
