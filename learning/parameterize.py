"""Turn (task, code) into a slot template: every written form of a task's name in the code becomes a slot.

Slots are written as ``⟦entity:snake_plural⟧``: a marker no template language knows, so code with
``{{ }}``, ``{% %}``, ``${}`` or f-strings is kept byte for byte. A template is only accepted if
rendering it with the original names gives back exactly the original code.
"""

from __future__ import annotations

import io
import re
import tokenize

from pydantic import BaseModel, Field

from learning.forms import ARTICLE_KEYS, FORM_KEYS, indefinite_article, name_forms, singularize
from learning.names import candidate_names

OPEN, CLOSE = "\u27e6", "\u27e7"
PLACEHOLDER = re.compile(OPEN + r"([a-z][a-z0-9_]*):([a-z_]+)" + CLOSE)
# A string literal holding one identifier-like token (a table name, a class name, an event type).
_IDENTIFIER_LIKE = re.compile(r"""^[rRbBuU]{0,2}(['"])[A-Za-z_][\w.:/-]*\1$""")
SLOT_VALUE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[ _-][A-Za-z0-9]+){0,3}$")


class Slot(BaseModel):
    name: str = Field(description="Slot name in the template, e.g. 'entity'.")
    words: list[str] = Field(description="The name it held in the source, as lowercase words.")


class TemplateFile(BaseModel):
    path: str
    content: str


class TemplateDraft(BaseModel):
    slots: list[Slot]
    files: list[TemplateFile]


class NotLearnable(ValueError):
    """The generation cannot become a template (no name in common, a failed round trip, ...)."""


def render(files: list[TemplateFile], values: dict[str, list[str]]) -> list[TemplateFile]:
    """Substitute slots only; nothing else in the text is interpreted."""
    forms = {slot: name_forms(words) for slot, words in values.items()}

    def fill(match: re.Match[str]) -> str:
        slot, key = match.group(1), match.group(2)
        if slot not in forms or key not in forms[slot]:
            raise NotLearnable(f"template uses unknown slot {slot}:{key}")
        return forms[slot][key]

    return [TemplateFile(path=PLACEHOLDER.sub(fill, f.path), content=PLACEHOLDER.sub(fill, f.content))
            for f in files]


