"""String literals, comments and docstrings of Python code: the text sites where a name is prose or a label.

In an f-string only the literal text is text: the replacement fields (``{invoice.amount:.2f}``) are code.
Python 3.11 tokenizes an f-string as one ``STRING`` and 3.12+ as parts; both are read by one parser here, so
templates do not depend on the version.
"""

from __future__ import annotations

import io
import re
import tokenize

# A string literal holding one identifier-like token (a table name, a class name, an event type).
_IDENTIFIER_LIKE = re.compile(r"""^[rRbBuU]{0,2}(['"])[A-Za-z_][\w.:/-]*\1$""")


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


def _string_prefix(text: str, pos: int = 0) -> str:
    """The letters at ``text[pos:]`` (a string literal's prefix: ``f``, ``rb``, ...); the pattern always matches."""
    match = _STRING_PREFIX.match(text, pos)
    return match.group() if match else ""


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
        elif tok.type == tokenize.STRING and "f" in _string_prefix(tok.string).lower():
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
    prefix = _string_prefix(text, start)
    body_start = start + len(prefix)
    quote = text[body_start : body_start + 3]
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
        elif depth == 0 and (c == ":" or (c == "!" and text[j + 1 : j + 2] != "=")):
            break
        j += 1
    try:  # the expression, as the code it is; wrapped so that a line break in it tokenizes
        inner_prose, inner_idents = _token_spans(f"({text[i + 1 : j]})", offset=i)
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
    quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else text[i]
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
