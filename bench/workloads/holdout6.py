"""Sixth blind hold-out workload for the template-learning benchmark: agent traffic on yet more new stacks.

Written without looking at the engine (only the harness ``bench/learning.py``, ``bench/README.md``, the README,
``contracts/``, the interface of ``holdout5.py`` and the self-checks ``check_holdout.py`` / ``check_holdout5.py``
were read). The ``forms`` helpers, ``Family``, ``_render``, ``_code`` and ``_patch`` are copied verbatim from
``holdout5.py``.

Thirteen jobs on stacks or jobs the earlier workloads do not use: a SHA-256 checksum manifest of a folder
(hashlib), verifying files against such a manifest (hashlib), parsing log lines with named-group regexes (re),
redacting e-mail addresses / IPs / card numbers from log lines (re), business-day due dates in an office time zone
(zoneinfo), summary statistics of a CSV column (statistics), splitting a JSON Lines export into numbered batch
files (itertools), typed settings from TOML (tomllib), YAML fixtures with the safe loader (pyyaml), a daily
gzip-compressed JSON Lines archive (gzip), a wrapped plain-text report (textwrap), band/tier lookup (bisect) and
document totals with exact cents (decimal). Two distractor pairs share a stack and most of their words but not
their job (build a manifest / verify against a manifest; parse log lines / redact log lines). Twelve near misses
change or add exactly one requirement of a base family (BLAKE2b instead of SHA-256, an HMAC-signed manifest,
case-insensitive levels, public holidays, p90/p95 percentiles, a dry-run flag, environment overrides,
multi-document YAML, retention pruning, the terminal's width, banker's rounding, exclusive band bounds).
Entities include generic words (status report, line item, time entry, order line, weekly summary), words that
collide with the job (access log, backup archive, release note, tax bracket, feature flag), irregular plurals
(person, child, warehouse shelf, blood analysis, grading criterion, leaf inspection, search index, quiz,
weather phenomenon), and task texts that write the entity as an identifier (PurchaseOrder, purchase_order,
LOYALTY_CARD, purchase-orders).

Every rendered reference answer imports cleanly, passes ``ruff check --isolated`` (ruff 0.17 defaults) and
``bandit -ll`` (no medium or high finding), and was smoke-run on small temporary data while this file was written.

Reference code is written as templates with ``{{key}}`` placeholders over the keys of :func:`forms`;
``{{`` never appears in the rendered code. Near-miss answers are their base's text with one requirement
patched in (``_patch`` fails loudly when a patch no longer applies).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Forms = dict[str, str]

# --------------------------------------------------------------------------
# entity forms
# --------------------------------------------------------------------------

_IRREGULAR = {
    "person": "people", "child": "children", "man": "men", "woman": "women",
    "mouse": "mice", "goose": "geese", "foot": "feet", "tooth": "teeth",
    "ox": "oxen", "criterion": "criteria", "phenomenon": "phenomena",
    "datum": "data", "medium": "media", "matrix": "matrices", "vertex": "vertices",
    "index": "indexes", "leaf": "leaves", "knife": "knives", "life": "lives",
    "wife": "wives", "shelf": "shelves", "half": "halves", "wolf": "wolves",
    "thief": "thieves", "quiz": "quizzes", "hero": "heroes", "potato": "potatoes",
    "tomato": "tomatoes", "echo": "echoes", "alumnus": "alumni",
}
_UNCOUNTABLE = {
    "series", "species", "sheep", "fish", "deer", "news", "equipment",
    "information", "metadata", "feedback", "software", "staff", "data",
    "people", "children", "aircraft", "money", "rice",
}
_VOWELS = set("aeiou")


def _plural(word: str) -> str:
    """Plural of one lower-case English word."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _UNCOUNTABLE:
        return word
    if word.endswith("is") and len(word) > 3:          # analysis, basis, crisis
        return word[:-2] + "es"
    if word.endswith(("s", "x", "z", "ch", "sh")):     # status, address, batch, tax
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        return word[:-1] + "ies"                      # category, company, entry
    return word + "s"


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _spellings(words: list[str]) -> dict[str, str]:
    return {
        "words": " ".join(words),
        "title": " ".join(_cap(w) for w in words),
        "pascal": "".join(_cap(w) for w in words),
        "camel": words[0] + "".join(_cap(w) for w in words[1:]),
        "snake": "_".join(words),
        "kebab": "-".join(words),
        "upper": "_".join(w.upper() for w in words),
        "sentence": " ".join([_cap(words[0]), *words[1:]]),
    }


def forms(entity: str) -> Forms:
    """Every written form of an entity given as lower-case words ("purchase order", "time entry", "category").
    Keys (all required): words ("purchase order"), words_plural ("purchase orders"), title ("Purchase Order"),
    title_plural, pascal ("PurchaseOrder"), pascal_plural ("PurchaseOrders"), camel ("purchaseOrder"),
    camel_plural, snake ("purchase_order"), snake_plural, kebab ("purchase-order"), kebab_plural,
    upper ("PURCHASE_ORDER"), upper_plural, sentence ("Purchase order"), sentence_plural.
    Plurals of the LAST word, handling irregulars (category→categories, address→addresses, person→people,
    child→children, status→statuses, analysis→analyses, ...)."""
    words = entity.strip().lower().split()
    if not words:
        raise ValueError("empty entity")
    singular = _spellings(words)
    plural = _spellings([*words[:-1], _plural(words[-1])])
    out: Forms = dict(singular)
    out.update({f"{key}_plural": value for key, value in plural.items()})
    return out


# --------------------------------------------------------------------------
# the interface
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Family:
    name: str                                  # unique, kebab-case
    stack: tuple[str, ...]                     # e.g. ("python", "fastapi")
    tasks: tuple[str, ...]                     # paraphrases: str.format templates over the forms keys
    code: Callable[[Forms], dict[str, str]]    # the reference answer for one entity: {path: file content}
    must: Callable[[Forms], list[str]]         # strings served code MUST contain for this entity and this job
    must_not: tuple[str, ...] = ()             # strings that betray another job
    entities: tuple[str, ...] = ()             # lower-case words, 1 to 4 words each
    base: str | None = None                    # near misses only: the name of the family it nearly is
    sensitive: bool = False                    # security-sensitive work


_TOKEN = re.compile(r"\{\{(\w+)\}\}")


def _render(template: str, f: Forms) -> str:
    return _TOKEN.sub(lambda m: f[m.group(1)], template)


def _code(*pairs: str) -> Callable[[Forms], dict[str, str]]:
    """Build a ``code`` callable from (path template, source template) pairs."""
    items = list(zip(pairs[::2], pairs[1::2]))

    def code(f: Forms) -> dict[str, str]:
        return {_render(path, f): _render(src, f).lstrip("\n") for path, src in items}

    return code



def _patch(src: str, *pairs: str) -> str:
    """``src`` with each (old, new) pair replaced once; an old text that is missing is a bug of this file."""
    for old, new in zip(pairs[::2], pairs[1::2]):
        if src.count(old) != 1:
            raise AssertionError(f"patch target found {src.count(old)} times: {old[:60]!r}")
        src = src.replace(old, new)
    return src



# ==========================================================================
# 1. hashlib checksum manifest (+ BLAKE2b)
# ==========================================================================

_MANIFEST = '''
"""Checksum manifest of {{words}} files: the SHA-256 of every file under a folder, read in 1 MiB chunks, written
as a sorted JSON manifest next to the files."""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

CHUNK_SIZE = 1024 * 1024
{{upper}}_DIR = Path("storage/{{kebab_plural}}")
MANIFEST_NAME = "{{snake_plural}}.manifest.json"


def file_digest(path: Path) -> str:
    """Hex SHA-256 of one file, read in chunks so that large files never fill the memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_{{snake}}_manifest(root: Path = {{upper}}_DIR) -> dict[str, str]:
    """Map each {{words}} file's path relative to root to its digest; the manifest itself is left out."""
    manifest = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != MANIFEST_NAME:
            manifest[path.relative_to(root).as_posix()] = file_digest(path)
    return manifest


def write_{{snake}}_manifest(root: Path = {{upper}}_DIR) -> Path:
    """Write the manifest of the {{words_plural}} under root as JSON and return its path."""
    target = root / MANIFEST_NAME
    document = {"algorithm": "sha256", "files": build_{{snake}}_manifest(root)}
    target.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")
    return target


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else {{upper}}_DIR
    print(f"wrote {write_{{snake}}_manifest(folder)}")
'''

_MANIFEST_BLAKE2 = _patch(
    _MANIFEST,
    "files: the SHA-256 of every file under a folder",
    "files: the BLAKE2b (256-bit digest) of every file under a folder",
    '"""Hex SHA-256 of one file,',
    '"""Hex BLAKE2b-256 of one file,',
    "digest = hashlib.sha256()",
    "digest = hashlib.blake2b(digest_size=32)",
    '{"algorithm": "sha256",',
    '{"algorithm": "blake2b-256",',
)


def _manifest_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_DIR = Path("storage/{f["kebab_plural"]}")',
        f'MANIFEST_NAME = "{f["snake_plural"]}.manifest.json"',
        "for chunk in iter(lambda: handle.read(CHUNK_SIZE), b\"\"):",
        f"def build_{f['snake']}_manifest(root: Path = {f['upper']}_DIR) -> dict[str, str]:",
        f"def write_{f['snake']}_manifest(root: Path = {f['upper']}_DIR) -> Path:",
        f'"files": build_{f["snake"]}_manifest(root)}}',
    ]


