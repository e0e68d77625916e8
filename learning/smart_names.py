"""LLM-assisted parameterization (``Q2O_SMART_PARAMETERIZE=true``): when the task's words give no usable
slot, ask a provider which literals in the code are names of the task's entities.

The answer is only a suggestion: it is accepted when the template built from it renders back to exactly
the original code and every name is a plain name the task itself mentions. Learning calls no provider
itself: the caller hands it an ``Ask`` (``codegen.calling.Asker``), a ledgered call (purpose
``parameterize``) like any other, so its cost counts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar, Unpack

from contracts import GeneratedFile
from learning.engine import LearnOutcome, TemplateSource, learn_template
from learning.forms import split_words
from learning.parameterize import SLOT_VALUE, safe_value
from providers.base import Completion, InvalidOutput
from storage import Database

T = TypeVar("T")


class Ask(Protocol):
    """The narrow door to a provider: one question, the answer read by ``accept`` (its errors are retried or
    raised by the door), the call ledgered and budgeted. ``provider`` names who answers."""

    @property
    def provider(self) -> str: ...

    def __call__(self, system: str, prompt: str, accept: Callable[[Completion], T]) -> Awaitable[T]: ...


PURPOSE = "parameterize"
MAX_CODE_CHARS = 12_000
SYSTEM = (
    "You read source code and name the domain entities in it. Answer with JSON only: "
    '{"names": ["..."]}, no prose, no code fence.'
)
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def names_prompt(task: str, files: list[GeneratedFile]) -> str:
    """The question: which names of the task's entities does the code spell (in any case form)?"""
    code = "\n\n".join(f"# file: {f.path}\n{f.content}" for f in files)[:MAX_CODE_CHARS]
    return (
        f"Task: {task}\n\nWhich entity names from the task does this code use in identifiers, strings or "
        "comments (in any case form, e.g. PurchaseOrder, purchase_order, /purchase-orders)? List each name "
        'once, in plain lowercase words as the task writes it, e.g. {"names": ["purchase order"]}. Do not '
        f"list tools, libraries or programming words.\n\n{code}"
    )


def parse_names(completion: Completion) -> list[tuple[str, ...]]:
    """The names in a JSON answer as word tuples; ``InvalidOutput`` when the answer is not that JSON."""
    found = _JSON_OBJECT.search(completion.text or "")
    try:
        data = json.loads(found.group(0) if found else completion.text)
    except (TypeError, ValueError):
        raise InvalidOutput("the parameterization answer is not JSON") from None
    names = data.get("names") if isinstance(data, dict) else data
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InvalidOutput('the parameterization answer is not {"names": [strings]}')
    out: list[tuple[str, ...]] = []
    for name in names:
        if not SLOT_VALUE.match(name.strip()):
            continue  # not a plain name: code, punctuation, quotes are never slot values
        words = tuple(split_words(name))
        if words and words not in out:
            out.append(words)
    return sorted(out, key=len, reverse=True)[:4]


async def learn_with_suggested_names(
    ask: Ask, db: Database, task: str, stack: list[str], files: list[GeneratedFile], **source: Unpack[TemplateSource]
) -> LearnOutcome:
    """Ask for the names, then learn with them if the round trip holds; one call through ``ask``."""
    names = [n for n in await ask(SYSTEM, names_prompt(task, files), parse_names) if safe_value(list(n))]
    if not names:
        return LearnOutcome(learned=False, reason="smart parameterization: the answer named no usable name")
    outcome = learn_template(db, task, stack, files, names=names, **source)
    if not outcome.learned:
        outcome.reason = f"smart parameterization rejected {[' '.join(n) for n in names]}: {outcome.reason}"
    else:
        outcome.reason = f"{outcome.reason} (names from {ask.provider}: {[' '.join(n) for n in names]})"
    return outcome
