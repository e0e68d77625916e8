"""Prompt-injection patterns in task text: the task is untrusted data, and these phrases try to steer the model.

A match does not block the request: it flags it (``prompt_injection``) on the request, in the ledger and
in the result, and a flagged request is always cross-reviewed by a second provider.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

INJECTION_FLAG = "prompt_injection"

_PREVIOUS = r"(?:all\s+|any\s+|the\s+|your\s+|of\s+)*(?:previous|prior|above|earlier|preceding|former|system)"
_RULES = r"(?:instructions?|prompts?|rules|directions|guidelines|context|messages?|constraints)"

# (name, pattern): each pattern needs an imperative aimed at the model, so ordinary requirements such as
# "ignore case when sorting" or "act as a proxy server" (a role of the code, see below) stay unflagged.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "ignore_previous_instructions",
        re.compile(rf"\b(?:ignore|forget|skip|override|bypass)\s+{_PREVIOUS}\s+{_RULES}", re.I),
    ),
    ("disregard_instructions", re.compile(rf"\bdisregard\s+(?:{_PREVIOUS}\s+)?(?:\w+\s+)?{_RULES}", re.I)),
    ("new_instructions", re.compile(r"\b(?:new|updated|real)\s+instructions\s*:", re.I)),
    ("you_are_now", re.compile(r"\byou\s+are\s+(?:now|no\s+longer)\b", re.I)),
    (
        "role_play",
        re.compile(
            r"\b(?:pretend\s+(?:to\s+be|you\s+are)|role[\s-]?play(?:ing)?\s+as|from\s+now\s+on"
            r",?\s+you)\b",
            re.I,
        ),
    ),
    # "act as" aimed at the model ("you", "assistant", "AI", a persona), not "a class that acts as a cache".
    (
        "act_as",
        re.compile(
            r"(?:^|[.!?\n]\s*|\byou\s+(?:will\s+|must\s+|should\s+)?)act\s+as\s+(?:if\s+)?"
            r"(?:an?\s+)?(?!proxy|cache|gateway|wrapper|adapter|facade|bridge|buffer)\w+",
            re.I,
        ),
    ),
    (
        "reveal_system_prompt",
        re.compile(
            r"\b(?:print|reveal|show|repeat|output|display|leak|tell\s+me|what\s+is)\s+(?:me\s+)?(?:your|the)"
            r"\s+(?:\w+\s+)?(?:system\s+prompt|instructions|initial\s+prompt|hidden\s+prompt)",
            re.I,
        ),
    ),
    (
        "developer_mode",
        re.compile(
            r"\b(?:developer|dev|god|debug)\s+mode\s+(?:enabled|on|activated)\b|"
            r"\benable\s+(?:developer|god)\s+mode\b",
            re.I,
        ),
    ),
    ("jailbreak", re.compile(r"\bjail\s?break(?:ing|s|ed)?\b", re.I)),
    (
        "output_only",
        re.compile(
            r"\b(?:output|print|say|respond\s+with|reply\s+with|answer\s+with|return|write)"
            r"\s+(?:exactly\s+|only\s+|just\s+)+[\"'`][^\"'`\n]{1,40}[\"'`]"
            r"|\b(?:output|print|say|respond\s+with|reply\s+with|answer\s+with)\s+[\"'`]"
            r"[^\"'`\n]{1,40}[\"'`]\s*(?:only|and\s+nothing\s+else)\b",
            re.I,
        ),
    ),
    ("end_of_task_marker", re.compile(r"TASK>>>|<<<TASK|<<<CODE|CODE>>>|</?(?:system|assistant)>", re.I)),
]


@dataclass(frozen=True)
class InjectionScan:
    """What ``scan_injection`` found: the flags to record and the names of the patterns that matched."""

    flags: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def scan_injection(text: str) -> InjectionScan:
    """Look for known prompt-injection phrases in ``text``."""
    found = [name for name, pattern in _PATTERNS if pattern.search(text)]
    return InjectionScan(flags=[INJECTION_FLAG] if found else [], patterns=found)


def injection_flags(text: str) -> list[str]:
    """Just the flags (``["prompt_injection"]`` or ``[]``)."""
    return scan_injection(text).flags