# ==========================================================================
# 2. hashlib: verify files against the manifest (distractor of 1; + HMAC signature)
# ==========================================================================

_VERIFY = '''
"""Verify {{words}} files against their checksum manifest: every listed file is hashed again with SHA-256 and
reported as changed or missing; files the manifest does not list are reported as unexpected."""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

CHUNK_SIZE = 1024 * 1024
{{upper}}_DIR = Path("storage/{{kebab_plural}}")
MANIFEST_NAME = "{{snake_plural}}.manifest.json"


@dataclass
class {{pascal}}Verification:
    """What differs between the {{words_plural}} on disk and the manifest."""

    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing differs."""
        return not (self.changed or self.missing or self.unexpected)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_{{snake_plural}}(root: Path = {{upper}}_DIR) -> {{pascal}}Verification:
    """Compare every {{words}} file under root with the digest its manifest records."""
    manifest = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    result = {{pascal}}Verification()
    for name, expected in sorted(manifest.items()):
        path = root / name
        if not path.is_file():
            result.missing.append(name)
        elif _sha256(path) != expected:
            result.changed.append(name)
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != MANIFEST_NAME}
    result.unexpected = sorted(on_disk - set(manifest))
    return result


if __name__ == "__main__":
    report = verify_{{snake_plural}}(Path(sys.argv[1]) if len(sys.argv) > 1 else {{upper}}_DIR)
    for label in ("changed", "missing", "unexpected"):
        for name in getattr(report, label):
            print(f"{label}: {name}")
    sys.exit(0 if report.ok else 1)
'''

_VERIFY_SIGNED = _patch(
    _VERIFY,
    "files the manifest does not list are reported as unexpected.",
    "files the manifest does not list are reported as unexpected. The manifest\nitself must carry a valid "
    "HMAC-SHA256 signature, or nothing is trusted.",
    "import hashlib\nimport json\n",
    "import hashlib\nimport hmac\nimport json\nimport os\n",
    "def verify_{{snake_plural}}(root: Path",
    '''def _check_signature(manifest: dict[str, str], signature: str) -> None:
    """Refuse a manifest whose HMAC-SHA256 does not match the key in {{upper}}_MANIFEST_KEY."""
    key = os.environ.get("{{upper}}_MANIFEST_KEY", "")
    if not key:
        raise RuntimeError("set {{upper}}_MANIFEST_KEY to verify the {{words}} manifest signature")
    canonical = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    expected = hmac.new(key.encode(), canonical, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise ValueError("the {{words}} manifest signature does not match")


def verify_{{snake_plural}}(root: Path''',
    '''    manifest = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
''',
    '''    document = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest = document["files"]
    _check_signature(manifest, str(document.get("signature", "")))
''',
)


def _verify_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_DIR = Path("storage/{f["kebab_plural"]}")',
        f'MANIFEST_NAME = "{f["snake_plural"]}.manifest.json"',
        f"class {f['pascal']}Verification:",
        f"def verify_{f['snake_plural']}(root: Path = {f['upper']}_DIR) -> {f['pascal']}Verification:",
        f"result = {f['pascal']}Verification()",
        "result.unexpected = sorted(on_disk - set(manifest))",
        "elif _sha256(path) != expected:",
    ]


# ==========================================================================
# 3. re: parse log lines (+ case-insensitive levels)
# ==========================================================================

_LOGPARSE = r'''
"""Parse {{words}} log lines with one compiled regular expression of named groups (timestamp, level, source,
message) and count them per level; lines that do not match are counted apart instead of failing."""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

{{upper}}_LINE = re.compile(
    r"^(?P<timestamp>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})\s+"
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+"
    r"\[(?P<source>[\w.-]+)\]\s+(?P<message>.*)$"
)


@dataclass(frozen=True)
class {{pascal}}LogLine:
    """One parsed {{words}} log line."""

    timestamp: str
    level: str
    source: str
    message: str


def parse_{{snake}}_line(line: str) -> {{pascal}}LogLine | None:
    """The fields of one line, or None when it is not a {{words}} log line."""
    match = {{upper}}_LINE.match(line.rstrip("\n"))
    if match is None:
        return None
    return {{pascal}}LogLine(**match.groupdict())


def summarize_{{snake}}_log(path: Path) -> tuple[Counter[str], int]:
    """Lines of a {{words}} log per level, and how many lines did not parse."""
    levels: Counter[str] = Counter()
    unparsed = 0
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            parsed = parse_{{snake}}_line(line)
            if parsed is None:
                unparsed += 1
            else:
                levels[parsed.level] += 1
    return levels, unparsed


if __name__ == "__main__":
    counts, bad = summarize_{{snake}}_log(Path(sys.argv[1] if len(sys.argv) > 1 else "logs/{{kebab_plural}}.log"))
    for level, count in counts.most_common():
        print(f"{level:<8} {count}")
    print(f"unparsed {bad}")
'''

_LOGPARSE_CI = _patch(
    _LOGPARSE,
    "message) and count them per level;",
    "message) and count them per level, the level matched case-insensitively (warning, Warning and WARNING are one\n"
    "level);",
    r'''    r"\[(?P<source>[\w.-]+)\]\s+(?P<message>.*)$"
)''',
    r'''    r"\[(?P<source>[\w.-]+)\]\s+(?P<message>.*)$",
    re.IGNORECASE,
)''',
    "    return {{pascal}}LogLine(**match.groupdict())",
    '''    fields = match.groupdict()
    fields["level"] = fields["level"].upper()
    return {{pascal}}LogLine(**fields)''',
)


def _logparse_common(f: Forms) -> list[str]:
    return [
        f"{f['upper']}_LINE = re.compile(",
        r'r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+"',
        f"class {f['pascal']}LogLine:",
        f"def parse_{f['snake']}_line(line: str) -> {f['pascal']}LogLine | None:",
        f"match = {f['upper']}_LINE.match(line.rstrip(\"\\n\"))",
        f"def summarize_{f['snake']}_log(path: Path) -> tuple[Counter[str], int]:",
        f'"logs/{f["kebab_plural"]}.log"',
    ]


# ==========================================================================
# 4. re: redact log lines (distractor of 3)
# ==========================================================================

_REDACT = r'''
"""Redact {{words}} log lines before they are shared: e-mail addresses, IPv4 addresses and card-like digit runs are
replaced by fixed markers with compiled regular expressions; the original file is left untouched."""
from __future__ import annotations

import re
import sys
from pathlib import Path

{{upper}}_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "<email>"),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), "<ip>"),
    (re.compile(r"\b(?:\d[ -]?){13,16}\b"), "<card>"),
]


def redact_{{snake}}_line(line: str) -> tuple[str, int]:
    """The line with every match masked, and how many replacements were made."""
    total = 0
    for pattern, marker in {{upper}}_PATTERNS:
        line, count = pattern.subn(marker, line)
        total += count
    return line, total


def redact_{{snake}}_log(source: Path, target: Path | None = None) -> int:
    """Write a redacted copy of a {{words}} log (.redacted.log beside it); return the number of replacements."""
    target = target or source.with_suffix(".redacted.log")
    replaced = 0
    with source.open(encoding="utf-8", errors="replace") as src, target.open("w", encoding="utf-8") as out:
        for line in src:
            clean, count = redact_{{snake}}_line(line)
            out.write(clean)
            replaced += count
    return replaced


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "logs/{{kebab_plural}}.log")
    print(f"{redact_{{snake}}_log(path)} values redacted in {path}")
'''


def _redact_must(f: Forms) -> list[str]:
    return [
        f"{f['upper']}_PATTERNS: list[tuple[re.Pattern[str], str]] = [",
        f"def redact_{f['snake']}_line(line: str) -> tuple[str, int]:",
        f"for pattern, marker in {f['upper']}_PATTERNS:",
        "line, count = pattern.subn(marker, line)",
        f"def redact_{f['snake']}_log(source: Path, target: Path | None = None) -> int:",
        'target = target or source.with_suffix(".redacted.log")',
        f'"logs/{f["kebab_plural"]}.log"',
    ]


# ==========================================================================
# 5. zoneinfo business-day due dates (+ public holidays)
# ==========================================================================

_DUE = '''
"""Due dates of {{words_plural}}: a number of business days after the moment one is received, counted in the
office's time zone (zoneinfo), skipping Saturdays and Sundays; anything received after the 17:00 cut-off or on a
weekend counts from the next business day."""
from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

{{upper}}_TZ = ZoneInfo(os.environ.get("{{upper}}_TIMEZONE", "Europe/Berlin"))
CUTOFF = time(17, 0)
{{upper}}_SLA_DAYS = 3


def is_business_day(day: date) -> bool:
    """Monday to Friday."""
    return day.weekday() < 5


def add_business_days(start: date, days: int) -> date:
    """The date that lies days business days after start (start itself is not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def {{snake}}_due_date(received_at: datetime, days: int = {{upper}}_SLA_DAYS) -> datetime:
    """The cut-off time (local) of the day by which a {{words}} received at received_at must be handled."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    local = received_at.astimezone({{upper}}_TZ)
    start = local.date()
    if not is_business_day(start) or local.time() >= CUTOFF:
        start = add_business_days(start, 1)
    return datetime.combine(add_business_days(start, days), CUTOFF, tzinfo={{upper}}_TZ)


if __name__ == "__main__":
    now = datetime.now({{upper}}_TZ)
    due = {{snake}}_due_date(now)
    print(f"a {{words}} received {now:%a %Y-%m-%d %H:%M} is due {due:%a %Y-%m-%d %H:%M} ({{{upper}}_TZ.key})")
'''

