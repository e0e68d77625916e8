"""Does a template fit a request? Same stack, same skeleton (names taken out), and a value for every slot.

The request's names are not known in advance: each way of reading its candidate names as slot
values gives a skeleton, and that skeleton is looked up by its index keys.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Iterator
from itertools import islice

from pydantic import BaseModel, Field

from learning.forms import name_forms, singularize
from learning.names import candidate_names, first_position, normalize_tool, task_words
from learning.parameterize import SLOT_VALUE
from learning.skeleton import lookup_keys, similarity, skeleton_terms

# Matching reads a task with up to MAX_SLOTS of its names as slots; learning stores no template that matching
# cannot read back from its own task (``learning.engine.build_record`` checks), so the two always agree.
MAX_SLOTS = 4
# Readings with three or more slots are only made while there are few (a task of four or five names has a
# handful): a long task with many candidate names still gets its one- and two-slot readings, quickly.
MAX_COMBINATIONS = 250


def normalize_stack(stack: list[str]) -> str:
    """Aliases, versions and case folded, order and duplicates ignored: ['FastAPI', 'py'] -> 'fastapi,python'."""
    return ",".join(sorted({normalize_tool(s) for s in stack if s.strip()} - {""}))


class Reading(BaseModel):
    """One way to read a task: slot bindings and the skeleton they leave."""

    bindings: dict[str, list[str]]
    terms: list[str]
    keys: list[str]


class Fit(BaseModel):
    template_id: str
    score: float = Field(description="Skeleton similarity, 0..1.")
    bindings: dict[str, list[str]] = Field(description="Slot name -> the request's name, as words.")


# Soft keywords of every Python a template may be rendered for ("type" is one from 3.12 on, not in 3.11's list).
SOFT_KEYWORDS = frozenset(keyword.softkwlist) | {"_", "case", "match", "type"}


def safe_value(words: list[str]) -> bool:
    """A slot value must be a plain name: ASCII words of letters and digits only ("Café" is refused, not cut
    to "caf"), whose identifier forms are no Python keyword or soft keyword (``pass: Pass`` does not parse)."""
    if not (words and len(words) <= 4 and SLOT_VALUE.match(" ".join(words))):
        return False
    forms = name_forms(list(words))
    return not any(keyword.iskeyword(forms[k]) or forms[k] in SOFT_KEYWORDS for k in ("snake", "camel"))


def stack_words(stack_key: str) -> frozenset[str]:
    """Words of a normalized stack, as a task may write them ("pydantic-settings" -> pydantic, settings)."""
    return frozenset(w for entry in stack_key.split(",") for w in [entry, *task_words(entry)] if w)


def _singular_words(names: tuple[tuple[str, ...], ...]) -> list[str]:
    return [singularize(w) for n in names for w in n]


def _disjoint(names: list[tuple[str, ...]], size: int, start: int = 0,
              used: frozenset[str] = frozenset()) -> Iterator[tuple[tuple[str, ...], ...]]:
    """Combinations of ``size`` names sharing no word ("sales invoice" and "sale" share one), in order."""
    if size == 0:
        yield ()
        return
    for i in range(start, len(names) - size + 1):
        own = _singular_words((names[i],))
        if used.isdisjoint(own) and len(set(own)) == len(own):
            for rest in _disjoint(names, size - 1, i + 1, used | set(own)):
                yield (names[i], *rest)


def _spans(words: list[str], singular: list[str], name: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where ``name`` stands in the task (its last word in any number form), as [start, end) word spans."""
    n = len(name)
    return [(i, i + n) for i in range(len(words) - n + 1)
            if tuple(words[i:i + n - 1]) == name[:-1] and singular[i + n - 1] == name[-1]]


def _split_name(words: list[str], singular: list[str], combo: tuple[tuple[str, ...], ...]) -> bool:
    """Do two names of ``combo`` stand side by side in the task? Then they are one name read as two
    ("Purchase Order" as purchase + order), and the reading is not made."""
    spans = [_spans(words, singular, name) for name in combo]
    ends = {end for own in spans for _, end in own}
    return any(begin in ends for own in spans for begin, _ in own)


def readings(task: str, stack: list[str], max_slots: int = MAX_SLOTS) -> list[Reading]:
    """Every reading of ``task`` with one to ``max_slots`` of its candidate names as slots (slots named in task
    order). Readings of three or more slots are only made while there are at most ``MAX_COMBINATIONS``."""
    stack_key = normalize_stack(stack)
    words = task_words(task)
    singular = [singularize(w) for w in words]
    names = [n for n in candidate_names(task, exclude=stack_words(stack_key)) if safe_value(list(n))]
    names.sort(key=lambda n: first_position(words, n))
    out: list[Reading] = []
    for size in range(1, min(max_slots, len(names)) + 1):
        combos = list(_disjoint(names, size) if size <= 2 else islice(_disjoint(names, size), MAX_COMBINATIONS + 1))
        if len(combos) > MAX_COMBINATIONS and size > 2:
            break
        for combo in combos:
            if size > 1 and _split_name(words, singular, combo):
                continue
            bindings = {("entity" if i == 0 else f"entity{i + 1}"): list(n) for i, n in enumerate(combo)}
            terms = skeleton_terms(task, bindings, stack_key.split(","))
            if sum(t.startswith("{") for t in terms) != size:
                continue
            out.append(Reading(bindings=bindings, terms=terms, keys=lookup_keys(stack_key, terms)))
    return out


def _sensitive_terms(terms: list[str], keywords: list[str]) -> set[str]:
    from validation.review import sensitive_keywords_in

    return set(sensitive_keywords_in(" ".join(t for t in terms if not t.startswith("{")), keywords))


def best_fit(reading_list: list[Reading], candidates: list[tuple[str, list[str], list[str]]],
             threshold: float, sensitive_keywords: Iterable[str] = ()) -> Fit | None:
    """The best (template id, terms, slot names) candidate over all readings, if it clears ``threshold``.

    ``sensitive_keywords``: a template fits only a reading whose words besides the names carry the same ones.
    A template is served without a review, and the threshold lets one word differ: "CRUD API for Invoice with
    JWT auth" must not get the plain CRUD template. (A keyword that is the name, "Payment", does not count.)
    """
    keywords = list(sensitive_keywords)
    best: Fit | None = None
    best_rank: tuple[float, int] = (0.0, 0)
    for reading in reading_list:
        wanted = _sensitive_terms(reading.terms, keywords) if keywords else set()
        for template_id, terms, slot_names in candidates:
            if sorted(slot_names) != sorted(reading.bindings):
                continue
            if keywords and _sensitive_terms(terms, keywords) != wanted:
                continue
            score = similarity(reading.terms, terms)
            # On a tie the longer reading wins: in "delivery note events" the skeleton reads "delivery" as
            # "send" either way, and the name is "delivery note" (verbs and tools never reach a name).
            rank = (score, sum(len(v) for v in reading.bindings.values()))
            if score >= threshold and (best is None or rank > best_rank):
                best, best_rank = Fit(template_id=template_id, score=round(score, 4), bindings=reading.bindings), rank
    return best
