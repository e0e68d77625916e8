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

from learning.forms import FORM_KEYS, name_forms
from learning.names import candidate_names

OPEN, CLOSE = "\u27e6", "\u27e7"
PLACEHOLDER = re.compile(OPEN + r"([a-z][a-z0-9_]*):([a-z_]+)" + CLOSE)
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


def prose_spans(path: str, text: str) -> list[tuple[int, int]]:
    """Character spans of comments and string literals (Python only): there names are written as words."""
    if not path.endswith(".py"):
        return []
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    spans = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in (tokenize.STRING, tokenize.COMMENT) or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                spans.append((starts[tok.start[0] - 1] + tok.start[1], starts[tok.end[0] - 1] + tok.end[1]))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []
    return spans


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
            by_form.setdefault(form, []).append((slot.name, key))
    if not by_form:
        return text, 0
    pattern = re.compile("|".join(re.escape(f) for f in sorted(by_form, key=len, reverse=True)))
    spans = [] if is_path else prose_spans(path, text)
    out, last, count = [], 0, 0
    for m in pattern.finditer(text):
        if not _bounded(text, m.start(), m.end(), m.group()):
            continue
        in_prose = any(a <= m.start() < b for a, b in spans) or (
            not path.endswith(".py") and text[m.start() - 1: m.start()] == " ")
        options = by_form[m.group()]
        order = _preferences(text, m.start(), m.end(), in_prose, is_path)
        rank = {k: i for i, k in enumerate(order)}
        slot_name, key = min(options, key=lambda o, r=rank: (r.get(o[1].removesuffix("_plural"), 99),
                                                              o[1].endswith("_plural")))
        out.append(text[last:m.start()] + f"{OPEN}{slot_name}:{key}{CLOSE}")
        last, count = m.end(), count + 1
    out.append(text[last:])
    return "".join(out), count


def parameterize(task: str, files: list[TemplateFile]) -> TemplateDraft:
    """The template for ``files``, with a slot for each task name the code spells; or ``NotLearnable``."""
    if any(OPEN in f.content or CLOSE in f.content or OPEN in f.path for f in files):
        raise NotLearnable("the code already contains the slot marker characters")
    slots: list[Slot] = []
    taken: set[str] = set()
    for words in candidate_names(task):
        if taken & set(words):
            continue
        trial = Slot(name=f"entity{len(slots) + 1 if slots else ''}", words=list(words))
        if any(parameterize_text(f.content, [trial], path=f.path)[1] for f in files):
            slots.append(trial)
            taken |= set(words)
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
