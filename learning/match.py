"""Does a template fit a request? Same stack, same skeleton (names taken out), and a value for every slot.

The request's names are not known in advance: each way of reading its candidate names as slot
values gives a skeleton, and that skeleton is looked up by its index keys.
"""

from __future__ import annotations

from itertools import combinations

from pydantic import BaseModel, Field

from learning.forms import singularize
from learning.names import candidate_names, normalize_tool, task_words
from learning.parameterize import SLOT_VALUE
from learning.skeleton import lookup_keys, similarity, skeleton_terms


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


def _first_position(words: list[str], name: tuple[str, ...]) -> int:
    for i in range(len(words)):
        if tuple(words[i:i + len(name) - 1]) == name[:-1] and i + len(name) <= len(words):
            if words[i + len(name) - 1].startswith(name[-1][:-1] or name[-1]):
                return i
    return len(words)


def safe_value(words: list[str]) -> bool:
    """A slot value must be a plain name: words of letters and digits only."""
    return bool(words) and len(words) <= 4 and bool(SLOT_VALUE.match(" ".join(words)))


def stack_words(stack_key: str) -> frozenset[str]:
    """Words of a normalized stack, as a task may write them ("pydantic-settings" -> pydantic, settings)."""
    return frozenset(w for entry in stack_key.split(",") for w in [entry, *task_words(entry)] if w)


def _singular_words(names: tuple[tuple[str, ...], ...]) -> list[str]:
    return [singularize(w) for n in names for w in n]


def readings(task: str, stack: list[str], max_slots: int = 2) -> list[Reading]:
    """Every reading of ``task`` with one or two of its candidate names as slots (slots named in task order)."""
    stack_key = normalize_stack(stack)
    words = task_words(task)
    names = [n for n in candidate_names(task, exclude=stack_words(stack_key)) if safe_value(list(n))]
    names.sort(key=lambda n: _first_position(words, n))
    out: list[Reading] = []
    for size in range(1, max_slots + 1):
        for combo in combinations(names, size):
            flat = _singular_words(combo)
            if len(flat) != len(set(flat)):
                continue  # overlapping names ("sales invoice" and "sale" share a word)
            bindings = {("entity" if i == 0 else f"entity{i + 1}"): list(n) for i, n in enumerate(combo)}
            terms = skeleton_terms(task, bindings, stack_key.split(","))
            if sum(t.startswith("{") for t in terms) != size:
                continue
            out.append(Reading(bindings=bindings, terms=terms, keys=lookup_keys(stack_key, terms)))
    return out


def best_fit(reading_list: list[Reading], candidates: list[tuple[str, list[str], list[str]]],
             threshold: float) -> Fit | None:
    """The best (template id, terms, slot names) candidate over all readings, if it clears ``threshold``."""
    best: Fit | None = None
    best_rank: tuple[float, int] = (0.0, 0)
    for reading in reading_list:
        for template_id, terms, slot_names in candidates:
            if sorted(slot_names) != sorted(reading.bindings):
                continue
            score = similarity(reading.terms, terms)
            # On a tie the longer reading wins: in "delivery note events" the skeleton reads "delivery" as
            # "send" either way, and the name is "delivery note" (verbs and tools never reach a name).
            rank = (score, sum(len(v) for v in reading.bindings.values()))
            if score >= threshold and (best is None or rank > best_rank):
                best, best_rank = Fit(template_id=template_id, score=round(score, 4), bindings=reading.bindings), rank
    return best
