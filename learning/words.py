"""Words of tasks and code: tokens split into word parts with their offsets, stems, and English function words.

A token is a word or an identifier as written ("records", "PurchaseOrder", "purchase_order", "time-entries",
"2.x"); its parts are the words inside it ("purchase", "order"). A task's *requirements* are the stems of its
content words: every word except English function words (articles, prepositions, pronouns, auxiliaries,
greetings), which say nothing about what the code must do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# The closed classes of English (articles, prepositions, conjunctions, pronouns, auxiliaries and modals) and
# greetings. Negations and limits ("not", "without", "only", "except") are content: they change a requirement.
FUNCTION_WORDS = frozenset(
    """
a an the this that these those some any each every its it their them they our ours my your yours we i you me us
he she his her one's of for to in on at by from into onto with within as via per about over under upon
and or nor but so then than also just both either
is are be been being was were am do does did done have has had will would could can should shall may might must
please hi hello hey thanks thank cheers kindly
what which who whom whose where when how
""".split()
)

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")
_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_VERSIONISH = re.compile(r"^v?\d+(?:\.(?:\d+|x))*$", re.IGNORECASE)
_stemmer = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Part:
    """One word inside a token: its text as written, lowercased form and character span in the source."""

    text: str
    lower: str
    start: int
    end: int
    token: int  # index of the token it belongs to


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    parts: tuple[Part, ...]

    @property
    def identifier(self) -> bool:
        """Written as an identifier (PurchaseOrder, purchase_order, purchase-orders), not as a plain word."""
        return len(self.parts) > 1 or "_" in self.text


def parts_of(text: str, start: int, token: int = 0) -> tuple[Part, ...]:
    """The word parts of one token: ``HTTPClientError`` -> HTTP, Client, Error."""
    if _VERSIONISH.match(text):
        return (Part(text, text.lower(), start, start + len(text), token),)
    return tuple(
        Part(m.group(), m.group().lower(), start + m.start(), start + m.end(), token) for m in _PART.finditer(text)
    )


def tokens(text: str) -> tuple[Token, ...]:
    """The tokens of ``text`` in order."""
    return _tokens(text) if len(text) < 2000 else _read_tokens(text)


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[Token, ...]:
    return _read_tokens(text)


def _read_tokens(text: str) -> tuple[Token, ...]:
    out = []
    for i, m in enumerate(_TOKEN.finditer(text)):
        word = m.group().rstrip(".")
        out.append(Token(word, m.start(), m.start() + len(word), parts_of(word, m.start(), i)))
    return tuple(out)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem a requirement compares by: imports/importing/imported -> import."""
    return word if _VERSIONISH.match(word) else _stemmer.stemWord(word.lower())


def content(word: str) -> bool:
    return word.lower() not in FUNCTION_WORDS
