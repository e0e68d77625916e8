"""Turn (task, code) into a slot template: every written form of a task's name in the code becomes a slot.

Slots are written as ``⟦entity:snake_plural⟧``: a marker no template language knows, so code with
``{{ }}``, ``{% %}``, ``${}`` or f-strings is kept byte for byte. A template is only accepted if
rendering it with the original names gives back exactly the original code.
"""

from __future__ import annotations

import builtins
import io
import keyword
import re
import tokenize

from pydantic import BaseModel, Field

from learning.forms import ARTICLE_KEYS, FORM_KEYS, indefinite_article, name_forms, singularize
from learning.names import candidate_names, first_position, task_words

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
    holding one identifier-like token ("invoices", "InvoiceLine", "invoice.created").

    In an f-string only the literal text is prose: the replacement fields (``{invoice.amount:.2f}``) are
    code, so a name there keeps an identifier form. Python 3.11 tokenizes an f-string as one ``STRING``
    and 3.12+ as parts; both are read by one parser here, so templates do not depend on the version.
    """
    if not path.endswith(".py"):
        return [], []
    try:
        return _token_spans(text)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [], []


Spans = list[tuple[int, int]]
_FSTRING_END = getattr(tokenize, "FSTRING_END", -1)
_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)
_STRING_PREFIX = re.compile(r"[A-Za-z]*")


def _token_spans(text: str, offset: int = 0) -> tuple[Spans, Spans]:
    """Prose and identifier-like spans of the Python ``text`` (raises on text that does not tokenize)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    prose: Spans = []
    idents: Spans = []
    fstring_start, depth = 0, 0
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        span = (starts[tok.start[0] - 1] + tok.start[1], starts[tok.end[0] - 1] + tok.end[1])
        if tok.type == _FSTRING_START:  # Python 3.12+: the parts of an f-string, read whole below
            fstring_start = span[0] if depth == 0 else fstring_start
            depth += 1
        elif tok.type == _FSTRING_END:
            depth -= 1
            if depth == 0:
                _fstring_spans(text, fstring_start, span[1], prose, idents)
        elif depth:
            continue
        elif tok.type == tokenize.STRING and "f" in _STRING_PREFIX.match(tok.string).group().lower():
            _fstring_spans(text, span[0], span[1], prose, idents)  # Python 3.11: an f-string is one token
        elif tok.type == tokenize.STRING and _IDENTIFIER_LIKE.match(tok.string):
            idents.append(span)
        elif tok.type in (tokenize.STRING, tokenize.COMMENT):
            prose.append(span)
    return ([(a + offset, b + offset) for a, b in prose], [(a + offset, b + offset) for a, b in idents])


def _fstring_spans(text: str, start: int, end: int, prose: Spans, idents: Spans) -> None:
    """Add the spans of the f-string ``text[start:end]``: its prefix, quotes and literal text are prose
    (``{{`` and ``}}`` are literal braces); in a replacement field the expression is code (its own string
    literals are read as usual), the format spec's literal text is string text, nested fields are fields."""
    prefix = _STRING_PREFIX.match(text, start).group()
    body_start = start + len(prefix)
    quote = text[body_start:body_start + 3]
    quote = quote if quote in ('"""', "'''") else quote[:1]
    body_start, body_end = body_start + len(quote), end - len(quote)
    prose.append((start, body_start))
    _fstring_text(text, body_start, body_end, "r" in prefix.lower(), prose, idents, in_spec=False)
    prose.append((body_end, end))


def _fstring_text(text: str, i: int, end: int, raw: bool, prose: Spans, idents: Spans, *, in_spec: bool) -> int:
    """Read literal text and replacement fields from ``i``; in a format spec, stop at the ``}`` closing it."""
    literal = i
    while i < end:
        c = text[i]
        if c == "\\" and not raw:
            close = text.find("}", i + 3, end) if text.startswith("N{", i + 1) else -1
            i = close + 1 if close > 0 else i + 2  # "\N{EM DASH}" is one character, not a field
        elif not in_spec and c in "{}" and text.startswith(c * 2, i):
            i += 2
        elif c == "{":
            if literal < i:
                prose.append((literal, i))
            i = literal = _fstring_field(text, i, end, raw, prose, idents)
        elif c == "}" and in_spec:
            break
        else:
            i += 1
    if literal < i:
        prose.append((literal, i))
    return i


def _fstring_field(text: str, i: int, end: int, raw: bool, prose: Spans, idents: Spans) -> int:
    """Read the replacement field opening at ``text[i] == "{"``; return the index after its ``}``."""
    j, depth = i + 1, 0
    while j < end:
        c = text[j]
        if c in "'\"":
            j = _skip_string(text, j, end)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (c == ":" or (c == "!" and text[j + 1:j + 2] != "=")):
            break
        j += 1
    try:  # the expression, as the code it is; wrapped so that a line break in it tokenizes
        inner_prose, inner_idents = _token_spans(f"({text[i + 1:j]})", offset=i)
        prose.extend(inner_prose)
        idents.extend(inner_idents)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # all code
    if j < end and text[j] == "!":
        while j < end and text[j] not in ":}":
            j += 1
    if j < end and text[j] == ":":
        j = _fstring_text(text, j + 1, end, raw, prose, idents, in_spec=True)
    return min(j + 1, end)


def _skip_string(text: str, i: int, end: int) -> int:
    """The index after the string literal whose quote opens at ``text[i]``."""
    quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else text[i]
    j = i + len(quote)
    while j < end:
        if text[j] == "\\":
            j += 2
        elif text.startswith(quote, j):
            return j + len(quote)
        else:
            j += 1
    return end


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
        if not in_prose and path.endswith(".py") and _python_name_at(text, m.start(), m.end()):
            continue  # print(...), @property, list[...]: Python's own names are never a slot in code
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


# Names Python itself defines: in code they are the language's, whatever the task calls its entity ("a
# Property", "print a Greeting"), so they stay as written.
_PYTHON_NAMES = frozenset(n for n in dir(builtins) if not n.startswith("_")) | frozenset(keyword.kwlist) | frozenset(
    keyword.softkwlist) | {"self", "cls", "type", "match", "case"}
_IDENT = re.compile(r"[A-Za-z0-9_]")


def _python_name_at(text: str, start: int, end: int) -> bool:
    """Whether the whole identifier at ``text[start:end]`` is one of Python's own names (``print``, ``property``)."""
    if start > 0 and _IDENT.match(text, start - 1) or end < len(text) and _IDENT.match(text, end):
        return False  # part of a longer identifier (invoice_list): ours, not Python's
    return text[start:end] in _PYTHON_NAMES


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
    # Slots are numbered in the order the task names them, as matching reads a task ("the total of a Purchase
    # Order": entity = total, entity2 = purchase order), so a repeat of the task binds each name to its slot.
    in_task = task_words(task)
    slots = [Slot(name=f"entity{i + 1 if i else ''}", words=s.words)
             for i, s in enumerate(sorted(slots, key=lambda s: first_position(in_task, tuple(s.words))))]
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
