"""Every written form of a name: ``purchase order`` -> PurchaseOrder, purchase_order, /purchase-orders, ...

A name is a list of lowercase words. Each form has a key (``pascal``, ``snake_plural``, ...) so a
template can store *which* form stood in the code and render the same form of a new name.
"""

from __future__ import annotations

import re
from functools import lru_cache

import inflect

# English inflection is the ``inflect`` library's (criterion -> criteria, alumnus -> alumni, life -> lives, ...).
# Software spells a few nouns its own way, and these win: mass nouns take no plural ("metadata", never
# "metadatas"), and "index" is "indexes" as in SQL and Python APIs.
_CODE_PLURALS = {"index": "indexes", "datum": "data"}
_UNCOUNTABLE = {
    "data",
    "info",
    "information",
    "metadata",
    "inventory",
    "news",
    "feedback",
    "equipment",
    "software",
    "staff",
    "media",
    "series",
    "species",
}
_INFLECT = inflect.engine()
# Latin and Greek plurals English also writes (vertex: vertexes and vertices; schema: schemas and schemata).
_CLASSICAL = inflect.engine()
_CLASSICAL.classical(ancient=True)


@lru_cache(maxsize=65536)
def pluralize(word: str) -> str:
    """English plural of one lowercase word."""
    if word in _UNCOUNTABLE:
        return word
    if word in _CODE_PLURALS:
        return _CODE_PLURALS[word]
    if not word.isalpha():
        return word + "s"
    return str(_INFLECT.plural_noun(word)) or word + "s"


@lru_cache(maxsize=65536)
def other_plurals(word: str) -> frozenset[str]:
    """The plurals of one lowercase word English writes besides ``pluralize``'s ("vertices" for "vertex", whose
    plural here is "vertexes"): where a name's last word has one, how code writes its plural is a guess."""
    if word in _UNCOUNTABLE or not word.isalpha():
        return frozenset()
    written = {str(engine.plural_noun(word)) for engine in (_INFLECT, _CLASSICAL)}
    return frozenset(written - {pluralize(word), word, ""})


def plural_unsure(words: list[str]) -> bool:
    """A name whose plural English writes two ways (``other_plurals`` of its last word)."""
    return bool(words) and bool(other_plurals(words[-1]))


@lru_cache(maxsize=65536)
def singularize(word: str) -> str:
    """The singular of one lowercase word when it is a plural (``pluralize`` of the singular gives it back), else
    the word itself: "criteria" -> "criterion", "statuses" -> "status", "status" and "bus" stay."""
    for singular, plural in _CODE_PLURALS.items():
        if word == plural:
            return singular
    if word in _UNCOUNTABLE or len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith(("ss", "us", "is")) and pluralize(word) != word:
        return word  # status, bus, address, analysis: singulars that end in s
    if word.endswith("s") and _INFLECT.plural_noun(word) not in (word, word + "s", ""):
        return word  # alias, canvas, lens, atlas: singulars inflect knows, for it gives them their own plural
    classical = _CLASSICAL.singular_noun(word)
    found = _INFLECT.singular_noun(word)
    regular = (word[:-3] + "y", word[:-2], word[:-1]) if word.endswith("s") else ()
    modern = next(
        (c for c in (found if isinstance(found, str) else "", *regular) if c and c != word and pluralize(c) == word),
        None,
    )
    if isinstance(classical, str) and classical and classical != word and word in other_plurals(classical):
        # A Latin or Greek plural: "radii", "formulae" have no modern reading; "vertices" has one ("vertice") that
        # is not a word, as every -ices of a classical -ex/-ix. "changes" stays "change", not a classical "chanx".
        if modern is None or (word.endswith("ices") and classical.endswith(("ex", "ix"))):
            return classical
    return modern or word


def split_words(text: str) -> list[str]:
    """Split an identifier or phrase into lowercase words: 'PurchaseOrder' -> ['purchase', 'order']."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", text) if w]


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _styles(words: list[str]) -> dict[str, str]:
    return {
        "pascal": "".join(_cap(w) for w in words),
        "camel": words[0] + "".join(_cap(w) for w in words[1:]),
        "snake": "_".join(words),
        "kebab": "-".join(words),
        "upper": "_".join(w.upper() for w in words),
        "words": " ".join(words),
        "title": " ".join(_cap(w) for w in words),
        "sentence": " ".join([_cap(words[0]), *words[1:]]),
        "flat": "".join(words),
    }


FORM_KEYS: tuple[str, ...] = tuple(
    f"{style}{suffix}"
    for suffix in ("", "_plural")
    for style in ("pascal", "camel", "snake", "kebab", "upper", "words", "title", "sentence", "flat")
) + ("article", "article_cap")
# The indefinite article of a name ("an invoice", "a purchase order"): rendered, never searched for.
ARTICLE_KEYS = ("article", "article_cap")


def indefinite_article(words: list[str]) -> str:
    """'a' or 'an' by the first letter (the plain rule; a source that breaks it keeps its own article)."""
    return "an" if words[0][:1] in "aeiou" else "a"


def name_forms(words: list[str]) -> dict[str, str]:
    """All forms of a name, singular and plural (plural inflects the last word)."""
    if not words:
        raise ValueError("a name needs at least one word")
    plural = [*words[:-1], pluralize(words[-1])]
    forms = _styles(words)
    forms.update({f"{k}_plural": v for k, v in _styles(plural).items()})
    article = indefinite_article(words)
    forms.update(article=article, article_cap=_cap(article))
    return forms