_DUE_HOLIDAYS = _patch(
    _DUE,
    "skipping Saturdays and Sundays;",
    "skipping Saturdays, Sundays and the public holidays listed in {{upper}}_HOLIDAYS;",
    "{{upper}}_SLA_DAYS = 3\n",
    '''{{upper}}_SLA_DAYS = 3
{{upper}}_HOLIDAYS: frozenset[date] = frozenset(
    date.fromisoformat(day.strip()) for day in os.environ.get("{{upper}}_HOLIDAYS", "").split(",") if day.strip()
)
''',
    '''    """Monday to Friday."""
    return day.weekday() < 5''',
    '''    """Monday to Friday, public holidays excepted."""
    return day.weekday() < 5 and day not in {{upper}}_HOLIDAYS''',
)


def _due_common(f: Forms) -> list[str]:
    return [
        "from zoneinfo import ZoneInfo",
        f'{f["upper"]}_TZ = ZoneInfo(os.environ.get("{f["upper"]}_TIMEZONE", "Europe/Berlin"))',
        "CUTOFF = time(17, 0)",
        f"def {f['snake']}_due_date(received_at: datetime, days: int = {f['upper']}_SLA_DAYS) -> datetime:",
        f"local = received_at.astimezone({f['upper']}_TZ)",
        "if not is_business_day(start) or local.time() >= CUTOFF:",
        f"return datetime.combine(add_business_days(start, days), CUTOFF, tzinfo={f['upper']}_TZ)",
    ]


# ==========================================================================
# 6. statistics summary of a CSV column (+ percentiles)
# ==========================================================================

_STATS = '''
"""Summary statistics of {{words_plural}}: count, mean, median, sample standard deviation, minimum and maximum of
the numeric "value" column of a CSV export, with the statistics module; blank or non-numeric cells are skipped."""
from __future__ import annotations

import csv
import json
import statistics
import sys
from pathlib import Path


def read_{{snake}}_values(path: Path, column: str = "value") -> list[float]:
    """The numeric values of one column of a {{words}} CSV export."""
    values = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                values.append(float(row[column]))
            except (KeyError, TypeError, ValueError):
                continue
    return values


def summarize_{{snake_plural}}(values: list[float]) -> dict[str, float]:
    """count, mean, median, stdev, min and max; the stdev of fewer than two values is 0.0."""
    if not values:
        raise ValueError("no {{words}} values to summarize")
    return {
        "count": len(values),
        "mean": statistics.fmean(values),
        "median": statistics.median(values),
        "stdev": statistics.stdev(values) if len(values) > 1 else 0.0,
        "min": min(values),
        "max": max(values),
    }


if __name__ == "__main__":
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "exports/{{kebab_plural}}.csv")
    summary = summarize_{{snake_plural}}(read_{{snake}}_values(source))
    print(json.dumps({"{{snake_plural}}": summary}, indent=2))
'''

_STATS_PERCENTILES = _patch(
    _STATS,
    "minimum and maximum of\nthe numeric",
    "minimum, maximum, p90 and p95\nof the numeric",
    "def summarize_{{snake_plural}}(values",
    '''def _percentiles(values: list[float]) -> dict[str, float]:
    """p90 and p95 (inclusive method); a single value is its own percentile."""
    if len(values) < 2:
        return {"p90": values[0], "p95": values[0]}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p90": cuts[89], "p95": cuts[94]}


def summarize_{{snake_plural}}(values''',
    '"""count, mean, median, stdev, min and max;',
    '"""count, mean, median, stdev, min, max, p90 and p95;',
    '''        "max": max(values),
    }''',
    '''        "max": max(values),
        **_percentiles(values),
    }''',
)


def _stats_common(f: Forms) -> list[str]:
    return [
        "import statistics",
        f'def read_{f["snake"]}_values(path: Path, column: str = "value") -> list[float]:',
        f"def summarize_{f['snake_plural']}(values: list[float]) -> dict[str, float]:",
        '"median": statistics.median(values),',
        '"stdev": statistics.stdev(values) if len(values) > 1 else 0.0,',
        f'"exports/{f["kebab_plural"]}.csv"',
        f'print(json.dumps({{"{f["snake_plural"]}": summary}}, indent=2))',
    ]


# ==========================================================================
# 7. itertools: split an export into batch files (+ dry run)
# ==========================================================================

_BATCH = '''
"""Split a JSON Lines export of {{words_plural}} into numbered batch files of at most 500 records each, with
itertools (islice over a single pass of the input, count for the batch numbers), never holding the whole export."""
from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

BATCH_SIZE = 500
{{upper}}_BATCH_DIR = Path("outbox/{{kebab_plural}}")


def batched(items: Iterable[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    """Consecutive lists of at most size items; only the last one may be shorter."""
    if size < 1:
        raise ValueError("size must be at least 1")
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def read_{{snake_plural}}(path: Path) -> Iterator[dict[str, Any]]:
    """One {{words}} per non-blank line of a JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def split_{{snake}}_export(source: Path, target_dir: Path = {{upper}}_BATCH_DIR) -> list[Path]:
    """Write {{kebab}}-batch-0001.json, -0002.json, ... into target_dir; return the files written."""
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for number, batch in zip(itertools.count(1), batched(read_{{snake_plural}}(source))):
        target = target_dir / f"{{kebab}}-batch-{number:04d}.json"
        target.write_text(json.dumps({"{{snake_plural}}": batch}), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    files = split_{{snake}}_export(Path(sys.argv[1] if len(sys.argv) > 1 else "{{kebab_plural}}.jsonl"))
    print(f"{len(files)} batch files of {{words_plural}} written")
'''

_BATCH_DRY_RUN = _patch(
    _BATCH,
    "never holding the whole export.",
    "never holding the whole export; with\n--dry-run nothing is written and the files that would be are listed.",
    "def split_{{snake}}_export(source: Path, target_dir: Path = {{upper}}_BATCH_DIR) -> list[Path]:",
    "def split_{{snake}}_export(\n    source: Path, target_dir: Path = {{upper}}_BATCH_DIR, dry_run: bool = False\n) -> list[Path]:",
    "return the files written.",
    "return the files written (or that\n    would be, with dry_run).",
    "    target_dir.mkdir(parents=True, exist_ok=True)\n",
    "    if not dry_run:\n        target_dir.mkdir(parents=True, exist_ok=True)\n",
    '''        target.write_text(json.dumps({"{{snake_plural}}": batch}), encoding="utf-8")''',
    '''        if not dry_run:
            target.write_text(json.dumps({"{{snake_plural}}": batch}), encoding="utf-8")''',
    '''    files = split_{{snake}}_export(Path(sys.argv[1] if len(sys.argv) > 1 else "{{kebab_plural}}.jsonl"))
    print(f"{len(files)} batch files of {{words_plural}} written")''',
    '''    arguments = [arg for arg in sys.argv[1:] if arg != "--dry-run"]
    dry = "--dry-run" in sys.argv[1:]
    files = split_{{snake}}_export(Path(arguments[0] if arguments else "{{kebab_plural}}.jsonl"), dry_run=dry)
    print(f"{len(files)} batch files of {{words_plural}} {'would be ' if dry else ''}written")''',
)


def _batch_common(f: Forms) -> list[str]:
    return [
        "while batch := list(itertools.islice(iterator, size)):",
        f'{f["upper"]}_BATCH_DIR = Path("outbox/{f["kebab_plural"]}")',
        f"def read_{f['snake_plural']}(path: Path) -> Iterator[dict[str, Any]]:",
        f"for number, batch in zip(itertools.count(1), batched(read_{f['snake_plural']}(source))):",
        f'target = target_dir / f"{f["kebab"]}-batch-{{number:04d}}.json"',
        f'target.write_text(json.dumps({{"{f["snake_plural"]}": batch}}), encoding="utf-8")',
    ]


# ==========================================================================
# 8. tomllib typed settings (+ environment overrides)
# ==========================================================================

_TOML = '''
"""Typed settings of the {{words}} service, read from a TOML file with tomllib (Python 3.11+) into a frozen
dataclass: defaults for missing keys and for a missing file, a clear error for a value of the wrong type."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

{{upper}}_CONFIG_PATH = Path("config/{{kebab}}.toml")


@dataclass(frozen=True)
class {{pascal}}Settings:
    """The [{{snake}}] table of the TOML file."""

    enabled: bool = True
    endpoint: str = "http://localhost:8080"
    timeout_seconds: float = 5.0
    max_items: int = 100
    labels: tuple[str, ...] = ()


def _typed(table: dict[str, Any], key: str, kind: type, default: Any) -> Any:
    value = table.get(key, default)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"[{{snake}}] {key} must be {kind.__name__}, not {type(value).__name__}")
    return value


def load_{{snake}}_settings(path: Path = {{upper}}_CONFIG_PATH) -> {{pascal}}Settings:
    """Read the settings; the defaults alone when the file does not exist."""
    if not path.exists():
        return {{pascal}}Settings()
    with path.open("rb") as handle:
        table = tomllib.load(handle).get("{{snake}}", {})
    defaults = {{pascal}}Settings()
    return {{pascal}}Settings(
        enabled=_typed(table, "enabled", bool, defaults.enabled),
        endpoint=_typed(table, "endpoint", str, defaults.endpoint),
        timeout_seconds=_typed(table, "timeout_seconds", float, defaults.timeout_seconds),
        max_items=_typed(table, "max_items", int, defaults.max_items),
        labels=tuple(_typed(table, "labels", list, list(defaults.labels))),
    )


if __name__ == "__main__":
    print(load_{{snake}}_settings())
'''

