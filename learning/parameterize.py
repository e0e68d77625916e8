"""Turn (task, code) into a slot template: the task's entity names, where the code itself defines them, become slots.

A slot stands only at whole word parts of identifiers the code defines (``learning.code_sites``) and in its
text (string literals, comments, docstrings, paths), never in a name the code takes from elsewhere
(``DateTime`` keeps its "Time" whatever the entity). Slots are written ``⟦entity:snake_plural⟧``: a marker no
template language knows, so code with ``{{ }}``, ``{% %}`` or f-strings is kept byte for byte. A template is
kept only when it renders back to exactly the original code and a render with other names changes no external
name and merges no two of the code's own names (``check_render``).
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pydantic import BaseModel, Field

from contracts import GeneratedFile
from learning.code_sites import code_names
from learning.forms import indefinite_article, name_forms, other_plurals, pluralize, singularize, split_words
from learning.literals import literal_spans
from learning.words import Part, Token, content, parts_of, tokens

OPEN, CLOSE = "\u27e6", "\u27e7"
PLACEHOLDER = re.compile(OPEN + r"([a-z][a-z0-9_]*):([a-z_]+)" + CLOSE)
SLOT_VALUE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[ _-][A-Za-z0-9]+){0,3}$")
MAX_NAME_WORDS = 4
MAX_SLOTS = 3
PROBE = ["probe", "thing", "item"]  # a name no code uses: a render with it shows what a template may change


class Slot(BaseModel):
    name: str = Field(description="Slot name in the template, e.g. 'entity'.")
    words: list[str] = Field(description="The name it held in the source, as lowercase words.")
    multiword: bool = Field(
        default=True,
        description="May hold a name of several words. False when a one-word "
        "source left a form to guess ('payments:events': snake or kebab?) until a source of "
        "several words with the same code shows it.",
    )


class TemplateDraft(BaseModel):
    slots: list[Slot]
    files: list[GeneratedFile]
    pattern: str = Field(description="The source task with its names as slot markers.")


class NotLearnable(ValueError):
    """The generation cannot become a template (no name the code defines, a failed round trip, ...)."""


def render_text(text: str, values: dict[str, list[str]]) -> str:
    forms = {slot: name_forms(words) for slot, words in values.items()}

    def fill(match: re.Match[str]) -> str:
        slot, key = match.group(1), match.group(2)
        if slot not in forms or key not in forms[slot]:
            raise NotLearnable(f"template uses unknown slot {slot}:{key}")
        return forms[slot][key]

    return PLACEHOLDER.sub(fill, text)


def render(files: list[GeneratedFile], values: dict[str, list[str]]) -> list[GeneratedFile]:
    """Substitute slots only; nothing else in the text is interpreted."""
    return [GeneratedFile(path=render_text(f.path, values), content=render_text(f.content, values)) for f in files]


# --- sites: runs of word parts where a name may stand ---------------------------------------------------------
@dataclass(frozen=True)
class Site:
    parts: tuple[Part, ...]
    identifier: bool  # one identifier of the code (parts joined by "" or "_"); else text
    label: bool = False  # a string literal holding one identifier-like token: a table, class or event name
    prose: bool = False  # a docstring or comment

    @cached_property
    def _hash(self) -> int:
        return hash((self.parts, self.identifier, self.label, self.prose))

    def __hash__(self) -> int:  # sites key the name-finding cache: hash the parts once, not at every lookup
        return self._hash


def shipped_modules(files: Iterable[GeneratedFile]) -> frozenset[str]:
    """Top-level modules the generated files are themselves: ``app`` for ``app/models.py``, ``main`` for main.py."""
    out = set()
    for f in files:
        first = f.path.strip("/").split("/")[0]
        out.add(first.removesuffix(".py"))
    return frozenset(out)


def _path_sites(path: str) -> list[Site]:
    """The places of a file's ``path`` where a slot may stand: all of it, read as a label."""
    return [_text_site(path, 0, len(path), frozenset(), label=True)]