def literal_spans(path: str, text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans (Python only) of prose (comments, string literals with words) and of string literals
    holding one identifier-like token ("invoices", "InvoiceLine", "invoice.created")."""
    if not path.endswith(".py"):
        return [], []
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    prose, idents = [], []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            span = (starts[tok.start[0] - 1] + tok.start[1], starts[tok.end[0] - 1] + tok.end[1])
            if tok.type == tokenize.STRING and _IDENTIFIER_LIKE.match(tok.string):
                idents.append(span)
            elif tok.type in (tokenize.STRING, tokenize.COMMENT) or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                prose.append(span)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [], []
    return prose, idents


def prose_spans(path: str, text: str) -> list[tuple[int, int]]:
    """Character spans of comments and string literals with words (Python only): there names are words."""
    return literal_spans(path, text)[0]


def _preferences(text: str, start: int, end: int, in_prose: bool, is_path: bool) -> list[str]:
    prev = text[start - 1] if start else ""
    nxt = text[end] if end < len(text) else ""
    if is_path:
        return ["snake", "pascal", "upper", "kebab", "camel", "flat", "words", "title", "sentence"]
    if (prev and prev in "-/") or (nxt and nxt in "-/"):
        return ["kebab", "upper", "pascal", "snake", "camel", "flat", "words", "title", "sentence"]
    if nxt.isupper() or (prev.islower() and text[start].isupper()):
        return ["camel", "pascal", "snake", "upper", "kebab", "flat", "words", "title", "sentence"]
    if prev == "_" or nxt == "_":
        return ["snake", "upper", "pascal", "camel", "kebab", "flat", "words", "title", "sentence"]
    if in_prose:
        following = text[end + 1] if nxt == " " and end + 1 < len(text) else ""
        if text[start].isupper() and following.islower():  # "Invoice not found" -> "Purchase order not found"
            return ["sentence", "title", "words", "upper", "snake", "kebab", "pascal", "camel", "flat"]
        return ["words", "title", "sentence", "upper", "snake", "kebab", "pascal", "camel", "flat"]
    return ["snake", "pascal", "upper", "camel", "kebab", "flat", "words", "title", "sentence"]


def _bounded(text: str, start: int, end: int, form: str) -> bool:
    prev = text[start - 1] if start else ""
    nxt = text[end] if end < len(text) else ""
    if prev.isdigit() or (prev.isalpha() and (form[0].islower() or prev.isupper())):
        return False
    if form[-1].isupper():
        return not (nxt.isalnum())
    return not (nxt.islower() or nxt.isdigit())


def parameterize_text(text: str, slots: list[Slot], *, path: str, is_path: bool = False) -> tuple[str, int]:
    """Replace every bounded form of every slot name in ``text``; return the text and the count."""
    by_form: dict[str, list[tuple[str, str]]] = {}
    for slot in slots:
        for key, form in name_forms(slot.words).items():
            if key not in ARTICLE_KEYS:
                by_form.setdefault(form, []).append((slot.name, key))
    if not by_form:
        return text, 0
    pattern = re.compile("|".join(re.escape(f) for f in sorted(by_form, key=len, reverse=True)))
    spans, idents = ([], []) if is_path else literal_spans(path, text)
    out, last, count = [], 0, 0
    for m in pattern.finditer(text):
        if not _bounded(text, m.start(), m.end(), m.group()):
            continue
        options = by_form[m.group()]
        in_prose = any(a <= m.start() < b for a, b in spans) or (
            not path.endswith(".py") and text[m.start() - 1: m.start()] == " ")
        if not in_prose and m.group()[:1].isupper() and all(k.endswith("_plural") for _, k in options):
            # "Invoices" alone in a string is a label (tags=["Invoices"]); "Invoice" is a class name
            in_prose = any(a <= m.start() < b for a, b in idents)
        order = _preferences(text, m.start(), m.end(), in_prose, is_path)
        rank = {k: i for i, k in enumerate(order)}
        slot_name, key = min(options, key=lambda o, r=rank: (r.get(o[1].removesuffix("_plural"), 99),
                                                              o[1].endswith("_plural")))
        out.append(text[last:m.start()] + f"{OPEN}{slot_name}:{key}{CLOSE}")
        last, count = m.end(), count + 1
    out.append(text[last:])
    return _articles("".join(out), slots), count


_ARTICLE_BEFORE = re.compile(r"(?<![A-Za-z])(a|an|A|An) (?=" + OPEN + r"([a-z][a-z0-9_]*):([a-z]+)" + CLOSE + ")")


def _articles(text: str, slots: list[Slot]) -> str:
    """'an ⟦entity:words⟧' -> '⟦entity:article⟧ ⟦entity:words⟧' when the article agrees with the source name,
    so "an invoice" renders "a purchase order". A source article that breaks the plain rule stays as written."""
    words = {s.name: s.words for s in slots}

    def fix(m: re.Match[str]) -> str:
        article, slot, key = m.group(1), m.group(2), m.group(3)
        if slot not in words or key.endswith("plural") or article.lower() != indefinite_article(words[slot]):
            return m.group(0)
        return f"{OPEN}{slot}:{'article_cap' if article[0].isupper() else 'article'}{CLOSE} "

    return _ARTICLE_BEFORE.sub(fix, text)


def parameterize(task: str, files: list[TemplateFile], exclude: frozenset[str] = frozenset(),
                 names: list[tuple[str, ...]] | None = None) -> TemplateDraft:
    """The template for ``files``, with a slot for each task name the code spells; or ``NotLearnable``.

    ``exclude``: words that are never names (the request's stack). ``names``: the names to try, in
    order, instead of those found in the task (smart parameterization passes the ones a model named).
    """
    if any(OPEN in f.content or CLOSE in f.content or OPEN in f.path for f in files):
        raise NotLearnable("the code already contains the slot marker characters")
    tried = list(names if names is not None else candidate_names(task, exclude=exclude))
    counts = {words: sum(parameterize_text(f.content, [Slot(name="entity", words=list(words))], path=f.path)[1]
                         for f in files) for words in tried}
    slots: list[Slot] = []
    taken: set[str] = set()
    for words in tried:
        singular = {singularize(w) for w in words}
        if taken & singular or not counts[words]:
            continue  # overlaps a longer name already taken ("sales invoice" then "sale"), or absent
        dominant = next((other for other in tried if len(other) < len(words) and counts[other] >= 2 * counts[words]
                         and {singularize(w) for w in other} <= singular), None)
        if dominant is not None:
            # "member accounts" once in a docstring, "member" everywhere: the name is "member", and
            # "account" only describes it (it stays in the skeleton, not a second slot)
            taken |= singular - {singularize(w) for w in dominant}
            continue
        slots.append(Slot(name=f"entity{len(slots) + 1 if slots else ''}", words=list(words)))
        taken |= singular
    if not slots:
        raise NotLearnable("no name of the task appears in the code")
    templated = [
        TemplateFile(path=parameterize_text(f.path, slots, path=f.path, is_path=True)[0],
                     content=parameterize_text(f.content, slots, path=f.path)[0])
        for f in files
    ]
    back = render(templated, {s.name: s.words for s in slots})
    if [(f.path, f.content) for f in back] != [(f.path, f.content) for f in files]:
        raise NotLearnable("the template does not render back to the original code")
    return TemplateDraft(slots=slots, files=templated)


assert set(FORM_KEYS) == set(name_forms(["a", "b"]))  # noqa: S101 - keys and forms agree