_TOML_ENV = _patch(
    _TOML,
    "a clear error for a value of the wrong type.",
    "a clear error for a value of the wrong type; {{upper}}_* environment variables win over\nthe file.",
    "import tomllib\n",
    "import os\nimport tomllib\n",
    "def load_{{snake}}_settings(path",
    '''def _environment_overrides() -> dict[str, Any]:
    """{{upper}}_ENABLED, _ENDPOINT, _TIMEOUT_SECONDS and _MAX_ITEMS, parsed to their types."""
    parsers: dict[str, Callable[[str], Any]] = {
        "enabled": lambda raw: raw.strip().lower() in ("1", "true", "yes", "on"),
        "endpoint": str,
        "timeout_seconds": float,
        "max_items": int,
    }
    found = {}
    for key, parse in parsers.items():
        raw = os.environ.get(f"{{upper}}_{key.upper()}")
        if raw is not None:
            found[key] = parse(raw)
    return found


def load_{{snake}}_settings(path''',
    '''    """Read the settings; the defaults alone when the file does not exist."""
    if not path.exists():
        return {{pascal}}Settings()
    with path.open("rb") as handle:
        table = tomllib.load(handle).get("{{snake}}", {})
''',
    '''    """Read the settings from the file (defaults when it is missing), then apply the environment overrides."""
    table: dict[str, Any] = {}
    if path.exists():
        with path.open("rb") as handle:
            table = dict(tomllib.load(handle).get("{{snake}}", {}))
    table.update(_environment_overrides())
''',
    "from dataclasses import dataclass\n",
    "from collections.abc import Callable\nfrom dataclasses import dataclass\n",
)


def _toml_common(f: Forms) -> list[str]:
    return [
        "import tomllib",
        f'{f["upper"]}_CONFIG_PATH = Path("config/{f["kebab"]}.toml")',
        f"class {f['pascal']}Settings:",
        f"def load_{f['snake']}_settings(path: Path = {f['upper']}_CONFIG_PATH) -> {f['pascal']}Settings:",
        f'raise TypeError(f"[{f["snake"]}] {{key}} must be {{kind.__name__}}, not {{type(value).__name__}}")',
        'max_items=_typed(table, "max_items", int, defaults.max_items),',
    ]


# ==========================================================================
# 9. pyyaml fixtures with the safe loader (+ multi-document files)
# ==========================================================================

_YAML = '''
"""Load {{words}} fixtures from a YAML file with PyYAML's safe loader: a top-level "{{snake_plural}}" list of mappings,
each one turned into a frozen dataclass; a missing key or a duplicate id is an error naming the entry."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

{{upper}}_FIXTURES = Path("fixtures/{{kebab_plural}}.yaml")
REQUIRED = ("id", "name")


@dataclass(frozen=True)
class {{pascal}}Fixture:
    """One {{words}} from the fixture file."""

    id: int
    name: str
    attributes: dict[str, Any] = field(default_factory=dict)


def _fixture(entry: Any, position: int) -> {{pascal}}Fixture:
    if not isinstance(entry, dict):
        raise TypeError(f"{{words}} #{position} is not a mapping")
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise ValueError(f"{{words}} #{position} lacks {', '.join(missing)}")
    extra = {key: value for key, value in entry.items() if key not in REQUIRED}
    return {{pascal}}Fixture(id=int(entry["id"]), name=str(entry["name"]), attributes=extra)


def load_{{snake}}_fixtures(path: Path = {{upper}}_FIXTURES) -> list[{{pascal}}Fixture]:
    """Every {{words}} of the file, in file order."""
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle) or {}
    fixtures = [_fixture(entry, n) for n, entry in enumerate(document.get("{{snake_plural}}", []), 1)]
    seen: set[int] = set()
    for fixture in fixtures:
        if fixture.id in seen:
            raise ValueError(f"duplicate {{words}} id {fixture.id} in {path}")
        seen.add(fixture.id)
    return fixtures


if __name__ == "__main__":
    for item in load_{{snake}}_fixtures(Path(sys.argv[1]) if len(sys.argv) > 1 else {{upper}}_FIXTURES):
        print(item)
'''

_YAML_MULTI = _patch(
    _YAML,
    "from a YAML file with PyYAML's safe loader: a top-level",
    "from a multi-document YAML file (documents separated by ---)\nwith PyYAML's safe loader: in each document a top-level",
    '''        document = yaml.safe_load(handle) or {}
    fixtures = [_fixture(entry, n) for n, entry in enumerate(document.get("{{snake_plural}}", []), 1)]''',
    '''        documents = [document or {} for document in yaml.safe_load_all(handle)]
    entries = [entry for document in documents for entry in document.get("{{snake_plural}}", [])]
    fixtures = [_fixture(entry, n) for n, entry in enumerate(entries, 1)]''',
    '"""Every {{words}} of the file, in file order."""',
    '"""Every {{words}} of every document of the file, in file order."""',
)


def _yaml_common(f: Forms) -> list[str]:
    return [
        "import yaml",
        f'{f["upper"]}_FIXTURES = Path("fixtures/{f["kebab_plural"]}.yaml")',
        f"class {f['pascal']}Fixture:",
        f"def _fixture(entry: Any, position: int) -> {f['pascal']}Fixture:",
        f"def load_{f['snake']}_fixtures(path: Path = {f['upper']}_FIXTURES) -> list[{f['pascal']}Fixture]:",
        f'raise ValueError(f"duplicate {f["words"]} id {{fixture.id}} in {{path}}")',
    ]


# ==========================================================================
# 10. gzip daily JSON Lines archive (+ retention)
# ==========================================================================

_GZIP = '''
"""Archive {{words_plural}} as gzip-compressed JSON Lines, one file per day
(archive/{{kebab_plural}}/YYYY-MM-DD.jsonl.gz), each call appending a gzip member; reading streams the records
back without unpacking anything to disk."""
from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

{{upper}}_ARCHIVE_DIR = Path("archive/{{kebab_plural}}")
COMPRESSLEVEL = 6


def {{snake}}_archive_path(day: date, root: Path = {{upper}}_ARCHIVE_DIR) -> Path:
    """The archive file of one day."""
    return root / f"{day.isoformat()}.jsonl.gz"


def archive_{{snake_plural}}(records: Iterable[dict[str, Any]], day: date | None = None) -> int:
    """Append records to the day's archive (today by default); return how many were written."""
    target = {{snake}}_archive_path(day or date.today())
    target.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with gzip.open(target, "at", encoding="utf-8", compresslevel=COMPRESSLEVEL) as handle:
        for record in records:
            handle.write(json.dumps(record, separators=(",", ":"), default=str) + "\\n")
            count += 1
    return count


def read_{{snake}}_archive(day: date) -> Iterator[dict[str, Any]]:
    """Stream the {{words_plural}} archived on one day."""
    with gzip.open({{snake}}_archive_path(day), "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


if __name__ == "__main__":
    written = archive_{{snake_plural}}(json.loads(line) for line in sys.stdin if line.strip())
    print(f"archived {written} {{words_plural}}")
'''

_GZIP_RETENTION = _patch(
    _GZIP,
    "back without unpacking anything to disk.",
    "back without unpacking anything to disk. Archives older than {{upper}}_KEEP_DAYS days (default 30) are\ndeleted "
    "after each run.",
    "import json\n",
    "import json\nimport os\n",
    "from datetime import date\n",
    "from datetime import date, timedelta\n",
    "COMPRESSLEVEL = 6\n",
    'COMPRESSLEVEL = 6\n{{upper}}_KEEP_DAYS = int(os.environ.get("{{upper}}_KEEP_DAYS", "30"))\n',
    '''if __name__ == "__main__":''',
    '''def prune_{{snake}}_archives(keep_days: int = {{upper}}_KEEP_DAYS, today: date | None = None) -> list[Path]:
    """Delete the day archives older than keep_days; return the files removed."""
    oldest = (today or date.today()) - timedelta(days=keep_days)
    removed = []
    for path in sorted({{upper}}_ARCHIVE_DIR.glob("*.jsonl.gz")):
        try:
            day = date.fromisoformat(path.name.removesuffix(".jsonl.gz"))
        except ValueError:
            continue
        if day < oldest:
            path.unlink()
            removed.append(path)
    return removed


if __name__ == "__main__":''',
    '''    print(f"archived {written} {{words_plural}}")''',
    '''    print(f"archived {written} {{words_plural}}, pruned {len(prune_{{snake}}_archives())} old archives")''',
)


def _gzip_common(f: Forms) -> list[str]:
    return [
        "import gzip",
        f'{f["upper"]}_ARCHIVE_DIR = Path("archive/{f["kebab_plural"]}")',
        f"def {f['snake']}_archive_path(day: date, root: Path = {f['upper']}_ARCHIVE_DIR) -> Path:",
        f"def archive_{f['snake_plural']}(records: Iterable[dict[str, Any]], day: date | None = None) -> int:",
        'with gzip.open(target, "at", encoding="utf-8", compresslevel=COMPRESSLEVEL) as handle:',
        f"def read_{f['snake']}_archive(day: date) -> Iterator[dict[str, Any]]:",
    ]


