"""The learning engine: learn a template from a good generation, find and render one for a request.

Ties parameterize (code -> template), skeleton and match (task -> fit) to the template store.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Iterable

from pydantic import BaseModel, Field

from learning.forms import ARTICLE_KEYS, name_forms
from learning.match import MAX_SLOTS, Fit, best_fit, normalize_stack, readings, safe_value, stack_words
from learning.parameterize import PLACEHOLDER, NotLearnable, TemplateFile, parameterize, render
from learning.skeleton import lookup_keys, signature, skeleton_terms
from storage import Database, TemplateRecord, TemplateStore


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
    files: list[TemplateFile] = Field(default_factory=list)


def describe(terms: list[str]) -> str:
    return " ".join(terms)


def build_record(task: str, stack: list[str], files: list[TemplateFile], *,
                 names: list[tuple[str, ...]] | None = None, **source: object) -> TemplateRecord:
    """The storable template for ``files`` (``NotLearnable`` when it cannot be parameterized).

    ``names``: the names to make slots of, instead of those the task's words suggest.
    """
    stack_key = normalize_stack(stack)
    draft = parameterize(task, files, exclude=stack_words(stack_key), names=names)
    bindings = {s.name: s.words for s in draft.slots}
    terms = skeleton_terms(task, bindings, stack_key.split(","))
    if sum(t.startswith("{") for t in terms) != len(bindings):
        raise NotLearnable("a slot name does not appear in the task")
    if not any(not t.startswith("{") for t in terms):
        # "Print a report of Item objects" read as {entity2} {entity}: a skeleton of names only fits any task
        # of as many names ("Resize an image"), so it is no template.
        raise NotLearnable("the task has no words besides its names that say what the code does")
    if len(bindings) > MAX_SLOTS:
        raise NotLearnable(f"{len(bindings)} names to make slots of; matching reads at most {MAX_SLOTS}")
    if names is None and not any(r.bindings == bindings for r in readings(task, stack)):
        # A template its own task cannot find again would count as learned and never be served. (Names a
        # model suggested may be words matching never reads as names, "status": such a template serves the
        # other names of its task, "priority", and is kept.)
        raise NotLearnable("matching cannot read these slots back from the task")
    sig = signature(stack_key, terms)
    return TemplateRecord(
        id=f"tpl-{sig[:16]}", signature=sig, name=f"{stack_key}: {describe(terms)}"[:200],
        description=source.pop("description", "") or task[:500], stack_key=stack_key, source_task=task,
        skeleton=terms, slots=[s.model_dump() for s in draft.slots],
        files=[f.model_dump() for f in draft.files], keys=lookup_keys(stack_key, terms), **source,
    )


def learn_template(db: Database, task: str, stack: list[str], files: list[TemplateFile], *,
                   names: list[tuple[str, ...]] | None = None, **source: object) -> LearnOutcome:
    """Learn from a validated generation; one template per signature."""
    try:
        record = build_record(task, stack, files, names=names, **source)
    except NotLearnable as exc:
        return LearnOutcome(learned=False, reason=str(exc))
    stored, created = TemplateStore(db).add(record)
    return LearnOutcome(learned=True, template_id=stored.id, created=created,
                        reason="learned" if created else "a template with this signature exists")


def find_template(db: Database, task: str, stack: list[str], threshold: float,
                  sensitive_keywords: Iterable[str] = ()) -> TemplateMatch | None:
    """The best enabled template that fits, rendered with the request's names; None if none fits.

    ``sensitive_keywords`` (``Q2O_SENSITIVE_KEYWORDS``): see ``best_fit``.
    """
    from learning.library import seed_starters

    seed_starters(db)
    store = TemplateStore(db)
    options = readings(task, stack)
    keys = sorted({k for r in options for k in r.keys})
    candidates = [c for c in store.candidates(normalize_stack(stack), keys)
                  if any(not t.startswith("{") for t in c.skeleton)]  # names only: fits anything (see build_record)
    fit: Fit | None = best_fit(
        options, [(c.id, c.skeleton, [s["name"] for s in c.slots]) for c in candidates], threshold,
        sensitive_keywords)
    if fit is None or not all(safe_value(v) for v in fit.bindings.values()):
        return None
    template = next(c for c in candidates if c.id == fit.template_id)
    files = [TemplateFile(**f) for f in template.files]
    if name_clash(files, fit.bindings):
        return None
    rendered = render(files, fit.bindings)
    return TemplateMatch(template_id=fit.template_id, score=fit.score, bindings=fit.bindings, files=rendered)


def _python_names(code: str) -> set[str]:
    """The identifiers (NAME tokens) of ``code``; empty when it does not tokenize."""
    try:
        return {t.string for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type == tokenize.NAME}
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return set()


def name_clash(files: list[TemplateFile], bindings: dict[str, list[str]]) -> set[str]:
    """Identifiers the request's names would write that the template's Python already uses for something else.

    "Export Key records" into a template whose loop says ``for key in KEY_FIELDS`` gives ``key.get(key)``: it
    parses, and fails when run. Such a request gets no fit (the LLM writes it), and the template is not blamed.
    """
    wanted = {form for words in bindings.values() for key, form in name_forms(words).items()
              if key not in ARTICLE_KEYS and form.isidentifier()}
    literal: set[str] = set()
    for f in files:
        if f.path.endswith(".py"):
            literal |= _python_names(PLACEHOLDER.sub("_", f.content))  # each slot blanked to a harmless name
    return wanted & literal