def _sites_of(path: str, text: str, *, shipped: frozenset[str] = frozenset()) -> list[Site] | None:
    """The places of ``text`` where a slot may stand; None for Python that does not parse."""
    if not path.endswith(".py"):
        return [_text_site(text, 0, len(text), frozenset())]
    names = code_names(text, shipped)
    if names is None:
        return None
    external = frozenset(names.external_names())
    sites = [
        Site(parts_of(name, start), True)
        for start, _, name in names.internal
        if name in names.eligible and not _dunder(name)
    ]
    prose, idents = literal_spans(path, text)
    plain = _plain_prose(text)
    sites += [
        _text_site(text, a, b, external, prose=(a, b) in plain or any(x <= a and b <= y for x, y in plain))
        for a, b in sorted(prose)
    ]
    sites += [_text_site(text, a, b, external, label=True) for a, b in sorted(idents)]
    return sites


def _plain_prose(text: str) -> list[tuple[int, int]]:
    """Spans of docstrings and comments: text for people, where a name of several words is written as words.
    (Other string literals may be SQL, labels or keys: how they would write such a name is not known.)"""
    import ast
    import io
    import tokenize

    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    out: list[tuple[int, int]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                out.append((starts[tok.start[0] - 1] + tok.start[1], starts[tok.end[0] - 1] + tok.end[1]))
        for node in ast.walk(ast.parse(text)):
            body = getattr(node, "body", None)
            if (
                isinstance(body, list)
                and body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                doc = body[0].value
                line = text.splitlines(keepends=True)[doc.lineno - 1]
                a = starts[doc.lineno - 1] + len(line.encode()[: doc.col_offset].decode(errors="replace"))
                end_line = text.splitlines(keepends=True)[(doc.end_lineno or doc.lineno) - 1]
                b = starts[(doc.end_lineno or doc.lineno) - 1] + len(
                    end_line.encode()[: doc.end_col_offset or 0].decode(errors="replace")
                )
                out.append((a, b))
    except (SyntaxError, tokenize.TokenError, IndentationError, ValueError):
        return []
    return out


def _text_site(
    text: str, start: int, end: int, external: frozenset[str], label: bool = False, prose: bool = False
) -> Site:
    """Text from ``start`` to ``end``: every word part, except inside a token that is an external name."""
    found: list[Part] = []
    for tok in tokens(text[start:end]):
        if tok.text in external and not tok.text.islower():
            continue  # "DateTime" in a docstring is the library's name; a plain word ("status") is a word
        a, b = start + tok.start, start + tok.end
        if _dunder(text[max(0, a - 2) : b + 2]):
            continue  # "__main__", __init__: Python's names, whatever the code does with them
        found += [Part(p.text, p.lower, p.start + start, p.end + start, tok.start + start) for p in tok.parts]
    return Site(tuple(found), False, label, prose)


def _dunder(name: str) -> bool:
    """A name of Python's own (``__init__``, ``__main__``, ``__name__``): the language's, never the code's to rename."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    slot: str
    key: str
    guessed: bool = False  # a one-word name in a label or path: its form for several words is a guess


def _form_key(
    text: str, parts: tuple[Part, ...], plural: bool, code: bool, compound: bool, label: bool = False
) -> str | None:
    """Which written form ``parts`` are (``pascal``, ``snake_plural``, ...), or None for a mixed spelling.

    ``code``: an identifier site; ``compound``: the parts are glued to others of their token ("CustomerCreate");
    ``label``: a string literal holding one identifier-like token ("invoices", "InvoiceLine")."""
    gaps = {text[a.end : b.start] for a, b in zip(parts, parts[1:], strict=False)}
    shapes = [
        (
            "title"
            if p.text[:1].isupper() and p.text[1:].islower()
            else "upper"
            if p.text.isupper()
            else "lower"
            if p.text.islower()
            else "mixed"
        )
        for p in parts
    ]
    suffix = "_plural" if plural else ""
    ident = code or compound
    if len(parts) == 1:
        shape, part = shapes[0], parts[0]
        before = text[part.start - 1 : part.start] if part.start else ""
        after = text[part.end : part.end + 1]
        if shape == "upper" and len(part.text) > 1:
            return "upper" + suffix
        if shape == "lower":
            if ident and after[:1].isupper():
                return "camel" + suffix
            dotted = before == "." or (after == "." and text[part.end + 1 : part.end + 2].isalnum())
            if not code and ("-" in (before, after) or ("/" in (before, after) and not label)):
                return "kebab" + suffix
            return ("snake" if ident or label or "_" in (before, after) or dotted else "words") + suffix
        if shape == "title":
            if ident or label or after in ("(", ".", "_", "[") or before == ".":
                return "pascal" + suffix
            sentence_start = not text[: part.start].strip() or text[: part.start].rstrip()[-1:] in ".!?:\"'"
            return ("sentence" if sentence_start else "title") + suffix
        return None
    if len(gaps) != 1:
        return None
    gap = gaps.pop()
    if gap == "" and all(s == "title" for s in shapes):
        return "pascal" + suffix
    if gap == "" and shapes[0] == "lower" and all(s == "title" for s in shapes[1:]):
        return "camel" + suffix
    if gap == "_" and all(s == "lower" for s in shapes):
        return "snake" + suffix
    if gap == "_" and all(s == "upper" for s in shapes):
        return "upper" + suffix
    if gap == "-" and all(s == "lower" for s in shapes) and not code:
        return "kebab" + suffix
    if gap == " " and not ident:
        if all(s == "lower" for s in shapes):
            return "words" + suffix
        if all(s == "title" for s in shapes):
            return "title" + suffix
        if shapes[0] == "title" and all(s == "lower" for s in shapes[1:]):
            return "sentence" + suffix
    return None


def _joined(text: str, a: Part, b: Part, code: bool) -> bool:
    """Are two parts adjacent words of one name (no gap, an underscore or hyphen, or one space in text)?"""
    gap = text[a.end : b.start]
    if code:
        return gap in ("", "_")
    return (a.token == b.token and gap in ("", "_", "-")) or (gap == " " and a.token != b.token)


def find_name(text: str, site: Site, words: list[str]) -> list[tuple[int, int, str]]:
    """Where the name ``words`` (last word singular or plural) stands in ``site``: (start, end, form key)."""
    if len(text) < 2000:
        return list(_find_name_cached(text, site, tuple(words)))
    return _find_name(text, site, list(words))


@lru_cache(maxsize=32768)
def _find_name_cached(text: str, site: Site, words: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple(_find_name(text, site, list(words)))


def _find_name(text: str, site: Site, words: list[str]) -> list[tuple[int, int, str]]:
    n = len(words)
    plural_form = pluralize(words[-1])
    last = {words[-1]: False, plural_form: plural_form != words[-1]}
    out = []
    parts = site.parts
    for i in range(len(parts) - n + 1):
        window = parts[i : i + n]
        if [p.lower for p in window[:-1]] != words[:-1] or window[-1].lower not in last:
            continue
        if any(not _joined(text, a, b, site.identifier) for a, b in zip(window, window[1:], strict=False)):
            continue
        if len({p.token for p in window}) > 1 and not site.identifier:
            # words of a name written apart ("time entry") are whole tokens, not pieces of compounds
            inside = {id(p) for p in window}
            if any(p.token == q.token for p in window for q in parts if id(q) not in inside):
                continue
        before, after = (parts[i - 1] if i else None), (parts[i + n] if i + n < len(parts) else None)
        compound = any(q is not None and q.token == window[0].token for q in (before, after)) and not (
            len({p.token for p in window}) > 1
        )
        key = _form_key(text, window, last[window[-1].lower], site.identifier, compound, site.label)
        if key is not None:
            out.append((window[0].start, window[-1].end, key))
    return out


def _hits(text: str, sites: Iterable[Site], slots: list[Slot]) -> list[Hit]:
    found: list[Hit] = []
    for site in sites:
        for slot in sorted(slots, key=lambda s: -len(s.words)):
            for start, end, key in find_name(text, site, slot.words):
                around = text[start - 1 : start] + text[end : end + 1]
                glued = "-" in around or "_" in around  # "import-invoices", "{invoice_id}": the form is plain
                guessed = (
                    len(slot.words) == 1
                    and not site.identifier
                    and not glued
                    and (not site.prose or "/" in around)
                    and not key.startswith("upper")
                )
                found.append(Hit(start, end, slot.name, key, guessed))
    found.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    for hit in found:
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


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


@lru_cache(maxsize=4096)
def _whole_text_site(text: str) -> Site:
    return _text_site(text, 0, len(text), frozenset())


def slot_text(text: str, slots: list[Slot], sites: list[Site] | None = None) -> str:
    """``text`` with every form of every slot's name at ``sites`` (default: all of it, as text) as a marker."""
    sites = sites if sites is not None else [_whole_text_site(text)]
    out, last = [], 0
    for hit in _hits(text, sites, slots):
        out.append(text[last : hit.start] + f"{OPEN}{hit.slot}:{hit.key}{CLOSE}")
        last = hit.end
    out.append(text[last:])
    return _articles("".join(out), slots)


# --- which of the task's names the code defines -----------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    words: tuple[str, ...]
    positions: frozenset[int]  # indices of the task's parts it covers
    in_code: int  # occurrences at identifier sites
    in_text: int
    in_class: bool  # a whole class name the code defines
    leads: int = 0  # classes whose name it begins (InvoiceCreate, InvoiceRead): entities lead, roles trail
    named: bool = False  # the task writes it as a name: Title Case after its first word, or as an identifier
    forms: int = 0  # distinct written forms in the code (Invoice, invoice_id, INVOICES): things have many, verbs few


def task_names(task: str, tools: frozenset[str] = frozenset()) -> list[tuple[tuple[str, ...], frozenset[int]]]:
    """Runs of 1 to 4 content words of ``task``: inside one identifier token, or plain words side by side.

    ``tools``: tokens that are the stack's tools ("FastAPI", "SQLAlchemy") hold no name."""
    return [(w, pos) for w, pos, _, _ in _task_names(task, tools)]


def _in_path(task: str, token: Token) -> bool:
    """The token is a segment of a URL path or route ("/invoices", "`/api/purchase-orders`"): the run of
    characters around it starts with "/". Words joined by slashes in prose ("create/read/update") are
    alternatives, not a path."""
    if task[token.start - 1 : token.start] != "/":
        return False
    start = token.start
    while start > 0 and not task[start - 1].isspace():
        start -= 1
    return task[start : token.start].lstrip("`'\"(").startswith("/")


def _task_names(
    task: str, tools: frozenset[str], leading: bool = False
) -> list[tuple[tuple[str, ...], frozenset[int], bool, bool]]:
    """``leading``: of a name written as one identifier, only its leading words ("StatusReport" is "status report"
    or "status", never "report"; "WarehouseRepository" may be "warehouse"): entities lead, roles trail."""
    every = tokens(task)
    toks = [t for t in every if t.text.lower() not in tools]
    flat: list[tuple[Part, bool]] = [(p, t.identifier) for t in toks for p in t.parts]
    out: dict[tuple[str, ...], tuple[set[int], bool, bool]] = {}
    for i in range(len(flat)):
        for n in range(1, MAX_NAME_WORDS + 1):
            window = flat[i : i + n]
            if len(window) < n:
                break
            ok = all(content(p.lower) and p.lower.isalpha() and len(p.lower) > 1 for p, _ in window)
            same_token = len({p.token for p, _ in window}) == 1
            plain_run = all(not ident for _, ident in window) and all(
                task[a.end : b.start] == " " for (a, _), (b, _) in zip(window, window[1:], strict=False)
            )
            if not ok or not (same_token or plain_run):
                continue
            token = every[window[0][0].token]
            cased = bool(re.search(r"[a-z][A-Z]|^[A-Z][a-z]+[A-Z]", token.text))  # PurchaseOrder, purchaseOrder
            if leading and same_token and cased and window[0][0] != token.parts[0]:
                continue
            shapes = {
                "title" if p.text[:1].isupper() and p.text[1:].islower() else "lower" if p.text.islower() else "other"
                for p, _ in window
            }
            opens = not task[: window[0][0].start].strip() or task[: window[0][0].start].rstrip()[-1:] in ".!?:"
            # The words of one name are mostly written alike ("Vendor records" is a name and a noun); a run in
            # sentence case ("the Status report service") is one only where the code spells it as one name.
            mixed = (
                not same_token
                and len(shapes) > 1
                and not (opens and window[0][0].text[:1].isupper() and all(p.text.islower() for p, _ in window[1:]))
            )
            if mixed and not (window[0][0].text[:1].isupper() and all(p.text.islower() for p, _ in window[1:])):
                continue
            words = (*[p.lower for p, _ in window[:-1]], singularize(window[-1][0].lower))
            written_as_identifier = same_token and (
                cased or "_" in token.text or task[token.start - 1 : token.start] == "`" or _in_path(task, token)
            )
            named = (
                written_as_identifier
                or (not same_token or len(token.parts) == 1)
                and not opens
                and all(p.text[:1].isupper() and p.text[1:].islower() for p, _ in window)
            )
            positions, was_named, was_mixed = out.get(words, (set(), False, True))
            out[words] = (positions | set(range(i, i + n)), was_named or named, was_mixed and mixed)
    return [(w, frozenset(pos), named, mixed) for w, (pos, named, mixed) in out.items()]


def _library_words(files: list[GeneratedFile]) -> set[str]:
    """The word parts of the names the code takes from libraries, singular and plural ("csv", "router")."""
    words: set[str] = set()
    for f in files:
        if f.path.endswith(".py"):
            names = code_names(f.content, shipped_modules(files))
            if names is not None:
                words |= {p.lower for n in names.external_names() for p in parts_of(n, 0)}
    return words | {pluralize(w) for w in words}


def _imported_words(files: list[GeneratedFile]) -> set[str]:
    """The word parts of the modules and names the code imports ("csv" of ``import csv``), singular and plural:
    a name given to learn with may not be one, even where only prose mentions it ("a CSV file")."""
    words: set[str] = set()
    for f in files:
        if not f.path.endswith(".py"):
            continue
        try:
            tree = ast.parse(f.content)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names] + [a.asname for a in node.names if a.asname]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [a.asname or a.name for a in node.names]
            else:
                continue
            words |= {w for n in names for part in n.split(".") for w in split_words(part)}
    return words | {pluralize(w) for w in words}


def _candidates(
    task: str, files: list[GeneratedFile], sites: dict[str, list[Site]], tools: frozenset[str]
) -> list[Candidate]:
    classes: list[str] = []
    for f in files:
        if f.path.endswith(".py"):
            classes += re.findall(r"^\s*class\s+([A-Za-z_]\w*)", f.content, re.MULTILINE)
    library_words = _library_words(files)
    out = []
    for words, positions, named, mixed in _task_names(task, tools, leading=True):
        if set(words) <= library_words:
            continue  # "client", "router", "session": what the libraries call their own things
        slot = [Slot(name="entity", words=list(words))]
        code = textual = 0
        keys: set[str] = set()
        for f in files:
            for site in sites[f.path]:
                hits = _hits(f.content, [site], slot)
                keys |= {h.key.removesuffix("_plural") for h in hits}
                code, textual = (code + len(hits), textual) if site.identifier else (code, textual + len(hits))
        if mixed and not (code and len(keys) >= 2):
            continue  # a run in sentence case the code does not spell as one name in two forms or more
        if code or textual >= 2:
            pascal = name_forms(list(words))
            whole = any(c in (pascal["pascal"], pascal["pascal_plural"]) for c in classes)
            leads = sum(bool(re.match(re.escape(pascal["pascal"]) + r"(?![a-z0-9])", c)) for c in classes)
            # a run in sentence case the code spells as one name is written as a name ("the Status report service")
            out.append(Candidate(words, positions, code, textual, whole, leads, named or mixed, len(keys)))
    return out


def choose_slots(candidates: list[Candidate]) -> list[Slot]:
    """The entity first: a name that begins the code's class names; else one the code spells in three or more forms
    (``LabResult``, ``lab_results``, ``/lab-results``: what the code is about); else a name the task writes as one
    (Title Case, an identifier: a code term such as `page_token` the task quotes comes after the names the code
    is built around); else the name it spells most. A longer name wins over a shorter one it contains when the
    shorter mostly stands inside it ("time entry" over "time"). Further slots only for other names the code makes
    whole classes of ("Convert Invoice to Receipt")."""

    def count(c: Candidate) -> int:
        return c.in_code + c.in_text

    def dominated(c: Candidate) -> bool:
        # the shorter name never stands alone in the code's own identifiers: it is a piece of the longer one
        return any(
            len(o.words) > len(c.words) and c.positions < o.positions and o.in_code and count(c) <= count(o)
            for o in candidates
        )

    def shadowed(c: Candidate) -> bool:
        # the longer name is the shorter one plus a role ("WarehouseRepository" of "Warehouse"), unless it begins
        # every class the shorter begins and is written in three forms or more ("StatusReportSettings",
        # "STATUS_REPORT_": "status" is also a field of its own)
        return any(
            len(o.words) < len(c.words)
            and o.positions < c.positions
            and count(o) > count(c)
            and not (c.leads >= o.leads > 0 and c.forms >= 3)
            for o in candidates
        )

    ranked = sorted(
        (c for c in candidates if not dominated(c) and not shadowed(c)),
        key=lambda c: (
            -(c.leads > 0),
            # of names beginning classes, the longest the code writes in three forms or more ("StatusReport",
            # "status_report", "STATUS_REPORT" over "status"; "LabResultPayload" alone is a role, not a name)
            -(c.leads > 0 and c.forms >= 3) * len(c.words),
            -(c.forms >= 3),
            -c.named,
            -(c.forms >= 2),
            -(c.in_code > 0),
            -count(c),
            -len(c.words),
        ),
    )
    chosen: list[Candidate] = []
    for cand in ranked:
        if any(cand.positions & c.positions or set(cand.words) & set(c.words) for c in chosen):
            continue
        if chosen and not (cand.in_class and count(cand) >= 2):
            continue
        chosen.append(cand)
        if len(chosen) == MAX_SLOTS:
            break
    chosen.sort(key=lambda c: min(c.positions))
    return [Slot(name=f"entity{i + 1 if i else ''}", words=list(c.words)) for i, c in enumerate(chosen)]


def trimmed_slots(files: list[GeneratedFile], sites: dict[str, list[Site]], slots: list[Slot]) -> list[Slot]:
    """Each chosen name, or the longest of its leading parts of two words or more that the code still spells
    outside it: then the name is that part plus a word of the code's own ("rate card" of ``RateCardRateLimiter``
    where the code also writes ``RATE_CARD_LIMIT`` and "rate cards"). Slotting the longer name would leave the
    shorter behind as text, and every render for another name would keep the source's. (A leftover of one word is
    no such sign: "status" of "status report" is as often a field of its own.) And a name the code never writes
    whole, only glued to more word parts, is its longest leading part the code does write whole."""
    out = []
    for slot in slots:
        for n in range(len(slot.words) - 1, 1, -1):
            part = Slot(name=slot.name, words=slot.words[:n])
            if any(_spelled_outside(f.path, sites.get(f.path), f.content, slots, part) for f in files):
                slot = slot.model_copy(update={"words": part.words})
                break
        else:
            if len(slot.words) > 1 and not _stands_whole(files, sites, slot):
                # never a whole word or identifier: always a name plus more ("TenantRate" of TenantRateLimiter,
                # TENANT_RATE_LIMIT); its longest leading part that does stand whole somewhere is the name
                for n in range(len(slot.words) - 1, 0, -1):
                    part = slot.model_copy(update={"words": slot.words[:n]})
                    if _stands_whole(files, sites, part):
                        slot = part
                        break
        out.append(slot)
    return out


def _stands_whole(files: list[GeneratedFile], sites: dict[str, list[Site]], slot: Slot) -> bool:
    """Does the code write the name somewhere as a whole word or identifier, not glued to more word parts
    (``Invoice(``, "invoices.", ``/invoices/`` but not ``InvoiceLine``, ``invoice_id``, ``invoice-lines``)?"""
    for f in files:
        for site in sites.get(f.path) or []:
            for hit in _hits(f.content, [site], [slot]):
                after = f.content[hit.end : hit.end + 2]
                if not (after[:1].isalnum() or (after[:1] in "_-" and after[1:2].isalnum())):
                    return True
    return False


def _spelled_outside(path: str, sites: list[Site] | None, content: str, slots: list[Slot], part: Slot) -> bool:
    """Does ``part`` stand, in any form, in the file (path or text) once every slot's name is taken out?"""
    for text in (slot_text(path, slots, _path_sites(path)), slot_text(content, slots, sites)):
        rest = PLACEHOLDER.sub(" ", text)
        if _hits(rest, [_whole_text_site(rest)], [part]):
            return True
    return False


# --- the invariant: what a render may change ------------------------------------------------------------------
def check_render(source: list[GeneratedFile], rendered: list[GeneratedFile]) -> str | None:
    """Why ``rendered`` (a render of the template of ``source``) may not be served, or None.

    Its external names must equal the source's, byte for byte, and no two distinct names of the source's own
    may become one (a new name equal to a name the code already uses changes what the code means)."""
    for before, after in zip(source, rendered, strict=True):
        if not before.path.endswith(".py"):
            continue
        old = code_names(before.content, shipped_modules(source))
        new = code_names(after.content, shipped_modules(rendered))
        if old is None:
            continue
        if new is None:
            return f"{after.path} does not parse with these names"
        if old.external_names() != new.external_names():
            changed = sorted(set(new.external_names()) ^ set(old.external_names()))[:3]
            return f"{after.path}: the names would change a name the code takes from elsewhere ({', '.join(changed)})"
        if len(old.internal_names()) != len(new.internal_names()):
            return f"{after.path}: a new name would coincide with a name the code already uses"
        taken = set(old.external_names())
        clash = (set(new.internal_names()) & taken) - (set(old.internal_names()) & taken)
        if clash:  # a new own name spelled like one the code takes from elsewhere (a parameter `q`, a module)
            first = sorted(clash)[0]
            return f"{after.path}: a new name would coincide with a name the code takes from elsewhere ({first})"
    return None


def safe_value(words: list[str]) -> bool:
    """A slot value must be a plain name: ASCII words of letters and digits only, whose identifier forms are no
    Python keyword or soft keyword (``pass: Pass`` does not parse)."""
    if not (words and len(words) <= MAX_NAME_WORDS and SLOT_VALUE.match(" ".join(words))):
        return False
    forms = name_forms(list(words))
    soft = set(keyword.softkwlist) | {"_", "case", "match", "type"}
    return not any(keyword.iskeyword(forms[k]) or forms[k] in soft for k in ("snake", "camel", "snake_plural"))


def _spells(identifier: str, words: list[str]) -> bool:
    """The identifier's words hold the name, whole words, singular or plural (``list_user_accounts``)."""
    parts = split_words(identifier)
    last = {words[-1], pluralize(words[-1])}
    n = len(words)
    return any(parts[i : i + n - 1] == words[:-1] and parts[i + n - 1] in last for i in range(len(parts) - n + 1))


def parameterize(
    task: str,
    files: list[GeneratedFile],
    names: list[tuple[str, ...]] | None = None,
    tools: frozenset[str] = frozenset(),
) -> TemplateDraft:
    """The template for ``files``, with a slot for each task name the code defines; or ``NotLearnable``.

    ``names``: the names to make slots of, instead of those chosen from the task and code.
    """
    if any(OPEN in f.content or CLOSE in f.content or OPEN in f.path or OPEN in task for f in files):
        raise NotLearnable("the code already contains the slot marker characters")
    sites: dict[str, list[Site]] = {}
    for f in files:
        found = _sites_of(f.path, f.content, shipped=shipped_modules(files))
        if found is None:
            raise NotLearnable(f"{f.path} does not parse")
        sites[f.path] = found
    if names is not None:
        slots = [Slot(name=f"entity{i + 1 if i else ''}", words=list(n)) for i, n in enumerate(names[:MAX_SLOTS])]
        taken = _imported_words(files) | tools
        if any(set(s.words) <= taken for s in slots):
            raise NotLearnable("a name is a module or name the code imports, or a tool of its stack")
    else:
        slots = trimmed_slots(files, sites, choose_slots(_candidates(task, files, sites, tools)))
    if not slots:
        raise NotLearnable("no name of the task is a name the code defines")
    if not all(safe_value(s.words) for s in slots):
        raise NotLearnable("a name is not a plain name")
    templated = [
        GeneratedFile(
            path=slot_text(f.path, slots, _path_sites(f.path)),
            content=slot_text(f.content, slots, sites[f.path]),
        )
        for f in files
    ]
    pattern = slot_text(task, slots)
    guessed = {h.slot for f in files for h in _hits(f.content, sites[f.path], slots) if h.guessed}
    guessed |= {
        h.slot
        for f in files
        for h in _hits(f.path, _path_sites(f.path), slots)
        if h.guessed and len(files) > 0 and not f.path.endswith(".py")
    }
    slots = [s.model_copy(update={"multiword": s.name not in guessed}) for s in slots]
    values = {s.name: s.words for s in slots}
    back = render(templated, values)
    if [(f.path, f.content) for f in back] != [(f.path, f.content) for f in files] or render_text(
        pattern, values
    ) != task:
        raise NotLearnable("the template does not render back to the original code")
    for slot in slots:
        if f"{OPEN}{slot.name}:" not in pattern:
            raise NotLearnable(f"the name {' '.join(slot.words)!r} is not where the task can say it")
        if not any(f"{OPEN}{slot.name}:" in f.content for f in templated):
            raise NotLearnable(f"the code never spells {' '.join(slot.words)!r}")
    for f in files:
        if f.path.endswith(".py") and (read := code_names(f.content, shipped_modules(files))) is not None:
            for slot in slots:
                if held := sorted(n for n in read.opaque if _spells(n, slot.words)):
                    raise NotLearnable(
                        f"{f.path} uses `{held[0]}` of an object it does not define: a new name would leave it "
                        "behind or rename what is not the code's"
                    )
    # A plural English writes two ways, written by the code the way we do not ("cost_matrices" where the task says
    # "cost matrix" and we write "matrixes"), is never found as a name: a render for another name would leave it
    # behind, or a slot would hold only the part of the name we do find ("cost"). Unsure: not learned.
    other = {p for t in tokens(task) for part in t.parts for p in other_plurals(singularize(part.lower))}
    left = sorted(
        {
            p.lower
            for f in templated
            for t in tokens(PLACEHOLDER.sub(" ", f"{f.path}\n{f.content}"))
            for p in t.parts
            if p.lower in other
        }
    )
    if left:
        raise NotLearnable(
            f"the code writes {left[0]!r}, a plural English also writes another way: not found as a name, it would "
            "be left behind in a render for another name"
        )
    probe = {s.name: [f"zq{i}x", *PROBE][: len(s.words)] for i, s in enumerate(slots)}
    problem = check_render(files, render(templated, probe))
    if problem:
        raise NotLearnable(f"renaming is not safe: {problem}")
    if not any(content(p.lower) for t in tokens(PLACEHOLDER.sub(" ", pattern)) for p in t.parts):
        raise NotLearnable("the task has no words besides its names that say what the code does")
    return TemplateDraft(slots=slots, files=templated, pattern=pattern)