# ==========================================================================
# 11. textwrap plain-text report (+ the terminal's width)
# ==========================================================================

_TEXT = '''
"""Plain-text report of {{words_plural}} for e-mail bodies and terminals: a centred title, then each entry with its
key and title and a description wrapped to 72 columns under a hanging indent (textwrap)."""
from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 72
INDENT = " " * 11


@dataclass(frozen=True)
class {{pascal}}Entry:
    """One {{words}} of the report."""

    key: str
    title: str
    description: str


def format_{{snake}}_entry(entry: {{pascal}}Entry, width: int = WIDTH) -> str:
    """'KEY        Title' on one line, then the description wrapped and indented under it."""
    head = f"{entry.key:<10} " + textwrap.shorten(entry.title, width=width - len(INDENT), placeholder=" ...")
    body = textwrap.fill(
        " ".join(entry.description.split()),
        width=width,
        initial_indent=INDENT,
        subsequent_indent=INDENT,
        break_on_hyphens=False,
    )
    return f"{head}\\n{body}"


def {{snake}}_report(entries: Iterable[{{pascal}}Entry], width: int = WIDTH) -> str:
    """The whole report: title, a rule, the entries separated by blank lines."""
    items = list(entries)
    title = f"{{title_plural}} ({len(items)})".center(width).rstrip()
    blocks = "\\n\\n".join(format_{{snake}}_entry(item, width) for item in items) or "(none)"
    return "\\n".join([title, "=" * width, blocks]) + "\\n"


if __name__ == "__main__":
    text = "A description that is long enough to show how the wrapping and the hanging indent work. " * 3
    sys.stdout.write({{snake}}_report([{{pascal}}Entry("A-1", "First {{words}}", text)]))
'''

_TEXT_TERMINAL = _patch(
    _TEXT,
    "a description wrapped to 72 columns under a hanging indent (textwrap).",
    "a description wrapped to the terminal's width (72 columns when it is unknown) under a hanging indent\n"
    "(textwrap).",
    "import sys\n",
    "import shutil\nimport sys\n",
    "WIDTH = 72\n",
    "WIDTH = shutil.get_terminal_size(fallback=(72, 24)).columns\n",
)


def _text_common(f: Forms) -> list[str]:
    return [
        "import textwrap",
        f"class {f['pascal']}Entry:",
        f"def format_{f['snake']}_entry(entry: {f['pascal']}Entry, width: int = WIDTH) -> str:",
        f"def {f['snake']}_report(entries: Iterable[{f['pascal']}Entry], width: int = WIDTH) -> str:",
        f'title = f"{f["title_plural"]} ({{len(items)}})".center(width).rstrip()',
        "subsequent_indent=INDENT,",
    ]


# ==========================================================================
# 12. bisect tier lookup (+ exclusive upper bounds)
# ==========================================================================

_TIER = '''
"""Tier lookup for {{words_plural}}: an amount is placed into ascending bands with bisect (the upper bound of each band
is inclusive), each band with its rate and label; the bands are checked once, when the table is built."""
from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class {{pascal}}Tier:
    """A band: amounts up to its upper_bound get its rate."""

    upper_bound: float
    rate: float
    label: str


{{upper}}_TIERS: list[{{pascal}}Tier] = [
    {{pascal}}Tier(100.0, 0.00, "base"),
    {{pascal}}Tier(500.0, 0.05, "silver"),
    {{pascal}}Tier(2000.0, 0.10, "gold"),
    {{pascal}}Tier(float("inf"), 0.15, "platinum"),
]


class {{pascal}}Table:
    """Tiers sorted by upper bound, looked up in O(log n) with the bisect module."""

    def __init__(self, tiers: list[{{pascal}}Tier]) -> None:
        self.tiers = sorted(tiers, key=lambda tier: tier.upper_bound)
        self.bounds = [tier.upper_bound for tier in self.tiers]
        if len(set(self.bounds)) != len(self.bounds):
            raise ValueError("two {{words}} tiers share an upper bound")

    def tier_for(self, amount: float) -> {{pascal}}Tier:
        """The tier an amount falls into; a negative amount is refused."""
        if amount < 0:
            raise ValueError("amount must not be negative")
        index = bisect.bisect_left(self.bounds, amount)
        if index == len(self.tiers):
            raise ValueError(f"{amount} is above the highest {{words}} tier")
        return self.tiers[index]

    def rate_for(self, amount: float) -> float:
        """The rate of the tier an amount falls into."""
        return self.tier_for(amount).rate


{{upper}}_TABLE = {{pascal}}Table({{upper}}_TIERS)

if __name__ == "__main__":
    for value in (50, 100, 101, 1999.99, 5000):
        tier = {{upper}}_TABLE.tier_for(value)
        print(f"{value:>10} -> {tier.label} ({tier.rate:.0%})")
'''

_TIER_EXCLUSIVE = _patch(
    _TIER,
    "(the upper bound of each band\nis inclusive)",
    "(the upper bound of each band\nis exclusive: an amount equal to it belongs to the next band)",
    '"""A band: amounts up to its upper_bound get its rate."""',
    '"""A band: amounts below its upper_bound get its rate."""',
    "index = bisect.bisect_left(self.bounds, amount)",
    "index = bisect.bisect_right(self.bounds, amount)",
)


def _tier_common(f: Forms) -> list[str]:
    return [
        "import bisect",
        f"class {f['pascal']}Tier:",
        f"{f['upper']}_TIERS: list[{f['pascal']}Tier] = [",
        f"class {f['pascal']}Table:",
        f"def tier_for(self, amount: float) -> {f['pascal']}Tier:",
        f"{f['upper']}_TABLE = {f['pascal']}Table({f['upper']}_TIERS)",
    ]


# ==========================================================================
# 13. decimal document totals (+ banker's rounding)
# ==========================================================================

_MONEY = '''
"""Totals of a {{words}} with decimal arithmetic: each line's net is quantity x unit price, its tax is the net at the
line's rate, both rounded to cents with ROUND_HALF_UP per line; no float ever touches an amount."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
{{upper}}_TAX_RATE = Decimal("0.19")


def to_cents(amount: Decimal) -> Decimal:
    """Round to two places, halves away from zero."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class {{pascal}}Position:
    """One position of a {{words}}."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal = {{upper}}_TAX_RATE

    @property
    def net(self) -> Decimal:
        """quantity x unit price, in cents."""
        return to_cents(self.quantity * self.unit_price)

    @property
    def tax(self) -> Decimal:
        """The tax of this position, in cents."""
        return to_cents(self.net * self.tax_rate)


def {{snake}}_totals(positions: list[{{pascal}}Position]) -> dict[str, Decimal]:
    """net, tax and gross of a whole {{words}}; the gross is the sum of the rounded parts."""
    net = sum((position.net for position in positions), Decimal(0))
    tax = sum((position.tax for position in positions), Decimal(0))
    return {"net": net, "tax": tax, "gross": net + tax}


def parse_{{snake}}_position(description: str, quantity: str, price: str, rate: str = "0.19") -> {{pascal}}Position:
    """A position from text fields; strings keep the exact decimal value that a float would lose."""
    return {{pascal}}Position(description, Decimal(quantity), Decimal(price), Decimal(rate))


if __name__ == "__main__":
    demo = [parse_{{snake}}_position("Widget", "3", "19.99"), parse_{{snake}}_position("Support", "1.5", "80", "0.07")]
    for key, value in {{snake}}_totals(demo).items():
        print(f"{key:>6}: {value}")
'''

_MONEY_HALF_EVEN = _patch(
    _MONEY,
    "rounded to cents with ROUND_HALF_UP per line;",
    "rounded to cents per line with banker's rounding\n(ROUND_HALF_EVEN, halves to the even cent);",
    "from decimal import ROUND_HALF_UP, Decimal",
    "from decimal import ROUND_HALF_EVEN, Decimal",
    '''    """Round to two places, halves away from zero."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)''',
    '''    """Round to two places, halves to the even neighbour (banker's rounding)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)''',
)


def _money_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_TAX_RATE = Decimal("0.19")',
        f"tax_rate: Decimal = {f['upper']}_TAX_RATE",
        f"class {f['pascal']}Position:",
        f"def {f['snake']}_totals(positions: list[{f['pascal']}Position]) -> dict[str, Decimal]:",
        "net = sum((position.net for position in positions), Decimal(0))",
        f"return {f['pascal']}Position(description, Decimal(quantity), Decimal(price), Decimal(rate))",
        f"def parse_{f['snake']}_position(",
    ]


# ==========================================================================
# FAMILIES
# ==========================================================================

FAMILIES: list[Family] = [
    Family(
        name="hashlib-checksum-manifest",
        stack=("python", "hashlib"),
        tasks=(
            "Build a SHA-256 checksum manifest of the {words} files in a folder",
            "Hi! Before we ship, we'd like a JSON manifest with the sha256 of every {words} file under "
            "storage/{kebab_plural}/ (relative paths, sorted), hashed in chunks so the big ones don't eat the RAM. "
            "Could you write that with hashlib? Thanks!",
            "{sentence} checksums:\n- hashlib.sha256, 1 MiB chunks\n- every file under the folder, recursively\n- "
            "write {snake_plural}.manifest.json (sorted keys)\n- the manifest leaves itself out",
            "write_{snake}_manifest(): hash all files with hashlib and dump the digests as JSON",
            "For every {words} on disk, compute its SHA-256 and record it in a manifest file.",
            "Task: checksum manifest\nEntity: {pascal}\nRequirements: hashlib sha256, chunked reads, JSON output "
            "with relative paths\nOutput: one module",
        ),
        code=_code("integrity/{{snake}}_manifest.py", _MANIFEST),
        must=lambda f: _manifest_common(f) + ["digest = hashlib.sha256()", '{"algorithm": "sha256",'],
        must_not=("blake2b", "def verify_", "compare_digest"),
        entities=("release artifact", "backup archive", "firmware image", "evidence file", "photo",
                  "survey matrix"),
    ),
    Family(
        name="hashlib-manifest-verify",
        stack=("python", "hashlib"),
        tasks=(
            "Verify the {words} files in a folder against their SHA-256 checksum manifest",
            "Hi! We already write a JSON manifest with the sha256 of every {words} file. Could you write the "
            "checking side with hashlib: re-hash each listed file and tell me which changed, which are missing and "
            "which files aren't in the manifest at all? Exit code 1 when anything differs. Thanks!",
            "{sentence} integrity check:\n- read {snake_plural}.manifest.json\n- hashlib.sha256 per file, chunked\n"
            "- report changed / missing / unexpected\n- non-zero exit on any difference",
            "verify_{snake_plural}(): compare files on disk with the checksum manifest (hashlib)",
            "Against the manifest of checksums, check every {words} on disk and list what no longer matches.",
        ),
        code=_code("integrity/{{snake}}_verify.py", _VERIFY),
        must=lambda f: _verify_common(f) + ["digest = hashlib.sha256()"],
        must_not=("hmac", "def build_", "write_text(", "blake2b"),
        entities=("release artifact", "backup archive", "dataset", "installer package", "audio sample",
                  "map tile"),
    ),
    Family(
        name="re-log-line-parser",
        stack=("python", "re"),
        tasks=(
            "Parse {words} log lines with a regular expression and count them per level",
            "Hey! Our {words} logs look like '2024-05-01 12:00:00 ERROR [worker.sync] message'. Could you write a "
            "parser with re (named groups) that turns each line into a small dataclass and counts lines per level, "
            "without crashing on garbage lines? Thanks!",
            "{sentence} log parser:\n- one compiled regex with named groups: timestamp, level, source, message\n"
            "- frozen dataclass {pascal}LogLine\n- per-level Counter\n- unmatched lines counted, not fatal",
            "parse_{snake}_line(line) -> {pascal}LogLine | None, regex based",
            "Count the lines per log level in logs/{kebab_plural}.log; use re with named groups.",
            "regex parser for {words_plural} logs (timestamp, level, source, message)",
        ),
        code=_code("logs/{{snake}}_parser.py", _LOGPARSE),
        must=lambda f: _logparse_common(f) + [f"return {f['pascal']}LogLine(**match.groupdict())"],
        must_not=("re.IGNORECASE", "subn(", "<email>"),
        entities=("access log", "audit event", "payment attempt", "login attempt", "cron run",
                  "worker heartbeat"),
    ),
    Family(
        name="re-log-line-redactor",
        stack=("python", "re"),
        tasks=(
            "Redact e-mail addresses, IP addresses and card numbers from {words} log lines with regular expressions",
            "Hey! Before we hand our {words} logs to the vendor, could you write something with re that masks "
            "e-mail addresses, IPv4 addresses and anything that looks like a card number, and writes a "
            ".redacted.log copy? Keep the original untouched. Thanks!",
            "{sentence} log redaction:\n- compiled regexes for email, IPv4, 13-16 digit card numbers\n- replace with "
            "<email>, <ip>, <card>\n- write a redacted copy, count the replacements",
            "redact_{snake}_log(path): mask PII in log lines, regex based",
            "Mask the personal data in logs/{kebab_plural}.log (emails, IPs, card numbers) using re.",
        ),
        code=_code("logs/{{snake}}_redact.py", _REDACT),
        must=_redact_must,
        must_not=("groupdict", "Counter", "IGNORECASE"),
        entities=("access log", "support ticket", "chat message", "patient", "call transcript", "error report"),
    ),
    Family(
        name="zoneinfo-business-day-due-date",
        stack=("python", "zoneinfo"),
        tasks=(
            "Compute the due date of a {words} in business days, in the office time zone",
            "Hi! A {words} has to be handled within 3 business days. Could you write the due-date calculation with "
            "zoneinfo (office in Europe/Berlin, configurable), skipping weekends, where anything received after "
            "17:00 counts from the next business day? Thanks a lot!",
            "{sentence} SLA due date:\n- zoneinfo.ZoneInfo, time zone from {upper}_TIMEZONE\n- 3 business days, "
            "weekends skipped\n- 17:00 cut-off\n- aware datetimes only",
            "{snake}_due_date(received_at) -> datetime, business days, zoneinfo",
            "In business days and the office's local time, when is a {words} due? Weekends don't count.",
            "Task: due-date calculator\nEntity: {pascal}\nRequirements:\n- zoneinfo\n- N business days after "
            "receipt\n- 17:00 local cut-off\n- reject naive datetimes",
            "due dates for {kebab_plural}: business days only, Europe/Berlin by default, zoneinfo",
        ),
        code=_code("sla/{{snake}}_due.py", _DUE),
        must=lambda f: _due_common(f) + ['"""Monday to Friday."""'],
        must_not=("HOLIDAYS", "holiday"),
        entities=("purchase order", "support case", "loan application", "refund request", "permit",
                  "time entry"),
    ),
    Family(
        name="statistics-column-summary",
        stack=("python", "statistics"),
        tasks=(
            "Summary statistics (mean, median, standard deviation) of {words_plural} from a CSV export",
            "Hi! I've got a CSV export of {words_plural} with a numeric 'value' column. Could you write a small "
            "script with the statistics module that prints count, mean, median, stdev, min and max as JSON, "
            "ignoring empty or broken cells? Thanks!",
            "{title} stats:\n- read exports/{kebab_plural}.csv\n- statistics.fmean / median / stdev\n- min, max, "
            "count\n- skip blank and non-numeric values\n- JSON output",
            "summarize_{snake_plural}(values) -> dict, stdlib statistics",
            "Mean, median and spread of the {words} values in a CSV file; use Python's statistics module.",
        ),
        code=_code("analytics/{{snake}}_summary.py", _STATS),
        must=_stats_common,
        must_not=("quantiles", "p95"),
        entities=("blood analysis", "response time", "exam score", "crop yield", "wind speed reading", "child"),
    ),
    Family(
        name="itertools-batch-files",
        stack=("python", "itertools"),
        tasks=(
            "Split a JSON Lines export of {words_plural} into batch files of 500 with itertools",
            "Hi! Our {words} export is a huge .jsonl file and the importer on the other side takes at most 500 "
            "records per file. Could you split it into numbered batch files with itertools (islice), in one pass, "
            "without loading everything into memory? Thanks!",
            "Batch the {words_plural}:\n- itertools.islice, 500 per batch\n- itertools.count for the numbering\n- "
            "outbox/{kebab_plural}/{kebab}-batch-0001.json, ...\n- stream the input",
            "split_{snake}_export(source) -> list of batch files (itertools chunking)",
            "Into chunks of 500, cut the {words} export and write each chunk to its own JSON file.",
            "[export-agent] Task: chunk {pascal} records from a JSONL file into numbered files of at most 500. "
            "Use itertools; stream, do not load it all.",
        ),
        code=_code("exports/{{snake}}_batches.py", _BATCH),
        must=lambda f: _batch_common(f) + [f"def split_{f['snake']}_export(source: Path, target_dir: Path = "
                                           f"{f['upper']}_BATCH_DIR) -> list[Path]:"],
        must_not=("dry_run",),
        entities=("order line", "line item", "inventory snapshot", "email recipient", "product variant",
                  "geo point"),
    ),
    Family(
        name="tomllib-typed-settings",
        stack=("python", "tomllib"),
        tasks=(
            "Load the {words} settings from a TOML file with tomllib into a typed dataclass",
            "Hello! Could you write a loader that reads config/{kebab}.toml with tomllib (we're on 3.11) into a "
            "frozen dataclass (enabled, endpoint, timeout_seconds, max_items, labels), with defaults when a key or "
            "the whole file is missing and a clear TypeError on a wrong type? Thanks so much",
            "{upper} settings:\n- tomllib, table [{snake}]\n- frozen dataclass with defaults\n- ints accepted for "
            "floats, bools never for ints\n- missing file -> defaults",
            "load_{snake}_settings() from TOML (stdlib tomllib), typed",
            "Typed configuration for the {words} service, read from a .toml file by the standard library.",
        ),
        code=_code("config/{{snake}}_settings.py", _TOML),
        must=lambda f: _toml_common(f) + [f'table = tomllib.load(handle).get("{f["snake"]}", {{}})'],
        must_not=("os.environ",),
        entities=("loyalty card", "feature flag", "search index", "report scheduler", "storage bucket",
                  "rate limiter"),
    ),
    Family(
        name="yaml-fixture-loader",
        stack=("python", "pyyaml"),
        tasks=(
            "Load {words} fixtures from a YAML file with PyYAML's safe_load",
            "Hi! Our tests seed {words_plural} from fixtures/{kebab_plural}.yaml. Could you write the loader with "
            "PyYAML (safe loader only, please) that turns each entry into a dataclass, insists on id and name, and "
            "fails on duplicate ids? Thanks!",
            "{sentence} fixtures:\n- yaml.safe_load\n- top-level key {snake_plural}\n- frozen dataclass "
            "{pascal}Fixture\n- missing id/name and duplicate ids are errors",
            "load_{snake}_fixtures(path) -> list of dataclasses, pyyaml",
            "Read the YAML test data of {words_plural} into typed objects, safely.",
        ),
        code=_code("fixtures/{{snake}}_fixtures.py", _YAML),
        must=lambda f: _yaml_common(f) + ["document = yaml.safe_load(handle) or {}"],
        must_not=("safe_load_all",),
        entities=("person", "menu item", "warehouse shelf", "lesson plan", "quiz", "demo tenant"),
    ),
    Family(
        name="gzip-daily-jsonl-archive",
        stack=("python", "gzip"),
        tasks=(
            "Archive {words_plural} into daily gzip-compressed JSON Lines files",
            "Hi! We'd like to keep every {words} we process in archive/{kebab_plural}/, one gzipped .jsonl file per "
            "day, appending as we go, plus a function to stream a day's records back. Could you write that with the "
            "gzip module? Thanks!",
            "{sentence} archive:\n- gzip.open in append text mode\n- one YYYY-MM-DD.jsonl.gz per day\n- compact JSON, "
            "one record per line\n- a reader that streams a day back",
            "archive_{snake_plural}(records): append to today's .jsonl.gz (gzip)",
            "Task: daily archive\nEntity: {pascal}\nRequirements: gzip, JSON Lines, one file per day, append mode, "
            "streaming reader\nOutput: a single module",
        ),
        code=_code("archive/{{snake}}_archive.py", _GZIP),
        must=lambda f: _gzip_common(f) + [f'print(f"archived {{written}} {f["words_plural"]}")'],
        must_not=("prune_", "KEEP_DAYS"),
        entities=("status report", "click event", "page view", "shipment", "telemetry frame", "chat session"),
    ),
    Family(
        name="textwrap-plain-text-report",
        stack=("python", "textwrap"),
        tasks=(
            "Plain-text report of {words_plural} with descriptions wrapped by textwrap",
            "Hi! We send a plain-text digest of {words_plural} by e-mail. Could you format it with textwrap: a "
            "centred title, then each entry as key + title on one line and the description wrapped to 72 columns "
            "with a hanging indent? Thanks!",
            "{title_plural} text report:\n- textwrap.fill, 72 columns, hanging indent\n- textwrap.shorten for long "
            "titles\n- centred title with a count\n- entries separated by blank lines",
            "{snake}_report(entries) -> str, fixed-width, textwrap",
            "Wrapped to 72 columns, a plain text listing of every {words} for an e-mail body.",
        ),
        code=_code("reports/{{snake}}_text.py", _TEXT),
        must=lambda f: _text_common(f) + ["WIDTH = 72\n"],
        must_not=("get_terminal_size",),
        entities=("release note", "incident", "weekly summary", "leaf inspection", "job posting", "book review"),
    ),
    Family(
        name="bisect-tier-lookup",
        stack=("python", "bisect"),
        tasks=(
            "Look up the {words} tier for an amount with bisect",
            "Hi! We have {words} bands (up to 100, up to 500, up to 2000, above) each with a rate. Could you write "
            "the lookup with bisect so it's O(log n), checking the bands once up front? Thanks!",
            "{title} tiers:\n- frozen dataclass {pascal}Tier (upper_bound, rate, label)\n- sorted bounds, "
            "bisect.bisect_left\n- upper bounds inclusive\n- negative amounts rejected",
            "{upper}_TABLE.tier_for(amount) using the bisect module",
            "Which band does an amount fall into? A {words} table looked up with bisect.",
            "[pricing-agent] Generate a module: {snake} tier lookup by amount. Requirements: bisect, inclusive "
            "upper bounds, duplicate bounds rejected.",
        ),
        code=_code("pricing/{{snake}}_tiers.py", _TIER),
        must=lambda f: _tier_common(f) + ["index = bisect.bisect_left(self.bounds, amount)"],
        must_not=("bisect_right",),
        entities=("shipping rate", "tax bracket", "discount tier", "commission band", "grade boundary",
                  "salary band"),
    ),
    Family(
        name="decimal-document-totals",
        stack=("python", "decimal"),
        tasks=(
            "Compute the net, tax and gross totals of a {words} with Decimal",
            "Hi! Our {words} totals are off by a cent now and then because of floats. Could you rewrite the "
            "calculation with decimal.Decimal: quantity x unit price per position, tax per position, rounded half up "
            "to cents, then net/tax/gross? Thanks!",
            "{sentence} totals:\n- decimal.Decimal everywhere, no floats\n- quantize to 0.01 with ROUND_HALF_UP per "
            "position\n- default tax rate {upper}_TAX_RATE = 0.19\n- net, tax, gross",
            "{snake}_totals(positions) -> net/tax/gross (decimal module)",
            "Exact money arithmetic for a {words}: sum the positions in Decimal and round to cents.",
        ),
        code=_code("billing/{{snake}}_totals.py", _MONEY),
        must=lambda f: _money_common(f) + ["return amount.quantize(CENT, rounding=ROUND_HALF_UP)"],
        must_not=("ROUND_HALF_EVEN",),
        entities=("invoice", "credit note", "expense claim", "utility bill", "freight charge", "hotel folio"),
    ),
]


# ==========================================================================
# NEAR MISSES: one requirement added or changed
# ==========================================================================

NEAR_MISSES: list[Family] = [
    Family(
        name="hashlib-checksum-manifest-blake2b",
        base="hashlib-checksum-manifest",
        stack=("python", "hashlib"),
        tasks=(
            "Build a BLAKE2b checksum manifest of the {words} files in a folder",
            "Hi! We need the JSON manifest of every {words} file under storage/{kebab_plural}/ again, but with "
            "BLAKE2b (256-bit digests) instead of SHA-256, hashed in chunks. Could you write it with hashlib? Thanks!",
            "{sentence} checksums, BLAKE2b:\n- hashlib.blake2b(digest_size=32), 1 MiB chunks\n- every file, "
            "recursively\n- write {snake_plural}.manifest.json",
            "write_{snake}_manifest() with blake2b digests instead of sha256",
        ),
        code=_code("integrity/{{snake}}_manifest.py", _MANIFEST_BLAKE2),
        must=lambda f: _manifest_common(f) + ["digest = hashlib.blake2b(digest_size=32)",
                                              '{"algorithm": "blake2b-256",'],
        must_not=("sha256",),
        entities=("firmware image", "photo", "evidence file"),
    ),
    Family(
        name="hashlib-manifest-verify-signed",
        base="hashlib-manifest-verify",
        stack=("python", "hashlib"),
        tasks=(
            "Verify the {words} files against a checksum manifest whose HMAC signature is checked first",
            "Hi! Same manifest check for our {words} files as before (changed / missing / unexpected), but the "
            "manifest is now signed: verify its HMAC-SHA256 with the key from {upper}_MANIFEST_KEY, in constant time, "
            "before trusting any digest. Thanks!",
            "{sentence} integrity check, signed manifest:\n- HMAC-SHA256 over the canonical JSON of the file list\n"
            "- hmac.compare_digest\n- then re-hash every file with hashlib.sha256",
            "verify_{snake_plural}() but refuse a manifest with a bad HMAC signature",
        ),
        code=_code("integrity/{{snake}}_verify.py", _VERIFY_SIGNED),
        must=lambda f: _verify_common(f) + [
            f'key = os.environ.get("{f["upper"]}_MANIFEST_KEY", "")',
            "if not hmac.compare_digest(expected, signature):",
            '_check_signature(manifest, str(document.get("signature", "")))',
        ],
        entities=("release artifact", "installer package", "map tile"),
        sensitive=True,
    ),
    Family(
        name="re-log-line-parser-case-insensitive",
        base="re-log-line-parser",
        stack=("python", "re"),
        tasks=(
            "Parse {words} log lines with a regular expression, matching the level case-insensitively",
            "Hey! Some of our {words} services log 'warning' or 'Error' instead of WARNING/ERROR. Could you write the "
            "regex line parser (named groups, per-level counts) so the level matches in any case and is counted "
            "upper-cased? Thanks!",
            "{sentence} log parser, any-case levels:\n- compiled regex with named groups and re.IGNORECASE\n- level "
            "normalised to upper case\n- per-level Counter, unmatched lines counted",
            "parse_{snake}_line(line), regex, case-insensitive log level",
        ),
        code=_code("logs/{{snake}}_parser.py", _LOGPARSE_CI),
        must=lambda f: _logparse_common(f) + ["    re.IGNORECASE,\n)", 'fields["level"] = fields["level"].upper()'],
        must_not=("subn(",),
        entities=("audit event", "cron run", "weather phenomenon"),
    ),
    Family(
        name="zoneinfo-business-day-due-date-holidays",
        base="zoneinfo-business-day-due-date",
        stack=("python", "zoneinfo"),
        tasks=(
            "Compute the due date of a {words} in business days, skipping weekends and public holidays",
            "Hi! The {words} due dates count 3 business days in the office time zone (zoneinfo, 17:00 cut-off), and "
            "now public holidays must not count either: take them from {upper}_HOLIDAYS as comma-separated ISO "
            "dates. Thanks a lot!",
            "{sentence} SLA due date with holidays:\n- zoneinfo, time zone from {upper}_TIMEZONE\n- weekends and "
            "holidays skipped\n- 17:00 cut-off",
            "{snake}_due_date(received_at) excluding holidays and weekends (zoneinfo)",
        ),
        code=_code("sla/{{snake}}_due.py", _DUE_HOLIDAYS),
        must=lambda f: _due_common(f) + [
            f'date.fromisoformat(day.strip()) for day in os.environ.get("{f["upper"]}_HOLIDAYS", "").split(",")',
            f"return day.weekday() < 5 and day not in {f['upper']}_HOLIDAYS",
        ],
        entities=("purchase order", "refund request", "time entry"),
    ),
    Family(
        name="statistics-column-summary-percentiles",
        base="statistics-column-summary",
        stack=("python", "statistics"),
        tasks=(
            "Summary statistics of {words_plural} from a CSV export, with the 90th and 95th percentiles",
            "Hi! For the {words} CSV export (numeric 'value' column) I need count, mean, median, stdev, min and max "
            "as before, plus p90 and p95. Could you use statistics.quantiles for those? Thanks!",
            "{title} stats with percentiles:\n- statistics.fmean / median / stdev\n- p90 and p95 via "
            "statistics.quantiles (inclusive)\n- JSON output",
            "summarize_{snake_plural}(values) including p90/p95 percentiles",
        ),
        code=_code("analytics/{{snake}}_summary.py", _STATS_PERCENTILES),
        must=lambda f: _stats_common(f) + [
            'cuts = statistics.quantiles(values, n=100, method="inclusive")',
            "**_percentiles(values),",
        ],
        entities=("response time", "blood analysis", "market analysis"),
    ),
    Family(
        name="itertools-batch-files-dry-run",
        base="itertools-batch-files",
        stack=("python", "itertools"),
        tasks=(
            "Split a JSON Lines export of {words_plural} into batch files of 500, with a --dry-run flag",
            "Hi! Could you write the itertools splitter for our {words} .jsonl export (500 records per numbered "
            "file, one pass) with a --dry-run option that only lists the files it would write? Thanks!",
            "Batch the {words_plural}, dry run:\n- itertools.islice, 500 per batch\n- --dry-run: write nothing, list "
            "the target files\n- outbox/{kebab_plural}/",
            "split_{snake}_export(source, dry_run=True) chunking with itertools",
        ),
        code=_code("exports/{{snake}}_batches.py", _BATCH_DRY_RUN),
        must=lambda f: _batch_common(f) + [
            f"source: Path, target_dir: Path = {f['upper']}_BATCH_DIR, dry_run: bool = False",
            'dry = "--dry-run" in sys.argv[1:]',
        ],
        entities=("order line", "email recipient", "geo point"),
    ),
    Family(
        name="tomllib-typed-settings-env-overrides",
        base="tomllib-typed-settings",
        stack=("python", "tomllib"),
        tasks=(
            "Load the {words} settings from a TOML file with tomllib, environment variables overriding the file",
            "Hello! The tomllib loader for config/{kebab}.toml (frozen dataclass, defaults) should also let "
            "{upper}_ENDPOINT, {upper}_TIMEOUT_SECONDS and friends override what the file says, for our containers. "
            "Could you add that? Thanks so much",
            "{upper} settings with env overrides:\n- tomllib, table [{snake}]\n- {upper}_* environment variables win\n"
            "- typed, defaults when missing",
            "load_{snake}_settings(): TOML plus os.environ overrides",
        ),
        code=_code("config/{{snake}}_settings.py", _TOML_ENV),
        must=lambda f: _toml_common(f) + [
            f'raw = os.environ.get(f"{f["upper"]}_{{key.upper()}}")',
            "table.update(_environment_overrides())",
        ],
        entities=("loyalty card", "search index", "storage bucket"),
    ),
    Family(
        name="yaml-fixture-loader-multi-document",
        base="yaml-fixture-loader",
        stack=("python", "pyyaml"),
        tasks=(
            "Load {words} fixtures from a multi-document YAML file with PyYAML's safe_load_all",
            "Hi! Our fixtures/{kebab_plural}.yaml now holds several YAML documents separated by ---. Could you write "
            "the PyYAML loader (safe only) that reads all of them into dataclasses, checks id/name and duplicate ids "
            "across documents? Thanks!",
            "{sentence} fixtures, multi-document:\n- yaml.safe_load_all\n- key {snake_plural} in each document\n- "
            "duplicate ids across documents are errors",
            "load_{snake}_fixtures(path) for a --- separated YAML stream",
        ),
        code=_code("fixtures/{{snake}}_fixtures.py", _YAML_MULTI),
        must=lambda f: _yaml_common(f) + [
            "documents = [document or {} for document in yaml.safe_load_all(handle)]",
            f'entries = [entry for document in documents for entry in document.get("{f["snake_plural"]}", [])]',
        ],
        entities=("person", "warehouse shelf", "grading criterion"),
    ),
    Family(
        name="gzip-daily-jsonl-archive-retention",
        base="gzip-daily-jsonl-archive",
        stack=("python", "gzip"),
        tasks=(
            "Archive {words_plural} into daily gzip JSON Lines files and delete archives older than 30 days",
            "Hi! Same daily .jsonl.gz archive for {words_plural} under archive/{kebab_plural}/, but the disk fills up: "
            "after each run, delete the day files older than {upper}_KEEP_DAYS days (default 30). Thanks!",
            "{sentence} archive with retention:\n- gzip.open append mode, one file per day\n- streaming reader\n- "
            "prune archives older than N days",
            "archive_{snake_plural}(records) plus prune_{snake}_archives(keep_days)",
        ),
        code=_code("archive/{{snake}}_archive.py", _GZIP_RETENTION),
        must=lambda f: _gzip_common(f) + [
            f"def prune_{f['snake']}_archives(keep_days: int = {f['upper']}_KEEP_DAYS, today: date | None = None) "
            "-> list[Path]:",
            "oldest = (today or date.today()) - timedelta(days=keep_days)",
        ],
        entities=("click event", "page view", "status report"),
    ),
    Family(
        name="textwrap-plain-text-report-terminal-width",
        base="textwrap-plain-text-report",
        stack=("python", "textwrap"),
        tasks=(
            "Plain-text report of {words_plural} wrapped by textwrap to the terminal's width",
            "Hi! The plain-text {words} digest (centred title, key + title, hanging indent) should wrap to the width "
            "of the terminal it's printed in, 72 columns when that's unknown. Could you do that with textwrap and "
            "shutil? Thanks!",
            "{title_plural} text report, terminal width:\n- shutil.get_terminal_size, fallback 72\n- textwrap.fill "
            "with a hanging indent\n- centred title with a count",
            "{snake}_report(entries) sized to the current terminal (textwrap)",
        ),
        code=_code("reports/{{snake}}_text.py", _TEXT_TERMINAL),
        must=lambda f: _text_common(f) + ["WIDTH = shutil.get_terminal_size(fallback=(72, 24)).columns"],
        entities=("release note", "weekly summary", "school child"),
    ),
    Family(
        name="bisect-tier-lookup-exclusive-bounds",
        base="bisect-tier-lookup",
        stack=("python", "bisect"),
        tasks=(
            "Look up the {words} tier for an amount with bisect, upper bounds exclusive",
            "Hi! For our {words} bands an amount exactly on a boundary belongs to the next band up (100 is already "
            "silver). Could you write the bisect lookup that way? Thanks!",
            "{title} tiers, exclusive bounds:\n- frozen dataclass {pascal}Tier\n- bisect.bisect_right\n- an amount "
            "equal to a bound goes to the next band",
            "{upper}_TABLE.tier_for(amount) with bisect_right (exclusive upper bounds)",
        ),
        code=_code("pricing/{{snake}}_tiers.py", _TIER_EXCLUSIVE),
        must=lambda f: _tier_common(f) + ["index = bisect.bisect_right(self.bounds, amount)"],
        must_not=("bisect_left",),
        entities=("tax bracket", "discount tier", "salary band"),
    ),
    Family(
        name="decimal-document-totals-bankers-rounding",
        base="decimal-document-totals",
        stack=("python", "decimal"),
        tasks=(
            "Compute the net, tax and gross totals of a {words} with Decimal and banker's rounding",
            "Hi! Our {words} totals have to follow the ledger's rounding: half to even (banker's rounding), not half "
            "up. Could you write the Decimal calculation (positions, tax per position, net/tax/gross) that way? "
            "Thanks!",
            "{sentence} totals, half-even:\n- decimal.Decimal, no floats\n- quantize to 0.01 with ROUND_HALF_EVEN\n"
            "- net, tax, gross",
            "{snake}_totals(positions) rounding ROUND_HALF_EVEN (decimal)",
        ),
        code=_code("billing/{{snake}}_totals.py", _MONEY_HALF_EVEN),
        must=lambda f: _money_common(f) + ["return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)"],
        must_not=("ROUND_HALF_UP",),
        entities=("invoice", "credit note", "expense claim"),
    ),
]
