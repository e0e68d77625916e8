"""Fifth blind hold-out workload for the template-learning benchmark: agent traffic on further new stacks.

Written without looking at the engine (only the harness ``bench/learning.py``, ``bench/README.md``, the README,
``contracts/``, the interface of ``holdout4.py`` and the self-check ``check_holdout.py`` that ``check_holdout4.py``
runs were read). The ``forms`` helpers, ``Family``, ``_render``, ``_code`` and ``_patch`` are copied verbatim from
``holdout4.py``.

Thirteen jobs on stacks or jobs the earlier hold-outs do not use: a tenacity retry wrapper around an upstream
fetch, a jsonschema (draft 2020-12) payload validator, parsing an XML export with xml.etree, writing an XML export
with xml.etree, a configparser INI settings loader, a concurrent.futures thread-pool batch, a graphlib dependency
order, a difflib unified-diff change report, difflib "did you mean" name suggestions, prometheus_client metrics,
Fernet field encryption (cryptography), fixed-size binary records with struct, and merging PDFs with pypdf.
Two distractor pairs share a stack and most of their words but not their job (XML in / XML out; diff report /
close-match suggestions). Two families (graphlib order, struct records) are phrased mostly as generated agent
prompts ("Task: ... Entity: ... Requirements: ..."). Eleven near misses change exactly one requirement of a base
family (async instead of sync, JSON Schema draft-07 instead of 2020-12, a namespaced XML feed, environment
variable overrides, processes instead of threads, parallel waves instead of one order, HTML side-by-side output
instead of a unified diff, a Pushgateway instead of a scrape endpoint, key rotation, a CRC32 per record, an
encrypted output PDF). Several entities collide with the words of their job ("delivery attempt" in the retry
family, "validation rule" in the validator, "config section" in the INI loader, "batch job" in the batch,
"task dependency" in the dependency order, "change request" in the diff report, "search term" in the lookup,
"metric sample" in the metrics, "secret note" in the encryption, "record header" in the binary records,
"status report" in the PDF merge); irregular plurals: grading criteria, soil analyses, search indexes, mesh
vertices, contact people, gps fixes, catalog entries, payroll entries, cities, task dependencies.

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
# 1. tenacity retries around an upstream fetch (+ async)
# ==========================================================================

_RETRY = '''
"""Fetch {{words_plural}} from the upstream service with tenacity retries: at most 5 attempts, random exponential
backoff capped at 30 s, on timeouts, connection errors and 5xx answers only; a 4xx fails at once."""
from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from typing import Any

from tenacity import before_sleep_log, retry, retry_if_exception, stop_after_attempt, wait_random_exponential

log = logging.getLogger(__name__)

{{upper}}_API_URL = os.environ.get("{{upper}}_API_URL", "http://localhost:8000")
TIMEOUT_SECONDS = 10


def _transient(exc: BaseException) -> bool:
    """A failure worth another attempt: no answer, or a 5xx."""
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code >= 500
    return isinstance(exc, (urllib.error.URLError, TimeoutError, ConnectionError))


def _get_json(url: str) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        return dict(json.load(response))


@retry(
    retry=retry_if_exception(_transient),
    stop=stop_after_attempt(5),
    wait=wait_random_exponential(multiplier=1, max=30),
    before_sleep=before_sleep_log(log, logging.WARNING),
    reraise=True,
)
def fetch_{{snake}}({{snake}}_id: int) -> dict[str, Any]:
    """GET /{{kebab_plural}}/<id> as JSON, retried on transient failures."""
    return _get_json({{upper}}_API_URL + "/{{kebab_plural}}/" + str({{snake}}_id))


def fetch_{{snake_plural}}(ids: list[int]) -> list[dict[str, Any]]:
    """Fetch several {{words_plural}} one after another; each one gets its own retries."""
    return [fetch_{{snake}}(number) for number in ids]


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(json.dumps(fetch_{{snake_plural}}([1, 2, 3]), indent=2))
'''

_RETRY_ASYNC = _patch(
    _RETRY,
    "Fetch {{words_plural}} from the upstream service with tenacity retries:",
    "Fetch {{words_plural}} asynchronously from the upstream service with tenacity retries:",
    "import json\n",
    "import asyncio\nimport json\n",
    '''def fetch_{{snake}}({{snake}}_id: int) -> dict[str, Any]:
    """GET /{{kebab_plural}}/<id> as JSON, retried on transient failures."""
    return _get_json(''',
    '''async def fetch_{{snake}}({{snake}}_id: int) -> dict[str, Any]:
    """GET /{{kebab_plural}}/<id> as JSON without blocking the event loop, retried on transient failures."""
    return await asyncio.to_thread(_get_json, ''',
    '''def fetch_{{snake_plural}}(ids: list[int]) -> list[dict[str, Any]]:
    """Fetch several {{words_plural}} one after another; each one gets its own retries."""
    return [fetch_{{snake}}(number) for number in ids]''',
    '''async def fetch_{{snake_plural}}(ids: list[int]) -> list[dict[str, Any]]:
    """Fetch several {{words_plural}} concurrently; each one gets its own retries."""
    return list(await asyncio.gather(*(fetch_{{snake}}(number) for number in ids)))''',
    "print(json.dumps(fetch_{{snake_plural}}([1, 2, 3]), indent=2))",
    "print(json.dumps(asyncio.run(fetch_{{snake_plural}}([1, 2, 3])), indent=2))",
)


def _retry_common(f: Forms) -> list[str]:
    return [
        "from tenacity import before_sleep_log, retry, retry_if_exception, stop_after_attempt, wait_random_exponential",
        f'{f["upper"]}_API_URL = os.environ.get("{f["upper"]}_API_URL", "http://localhost:8000")',
        "stop=stop_after_attempt(5),",
        "wait=wait_random_exponential(multiplier=1, max=30),",
        "retry=retry_if_exception(_transient),",
        f'"/{f["kebab_plural"]}/" + str({f["snake"]}_id)',
        f"def fetch_{f['snake_plural']}(ids: list[int]) -> list[dict[str, Any]]:",
    ]


# ==========================================================================
# 2. jsonschema payload validation (+ draft-07)
# ==========================================================================

_SCHEMA = '''
"""Validation of incoming {{words}} payloads against a JSON Schema (draft 2020-12) with jsonschema: every error is
reported with the JSON path where it occurred, not only the first one."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

{{upper}}_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://schemas.example.com/{{kebab}}.json",
    "title": "{{title}}",
    "type": "object",
    "required": ["id", "name", "status"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "status": {"enum": ["draft", "active", "archived"]},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "amount": {"type": "number", "exclusiveMinimum": 0},
    },
}

Draft202012Validator.check_schema({{upper}}_SCHEMA)
_VALIDATOR = Draft202012Validator({{upper}}_SCHEMA)


def {{snake}}_errors(payload: Any) -> list[str]:
    """Every problem of one {{words}} payload as 'path: message', sorted by path; [] when it is valid."""
    errors = sorted(_VALIDATOR.iter_errors(payload), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{e.json_path}: {e.message}" for e in errors]


def validate_{{snake}}_file(path: Path) -> dict[int, list[str]]:
    """Validate a JSON file holding a list of {{words_plural}}; maps each invalid item's index to its errors."""
    items = json.loads(path.read_text(encoding="utf-8"))
    report = {}
    for index, item in enumerate(items):
        problems = {{snake}}_errors(item)
        if problems:
            report[index] = problems
    return report


if __name__ == "__main__":
    bad = validate_{{snake}}_file(Path(sys.argv[1] if len(sys.argv) > 1 else "{{snake_plural}}.json"))
    for index, problems in bad.items():
        print(f"{{words}} #{index}:", *problems, sep="\\n  ")
    sys.exit(1 if bad else 0)
'''

_SCHEMA_DRAFT7 = _patch(
    _SCHEMA,
    "against a JSON Schema (draft 2020-12) with jsonschema",
    "against a JSON Schema (draft-07, what the partner\nspeaks) with jsonschema",
    "from jsonschema import Draft202012Validator\n",
    "from jsonschema import Draft7Validator\n",
    '"$schema": "https://json-schema.org/draft/2020-12/schema",',
    '"$schema": "http://json-schema.org/draft-07/schema#",',
    "Draft202012Validator.check_schema({{upper}}_SCHEMA)\n_VALIDATOR = Draft202012Validator({{upper}}_SCHEMA)",
    "Draft7Validator.check_schema({{upper}}_SCHEMA)\n_VALIDATOR = Draft7Validator({{upper}}_SCHEMA)",
)


def _schema_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_SCHEMA: dict[str, Any] = {{',
        f'"$id": "https://schemas.example.com/{f["kebab"]}.json",',
        f'"title": "{f["title"]}",',
        '"additionalProperties": False,',
        "_VALIDATOR.iter_errors(payload)",
        f"def {f['snake']}_errors(payload: Any) -> list[str]:",
        f"def validate_{f['snake']}_file(path: Path) -> dict[int, list[str]]:",
    ]


# ==========================================================================
# 3. parse an XML export with ElementTree (+ namespaces)
# ==========================================================================

_XML_IN = '''
"""Parse a {{words}} XML export with xml.etree.ElementTree into dataclasses: a <{{snake_plural}}> root holds
<{{snake}} id="..."> elements with <name>, <amount> and an optional <note>; bad elements are skipped and logged."""
from __future__ import annotations

import logging
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class {{pascal}}:
    """One {{words}} read from the XML file."""

    id: str
    name: str
    amount: Decimal
    note: str | None = None


def _{{snake}}_from(element: ET.Element) -> {{pascal}}:
    name = (element.findtext("name") or "").strip()
    if not element.get("id") or not name:
        raise ValueError("an id attribute and a <name> are required")
    return {{pascal}}(
        id=element.get("id", ""),
        name=name,
        amount=Decimal((element.findtext("amount") or "0").strip()),
        note=element.findtext("note"),
    )


def parse_{{snake_plural}}(path: Path) -> list[{{pascal}}]:
    """Every valid <{{snake}}> of the file, in document order."""
    root = ET.parse(path).getroot()
    if root.tag != "{{snake_plural}}":
        raise ValueError(f"{path}: the root is <{root.tag}>, not <{{snake_plural}}>")
    out = []
    for element in root.iter("{{snake}}"):
        try:
            out.append(_{{snake}}_from(element))
        except (ValueError, InvalidOperation) as exc:
            log.warning("skipping {{words}} %s: %s", element.get("id", "?"), exc)
    return out


if __name__ == "__main__":
    for item in parse_{{snake_plural}}(Path(sys.argv[1] if len(sys.argv) > 1 else "{{kebab_plural}}.xml")):
        print(item)
'''

_XML_IN_NS = _patch(
    _XML_IN,
    "Parse a {{words}} XML export with xml.etree.ElementTree into dataclasses: a <{{snake_plural}}> root holds",
    "Parse a namespaced {{words}} XML export (urn:example:{{kebab_plural}}) with xml.etree.ElementTree into\n"
    "dataclasses: a <{{snake_plural}}> root holds",
    "log = logging.getLogger(__name__)\n",
    'log = logging.getLogger(__name__)\nNS = {"ns": "urn:example:{{kebab_plural}}"}\n',
    'element.findtext("name")',
    'element.findtext("ns:name", namespaces=NS)',
    'element.findtext("amount")',
    'element.findtext("ns:amount", namespaces=NS)',
    'element.findtext("note")',
    'element.findtext("ns:note", namespaces=NS)',
    'if root.tag != "{{snake_plural}}":',
    'if root.tag != ET.QName(NS["ns"], "{{snake_plural}}").text:',
    'for element in root.iter("{{snake}}"):',
    'for element in root.iterfind("ns:{{snake}}", NS):',
)


def _xml_in_common(f: Forms) -> list[str]:
    return [
        "import xml.etree.ElementTree as ET",
        "root = ET.parse(path).getroot()",
        f"class {f['pascal']}:",
        f"def _{f['snake']}_from(element: ET.Element) -> {f['pascal']}:",
        f"def parse_{f['snake_plural']}(path: Path) -> list[{f['pascal']}]:",
        f"out.append(_{f['snake']}_from(element))",
        f"skipping {f['words']} %s",
    ]


# ==========================================================================
# 4. write an XML export with ElementTree (the distractor of 3)
# ==========================================================================

_XML_OUT = '''
"""Export {{words_plural}} to an XML file with xml.etree.ElementTree: a <{{snake_plural}}> root, one
<{{snake}} id="..."> element per record with <name>, <amount> and an optional <note>; UTF-8, indented."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True)
class {{pascal}}:
    """One {{words}} to export."""

    id: str
    name: str
    amount: Decimal
    note: str | None = None


def {{snake}}_element(item: {{pascal}}) -> ET.Element:
    """The <{{snake}}> element of one {{words}}; ElementTree escapes the text."""
    element = ET.Element("{{snake}}", id=item.id)
    ET.SubElement(element, "name").text = item.name
    ET.SubElement(element, "amount").text = f"{item.amount:.2f}"
    if item.note:
        ET.SubElement(element, "note").text = item.note
    return element


def export_{{snake_plural}}(items: list[{{pascal}}], path: Path) -> int:
    """Write every {{words}} to `path` (the root carries the export time); returns how many were written."""
    exported_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    root = ET.Element("{{snake_plural}}", exported_at=exported_at)
    for item in sorted(items, key=lambda i: i.id):
        root.append({{snake}}_element(item))
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return len(items)


if __name__ == "__main__":
    sample = [{{pascal}}(id="1", name="First {{words}}", amount=Decimal("9.50"))]
    print(export_{{snake_plural}}(sample, Path("export/{{kebab_plural}}.xml")), "{{words_plural}} exported")
'''


def _xml_out_common(f: Forms) -> list[str]:
    return [
        "import xml.etree.ElementTree as ET",
        f'element = ET.Element("{f["snake"]}", id=item.id)',
        f'root = ET.Element("{f["snake_plural"]}", exported_at=exported_at)',
        f"def {f['snake']}_element(item: {f['pascal']}) -> ET.Element:",
        f"def export_{f['snake_plural']}(items: list[{f['pascal']}], path: Path) -> int:",
        'ET.SubElement(element, "name").text = item.name',
        'ET.indent(tree, space="  ")',
        'tree.write(path, encoding="utf-8", xml_declaration=True)',
    ]


# ==========================================================================
# 5. configparser INI settings (+ environment overrides)
# ==========================================================================

_INI = '''
"""Settings of the {{words}} service from an INI file with configparser: section [{{snake}}] with typed values
and defaults, [{{snake}}.retries] for the retry policy; a missing file means the defaults."""
from __future__ import annotations

import configparser
from dataclasses import dataclass
from pathlib import Path

{{upper}}_CONFIG_PATH = Path("config/{{kebab}}.ini")
DEFAULTS = {"host": "localhost", "port": "8080", "timeout_seconds": "10.0", "enabled": "yes", "max_attempts": "3"}


@dataclass(frozen=True)
class {{pascal}}Settings:
    """Typed settings of the {{words}} service."""

    host: str
    port: int
    timeout_seconds: float
    enabled: bool
    max_attempts: int
    tags: tuple[str, ...]


def _parser(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(defaults=DEFAULTS, interpolation=None)
    parser.read(path, encoding="utf-8")  # a missing file is not an error: the defaults apply
    for section in ("{{snake}}", "{{snake}}.retries"):
        if not parser.has_section(section):
            parser.add_section(section)
    return parser


def load_{{snake}}_settings(path: Path = {{upper}}_CONFIG_PATH) -> {{pascal}}Settings:
    """Read the {{words}} settings; a value that does not convert raises ValueError naming the file."""
    parser = _parser(path)
    main, retries = parser["{{snake}}"], parser["{{snake}}.retries"]
    try:
        return {{pascal}}Settings(
            host=main.get("host", fallback="localhost"),
            port=main.getint("port"),
            timeout_seconds=main.getfloat("timeout_seconds"),
            enabled=main.getboolean("enabled"),
            max_attempts=retries.getint("max_attempts"),
            tags=tuple(t.strip() for t in main.get("tags", fallback="").split(",") if t.strip()),
        )
    except ValueError as exc:
        raise ValueError(f"{path}: bad value in the {{words}} settings: {exc}") from exc


if __name__ == "__main__":
    print(load_{{snake}}_settings())
'''

_INI_ENV = _patch(
    _INI,
    "a missing file means the defaults.",
    "a missing file means the defaults;\n{{upper}}_<OPTION> environment variables win over the file.",
    "import configparser\n",
    "import configparser\nimport os\n",
    "            parser.add_section(section)\n    return parser\n",
    '''            parser.add_section(section)
    for option in ("host", "port", "timeout_seconds", "enabled", "tags", "max_attempts"):
        value = os.environ.get(f"{{upper}}_{option.upper()}")
        if value is not None:
            parser["{{snake}}.retries" if option == "max_attempts" else "{{snake}}"][option] = value
    return parser
''',
)


def _ini_common(f: Forms) -> list[str]:
    return [
        "import configparser",
        f'{f["upper"]}_CONFIG_PATH = Path("config/{f["kebab"]}.ini")',
        "parser = configparser.ConfigParser(defaults=DEFAULTS, interpolation=None)",
        f'for section in ("{f["snake"]}", "{f["snake"]}.retries"):',
        f"class {f['pascal']}Settings:",
        f"def load_{f['snake']}_settings(path: Path = {f['upper']}_CONFIG_PATH) -> {f['pascal']}Settings:",
        'port=main.getint("port"),',
        'enabled=main.getboolean("enabled"),',
    ]


# ==========================================================================
# 6. concurrent.futures thread-pool batch (+ processes)
# ==========================================================================

_POOL = '''
"""Process a batch of {{words_plural}} concurrently with concurrent.futures: a pool of at most 8 threads,
results collected as they complete, failures recorded per id instead of aborting the batch."""
from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)
MAX_{{upper}}_WORKERS = 8


@dataclass
class {{pascal}}BatchResult:
    """What became of each {{words}} of the batch."""

    done: dict[int, dict[str, Any]] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0


def process_{{snake}}({{snake}}_id: int) -> dict[str, Any]:
    """The work for one {{words}} (replace with the real call); it must be safe to run in parallel."""
    if {{snake}}_id < 0:
        raise ValueError("negative id")
    return {"id": {{snake}}_id, "status": "processed"}


def process_{{snake_plural}}(ids: list[int], workers: int = MAX_{{upper}}_WORKERS) -> {{pascal}}BatchResult:
    """Run process_{{snake}} over `ids` in parallel; one failure does not stop the others."""
    result = {{pascal}}BatchResult()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="{{kebab}}") as pool:
        futures = {pool.submit(process_{{snake}}, number): number for number in ids}
        for future in as_completed(futures):
            number = futures[future]
            try:
                result.done[number] = future.result()
            except Exception as exc:  # noqa: BLE001 - recorded per item
                log.warning("{{words}} %s failed: %s", number, exc)
                result.failed[number] = repr(exc)
    result.seconds = time.perf_counter() - started
    return result


if __name__ == "__main__":
    outcome = process_{{snake_plural}}(list(range(-1, 20)))
    print(f"{len(outcome.done)} {{words_plural}} done, {len(outcome.failed)} failed in {outcome.seconds:.2f} s")
'''

_POOL_PROCESSES = _patch(
    _POOL,
    "a pool of at most 8 threads,",
    "a pool of at most 8 processes\n(the work is CPU-bound),",
    "from concurrent.futures import ThreadPoolExecutor, as_completed",
    "from concurrent.futures import ProcessPoolExecutor, as_completed",
    "(replace with the real call); it must be safe to run in parallel.",
    "(replace with the real call); top level, so it pickles to the workers.",
    'with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="{{kebab}}") as pool:',
    "with ProcessPoolExecutor(max_workers=workers) as pool:",
)


def _pool_common(f: Forms) -> list[str]:
    return [
        f"MAX_{f['upper']}_WORKERS = 8",
        f"class {f['pascal']}BatchResult:",
        f"def process_{f['snake']}({f['snake']}_id: int) -> dict[str, Any]:",
        f"def process_{f['snake_plural']}(ids: list[int], workers: int = MAX_{f['upper']}_WORKERS) -> "
        f"{f['pascal']}BatchResult:",
        f"futures = {{pool.submit(process_{f['snake']}, number): number for number in ids}}",
        "for future in as_completed(futures):",
        "result.failed[number] = repr(exc)",
    ]


# ==========================================================================
# 7. graphlib dependency order (+ parallel waves)
# ==========================================================================

_TOPO = '''
"""Order {{words_plural}} so that each comes after the ones it depends on (graphlib.TopologicalSorter); a cycle
is reported with the {{words_plural}} on it, and a dependency that is not declared is an error too."""
from __future__ import annotations

import json
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path


class {{pascal}}OrderError(ValueError):
    """The {{words}} dependencies cannot be ordered."""


def {{snake}}_graph(depends_on: dict[str, list[str]]) -> TopologicalSorter[str]:
    """The sorter of the {{words_plural}}: each name -> the names it needs first."""
    unknown = sorted({need for needs in depends_on.values() for need in needs} - depends_on.keys())
    if unknown:
        raise {{pascal}}OrderError("undeclared {{words_plural}}: " + ", ".join(unknown))
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for name, needs in depends_on.items():
        sorter.add(name, *needs)
    return sorter


def {{snake}}_order(depends_on: dict[str, list[str]]) -> list[str]:
    """Every {{words}} name, each after the ones it depends on."""
    try:
        return list({{snake}}_graph(depends_on).static_order())
    except CycleError as exc:
        raise {{pascal}}OrderError("{{words}} cycle: " + " -> ".join(exc.args[1])) from exc


def load_{{snake}}_dependencies(path: Path) -> dict[str, list[str]]:
    """Read a JSON object mapping each {{words}} name to the names it depends on."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(name): [str(n) for n in needs] for name, needs in data.items()}


if __name__ == "__main__":
    graph = load_{{snake}}_dependencies(Path(sys.argv[1] if len(sys.argv) > 1 else "{{kebab_plural}}.json"))
    for position, name in enumerate({{snake}}_order(graph), 1):
        print(f"{position:>3}. {name}")
'''

_TOPO_WAVES = _patch(
    _TOPO,
    "Order {{words_plural}} so that each comes after the ones it depends on (graphlib.TopologicalSorter); a cycle",
    "Group {{words_plural}} in waves that can run in parallel, each wave needing only earlier ones\n"
    "(graphlib.TopologicalSorter prepare / get_ready / done); a cycle",
    '''def {{snake}}_order(depends_on: dict[str, list[str]]) -> list[str]:
    """Every {{words}} name, each after the ones it depends on."""
    try:
        return list({{snake}}_graph(depends_on).static_order())
    except CycleError as exc:
        raise {{pascal}}OrderError("{{words}} cycle: " + " -> ".join(exc.args[1])) from exc
''',
    '''def {{snake}}_waves(depends_on: dict[str, list[str]]) -> list[list[str]]:
    """The {{words}} names in waves: the members of a wave only need earlier waves, so they can run together."""
    sorter = {{snake}}_graph(depends_on)
    try:
        sorter.prepare()
    except CycleError as exc:
        raise {{pascal}}OrderError("{{words}} cycle: " + " -> ".join(exc.args[1])) from exc
    waves = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        waves.append(ready)
        sorter.done(*ready)
    return waves
''',
    '''    for position, name in enumerate({{snake}}_order(graph), 1):
        print(f"{position:>3}. {name}")''',
    '''    for number, wave in enumerate({{snake}}_waves(graph), 1):
        print(f"wave {number}: {', '.join(wave)}")''',
)


def _topo_common(f: Forms) -> list[str]:
    return [
        "from graphlib import CycleError, TopologicalSorter",
        f"class {f['pascal']}OrderError(ValueError):",
        f"def {f['snake']}_graph(depends_on: dict[str, list[str]]) -> TopologicalSorter[str]:",
        f"def load_{f['snake']}_dependencies(path: Path) -> dict[str, list[str]]:",
        "sorter.add(name, *needs)",
        f'"undeclared {f["words_plural"]}: "',
        f'"{f["words"]} cycle: " + " -> ".join(exc.args[1])',
    ]


# ==========================================================================
# 8. difflib unified-diff change report (+ HTML side by side)
# ==========================================================================

_DIFF = '''
"""Change report between two versions of a {{words}} with difflib: a unified diff per text field (3 lines of
context) with the number of lines added and removed, written to reports/{{kebab_plural}}/<id>.diff."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

{{upper}}_REPORT_DIR = Path("reports/{{kebab_plural}}")


@dataclass(frozen=True)
class {{pascal}}Change:
    """How one text field of a {{words}} changed."""

    field: str
    added: int
    removed: int
    diff: str


def diff_{{snake}}_field(field: str, old: str, new: str, {{snake}}_id: str) -> {{pascal}}Change:
    """The unified diff of one field between the old and the new {{words}}."""
    lines = list(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile="/".join(({{snake}}_id, field, "old")),
            tofile="/".join(({{snake}}_id, field, "new")),
            n=3,
        )
    )
    added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in lines if line.startswith("-") and not line.startswith("---"))
    return {{pascal}}Change(field, added, removed, "".join(lines))


def write_{{snake}}_report(old: dict[str, str], new: dict[str, str], {{snake}}_id: str) -> Path | None:
    """Diff every text field of the two versions and write the report; None when nothing changed."""
    changes = [
        diff_{{snake}}_field(name, old.get(name, ""), new.get(name, ""), {{snake}}_id)
        for name in sorted(old.keys() | new.keys())
    ]
    changes = [change for change in changes if change.diff]
    if not changes:
        return None
    {{upper}}_REPORT_DIR.mkdir(parents=True, exist_ok=True)
    target = {{upper}}_REPORT_DIR / ({{snake}}_id + ".diff")
    summary = "".join(f"# {c.field}: +{c.added} -{c.removed}\\n" for c in changes)
    target.write_text(summary + "".join(c.diff for c in changes), encoding="utf-8")
    return target
'''

_DIFF_HTML = _patch(
    _DIFF,
    "a unified diff per text field (3 lines of\ncontext) with the number of lines added and removed, written to "
    "reports/{{kebab_plural}}/<id>.diff.",
    "a side-by-side HTML table per text field\n(difflib.HtmlDiff, 3 lines of context) headed by the lines added and "
    "removed, written to\nreports/{{kebab_plural}}/<id>.html.",
    "import difflib\n",
    "import difflib\nimport html\n",
    '''    target = {{upper}}_REPORT_DIR / ({{snake}}_id + ".diff")
    summary = "".join(f"# {c.field}: +{c.added} -{c.removed}\\n" for c in changes)
    target.write_text(summary + "".join(c.diff for c in changes), encoding="utf-8")
''',
    '''    target = {{upper}}_REPORT_DIR / ({{snake}}_id + ".html")
    side_by_side = difflib.HtmlDiff(wrapcolumn=80)
    tables = [
        f"<h2>{html.escape(c.field)}: +{c.added} -{c.removed}</h2>"
        + side_by_side.make_table(
            old.get(c.field, "").splitlines(), new.get(c.field, "").splitlines(), "old", "new", context=True, numlines=3
        )
        for c in changes
    ]
    title = f"<title>{{title}} {html.escape({{snake}}_id)}</title>"
    target.write_text(f"<!doctype html><meta charset=utf-8>{title}" + "".join(tables), encoding="utf-8")
''',
)


def _diff_common(f: Forms) -> list[str]:
    return [
        "import difflib",
        f'{f["upper"]}_REPORT_DIR = Path("reports/{f["kebab_plural"]}")',
        f"class {f['pascal']}Change:",
        f"def diff_{f['snake']}_field(field: str, old: str, new: str, {f['snake']}_id: str) -> {f['pascal']}Change:",
        f"def write_{f['snake']}_report(old: dict[str, str], new: dict[str, str], {f['snake']}_id: str) -> "
        "Path | None:",
        "difflib.unified_diff(",
    ]


# ==========================================================================
# 9. difflib "did you mean" suggestions (the distractor of 8)
# ==========================================================================

_CLOSE = '''
"""'Did you mean ...?' for mistyped {{words}} names with difflib.get_close_matches: case-insensitive, at most 3
suggestions above a 0.6 similarity cutoff, an exact match first."""
from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable


class {{pascal}}Names:
    """The known {{words}} names, with lookups that tolerate typos."""

    def __init__(self, names: Iterable[str]) -> None:
        self.by_key = {name.casefold(): name for name in names}

    def lookup(self, typed: str) -> str | None:
        """The known {{words}} name equal to `typed` ignoring case, else None."""
        return self.by_key.get(typed.strip().casefold())

    def suggest(self, typed: str, limit: int = 3, cutoff: float = 0.6) -> list[str]:
        """Up to `limit` known {{words}} names closest to `typed`, best first."""
        keys = difflib.get_close_matches(typed.strip().casefold(), list(self.by_key), n=limit, cutoff=cutoff)
        return [self.by_key[key] for key in keys]

    def resolve(self, typed: str) -> str:
        """The {{words}} name meant by `typed`; an unknown one raises KeyError saying what it could be."""
        exact = self.lookup(typed)
        if exact is not None:
            return exact
        hints = self.suggest(typed)
        hint = (" Did you mean " + " or ".join(map(repr, hints)) + "?") if hints else ""
        raise KeyError(f"unknown {{words}} {typed!r}.{hint}")


def load_{{snake}}_names(path: str) -> {{pascal}}Names:
    """One {{words}} name a line; blank lines and # comments are skipped."""
    with open(path, encoding="utf-8") as handle:
        lines = [line.strip() for line in handle]
    return {{pascal}}Names(line for line in lines if line and not line.startswith("#"))


if __name__ == "__main__":
    known = load_{{snake}}_names("{{snake_plural}}.txt")
    for typed in sys.argv[1:]:
        try:
            print(known.resolve(typed))
        except KeyError as exc:
            print(exc.args[0])
'''


def _close_common(f: Forms) -> list[str]:
    return [
        "import difflib",
        f"class {f['pascal']}Names:",
        "keys = difflib.get_close_matches(typed.strip().casefold(), list(self.by_key), n=limit, cutoff=cutoff)",
        f"def load_{f['snake']}_names(path: str) -> {f['pascal']}Names:",
        f'raise KeyError(f"unknown {f["words"]} {{typed!r}}.{{hint}}")',
        f'known = load_{f["snake"]}_names("{f["snake_plural"]}.txt")',
    ]


# ==========================================================================
# 10. prometheus_client metrics (+ Pushgateway)
# ==========================================================================

_PROM = '''
"""Prometheus metrics of {{words}} processing with prometheus_client: a counter by outcome, a latency histogram
and an in-progress gauge, served on :9100/metrics for the scraper."""
from __future__ import annotations

import random
import time

from prometheus_client import Counter, Gauge, Histogram, start_http_server

{{upper_plural}}_PROCESSED = Counter(
    "{{snake_plural}}_processed_total", "{{sentence_plural}} processed, by outcome", ["outcome"]
)
{{upper}}_SECONDS = Histogram(
    "{{snake}}_processing_seconds",
    "Time spent processing one {{words}}",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
{{upper_plural}}_IN_PROGRESS = Gauge("{{snake_plural}}_in_progress", "{{sentence_plural}} being processed now")


def handle_{{snake}}(payload: dict[str, object]) -> None:
    """The real work for one {{words}} (a stand-in: a short sleep, one in twenty fails)."""
    time.sleep(random.uniform(0.01, 0.2))
    if random.random() < 0.05:
        raise RuntimeError("{{words}} rejected")


def process_{{snake}}(payload: dict[str, object]) -> bool:
    """Handle one {{words}} and record its metrics; True when it succeeded."""
    with {{upper_plural}}_IN_PROGRESS.track_inprogress(), {{upper}}_SECONDS.time():
        try:
            handle_{{snake}}(payload)
        except Exception:  # noqa: BLE001 - counted, the loop goes on
            {{upper_plural}}_PROCESSED.labels(outcome="error").inc()
            return False
    {{upper_plural}}_PROCESSED.labels(outcome="ok").inc()
    return True


def serve_{{snake}}_metrics(port: int = 9100) -> None:
    """Expose /metrics on `port` from a background thread."""
    start_http_server(port)


if __name__ == "__main__":
    serve_{{snake}}_metrics()
    while True:
        process_{{snake}}({"id": random.randint(1, 1000)})
'''

_PROM_PUSH = _patch(
    _PROM,
    "and an in-progress gauge, served on :9100/metrics for the scraper.",
    "and an in-progress gauge on their own registry, pushed to the Pushgateway when the batch ends (a short job\n"
    "cannot be scraped).",
    "import random\nimport time\n",
    "import os\nimport random\nimport time\n",
    "from prometheus_client import Counter, Gauge, Histogram, start_http_server\n",
    "from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, push_to_gateway\n\n"
    "REGISTRY = CollectorRegistry()\n",
    '"{{sentence_plural}} processed, by outcome", ["outcome"]\n',
    '"{{sentence_plural}} processed, by outcome", ["outcome"], registry=REGISTRY\n',
    "buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),\n",
    "buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),\n    registry=REGISTRY,\n",
    '"{{sentence_plural}} being processed now")',
    '"{{sentence_plural}} being processed now", registry=REGISTRY)',
    '''def serve_{{snake}}_metrics(port: int = 9100) -> None:
    """Expose /metrics on `port` from a background thread."""
    start_http_server(port)


if __name__ == "__main__":
    serve_{{snake}}_metrics()
    while True:
        process_{{snake}}({"id": random.randint(1, 1000)})
''',
    '''def push_{{snake}}_metrics() -> None:
    """Push this run's metrics to the Pushgateway at PUSHGATEWAY_URL (default localhost:9091)."""
    gateway = os.environ.get("PUSHGATEWAY_URL", "localhost:9091")
    push_to_gateway(gateway, job="{{snake}}_batch", registry=REGISTRY)


if __name__ == "__main__":
    for number in range(1, 101):
        process_{{snake}}({"id": number})
    push_{{snake}}_metrics()
''',
)


def _prom_common(f: Forms) -> list[str]:
    return [
        "from prometheus_client import ",
        f'"{f["snake_plural"]}_processed_total", "{f["sentence_plural"]} processed, by outcome", ["outcome"]',
        f'"{f["snake"]}_processing_seconds",',
        f'{f["upper_plural"]}_IN_PROGRESS = Gauge("{f["snake_plural"]}_in_progress", ',
        f"with {f['upper_plural']}_IN_PROGRESS.track_inprogress(), {f['upper']}_SECONDS.time():",
        f'{f["upper_plural"]}_PROCESSED.labels(outcome="error").inc()',
        f"def process_{f['snake']}(payload: dict[str, object]) -> bool:",
    ]


# ==========================================================================
# 11. Fernet field encryption (+ key rotation)
# ==========================================================================

_FERNET = '''
"""Encryption at rest of the sensitive fields of {{words}} records with Fernet (cryptography): the key comes from
the {{upper}}_FERNET_KEY environment variable, only the listed fields are encrypted, tampering is detected."""
from __future__ import annotations

import os
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

{{upper}}_ENCRYPTED_FIELDS = ("national_id", "iban", "notes")


class {{pascal}}DecryptionError(Exception):
    """A {{words}} field was encrypted with another key or was altered."""


def _fernet() -> Fernet:
    key = os.environ.get("{{upper}}_FERNET_KEY")
    if not key:
        raise RuntimeError("{{upper}}_FERNET_KEY is not set (make one with Fernet.generate_key())")
    return Fernet(key.encode("ascii"))


def encrypt_{{snake}}(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of the {{words}} with each sensitive field replaced by its Fernet token (text)."""
    fernet = _fernet()
    out = dict(record)
    for name in {{upper}}_ENCRYPTED_FIELDS:
        if out.get(name) is not None:
            out[name] = fernet.encrypt(str(out[name]).encode("utf-8")).decode("ascii")
    return out


def decrypt_{{snake}}(stored: dict[str, Any]) -> dict[str, Any]:
    """The {{words}} with its sensitive fields decrypted; a bad token raises {{pascal}}DecryptionError."""
    fernet = _fernet()
    out = dict(stored)
    for name in {{upper}}_ENCRYPTED_FIELDS:
        if out.get(name) is not None:
            try:
                out[name] = fernet.decrypt(str(out[name]).encode("ascii")).decode("utf-8")
            except InvalidToken as exc:
                raise {{pascal}}DecryptionError(f"{{words}} field {name!r} cannot be decrypted") from exc
    return out


if __name__ == "__main__":
    os.environ.setdefault("{{upper}}_FERNET_KEY", Fernet.generate_key().decode("ascii"))
    sealed = encrypt_{{snake}}({"id": 1, "iban": "DE89 3704 0044 0532 0130 00", "notes": "call after 5 pm"})
    print(sealed)
    print(decrypt_{{snake}}(sealed))
'''

_FERNET_ROTATION = _patch(
    _FERNET,
    "the key comes from\nthe {{upper}}_FERNET_KEY environment variable, only the listed fields are encrypted, "
    "tampering is detected.",
    "the keys come from\n{{upper}}_FERNET_KEYS (comma-separated, newest first): new tokens use the newest, any key "
    "decrypts, and\nrotate_{{snake}} re-encrypts old records; only the listed fields are encrypted.",
    "from cryptography.fernet import Fernet, InvalidToken",
    "from cryptography.fernet import Fernet, InvalidToken, MultiFernet",
    '''def _fernet() -> Fernet:
    key = os.environ.get("{{upper}}_FERNET_KEY")
    if not key:
        raise RuntimeError("{{upper}}_FERNET_KEY is not set (make one with Fernet.generate_key())")
    return Fernet(key.encode("ascii"))
''',
    '''def _fernet() -> MultiFernet:
    keys = [k.strip() for k in os.environ.get("{{upper}}_FERNET_KEYS", "").split(",") if k.strip()]
    if not keys:
        raise RuntimeError("{{upper}}_FERNET_KEYS is not set (newest key first, comma-separated)")
    return MultiFernet([Fernet(k.encode("ascii")) for k in keys])
''',
    '''

if __name__ == "__main__":
    os.environ.setdefault("{{upper}}_FERNET_KEY", Fernet.generate_key().decode("ascii"))''',
    '''

def rotate_{{snake}}(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored {{words}} with its encrypted fields re-encrypted under the newest key."""
    fernet = _fernet()
    out = dict(stored)
    for name in {{upper}}_ENCRYPTED_FIELDS:
        if out.get(name) is not None:
            out[name] = fernet.rotate(str(out[name]).encode("ascii")).decode("ascii")
    return out


if __name__ == "__main__":
    os.environ.setdefault("{{upper}}_FERNET_KEYS", Fernet.generate_key().decode("ascii"))''',
)


def _fernet_common(f: Forms) -> list[str]:
    return [
        "from cryptography.fernet import Fernet, InvalidToken",
        f'{f["upper"]}_ENCRYPTED_FIELDS = ("national_id", "iban", "notes")',
        f"class {f['pascal']}DecryptionError(Exception):",
        f"def encrypt_{f['snake']}(record: dict[str, Any]) -> dict[str, Any]:",
        f"def decrypt_{f['snake']}(stored: dict[str, Any]) -> dict[str, Any]:",
        'out[name] = fernet.encrypt(str(out[name]).encode("utf-8")).decode("ascii")',
        "except InvalidToken as exc:",
    ]


# ==========================================================================
# 12. struct fixed-size binary records (+ CRC32 per record)
# ==========================================================================

_STRUCT = '''
"""Fixed-size binary records of {{words_plural}} with struct: little-endian, 24 bytes each (id uint32, timestamp
float64, value float64, flags uint16, 2 bytes of padding), appended to a .bin file and read back with iter_unpack."""
from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass
from pathlib import Path

{{upper}}_RECORD = struct.Struct("<IddH2x")


@dataclass(frozen=True)
class {{pascal}}:
    """One {{words}} as it is stored on disk."""

    id: int
    timestamp: float
    value: float
    flags: int = 0


def pack_{{snake}}(item: {{pascal}}) -> bytes:
    """The bytes of one {{words}} record."""
    return {{upper}}_RECORD.pack(*astuple(item))


def write_{{snake_plural}}(path: Path, items: Iterable[{{pascal}}]) -> int:
    """Append {{words_plural}} to a .bin file; returns how many were written."""
    count = 0
    with path.open("ab") as out:
        for item in items:
            out.write(pack_{{snake}}(item))
            count += 1
    return count


def read_{{snake_plural}}(path: Path) -> Iterator[{{pascal}}]:
    """Every {{words}} of the file, in order; a truncated last record is an error."""
    data = path.read_bytes()
    if len(data) % {{upper}}_RECORD.size:
        raise ValueError(f"{path}: {len(data)} bytes is not a whole number of {{words}} records")
    for fields in {{upper}}_RECORD.iter_unpack(data):
        yield {{pascal}}(*fields)


if __name__ == "__main__":
    target = Path("{{snake_plural}}.bin")
    write_{{snake_plural}}(target, [{{pascal}}(1, 1_700_000_000.0, 21.5), {{pascal}}(2, 1_700_000_060.0, 21.7, 1)])
    print(list(read_{{snake_plural}}(target)))
'''

_STRUCT_CRC = _patch(
    _STRUCT,
    "2 bytes of padding), appended to a .bin file and read back with iter_unpack.",
    "2 bytes of padding) followed by the CRC32 of those bytes,\nappended to a .bin file; a record whose CRC does not "
    "match is refused on read.",
    "import struct\n",
    "import struct\nimport zlib\n",
    '{{upper}}_RECORD = struct.Struct("<IddH2x")\n',
    '{{upper}}_RECORD = struct.Struct("<IddH2x")\nCRC = struct.Struct("<I")\n',
    "    return {{upper}}_RECORD.pack(*astuple(item))\n",
    "    body = {{upper}}_RECORD.pack(*astuple(item))\n    return body + CRC.pack(zlib.crc32(body))\n",
    '''    if len(data) % {{upper}}_RECORD.size:
        raise ValueError(f"{path}: {len(data)} bytes is not a whole number of {{words}} records")
    for fields in {{upper}}_RECORD.iter_unpack(data):
        yield {{pascal}}(*fields)
''',
    '''    step = {{upper}}_RECORD.size + CRC.size
    if len(data) % step:
        raise ValueError(f"{path}: {len(data)} bytes is not a whole number of {{words}} records")
    for offset in range(0, len(data), step):
        body = data[offset : offset + {{upper}}_RECORD.size]
        (crc,) = CRC.unpack_from(data, offset + {{upper}}_RECORD.size)
        if zlib.crc32(body) != crc:
            raise ValueError(f"{path}: the {{words}} record at byte {offset} fails its CRC32 check")
        yield {{pascal}}(*{{upper}}_RECORD.unpack(body))
''',
)


def _struct_common(f: Forms) -> list[str]:
    return [
        "import struct",
        f'{f["upper"]}_RECORD = struct.Struct("<IddH2x")',
        f"class {f['pascal']}:",
        f"def pack_{f['snake']}(item: {f['pascal']}) -> bytes:",
        f"def write_{f['snake_plural']}(path: Path, items: Iterable[{f['pascal']}]) -> int:",
        f"def read_{f['snake_plural']}(path: Path) -> Iterator[{f['pascal']}]:",
        f"whole number of {f['words']} records",
    ]


# ==========================================================================
# 13. pypdf merge (+ encrypted output)
# ==========================================================================

_PDF = '''
"""Merge the {{words}} PDFs of a folder into one file with pypdf: files in name order, one outline entry
(bookmark) per source file, unreadable or encrypted inputs skipped and logged."""
from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

log = logging.getLogger(__name__)

{{upper}}_PDF_DIR = Path("documents/{{kebab_plural}}")


def merge_{{snake}}_pdfs(source_dir: Path = {{upper}}_PDF_DIR, target: Path | None = None) -> Path:
    """Write every {{words}} PDF of `source_dir` into one PDF (by default <dir>/all-{{kebab_plural}}.pdf)."""
    target = target or source_dir / "all-{{kebab_plural}}.pdf"
    writer = PdfWriter()
    for source in sorted(p for p in source_dir.glob("*.pdf") if p != target):
        try:
            reader = PdfReader(source)
            if reader.is_encrypted:
                raise PdfReadError("encrypted")
            pages = list(reader.pages)
        except (PdfReadError, OSError) as exc:
            log.warning("skipping {{words}} PDF %s: %s", source.name, exc)
            continue
        start = len(writer.pages)
        for page in pages:
            writer.add_page(page)
        writer.add_outline_item(title=source.stem, page_number=start)
    writer.add_metadata({"/Title": "{{title_plural}}"})
    with target.open("wb") as out:
        writer.write(out)
    return target


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    merged = merge_{{snake}}_pdfs()
    print(f"{{words_plural}} merged into {merged}")
'''

_PDF_ENCRYPTED = _patch(
    _PDF,
    "unreadable or encrypted inputs skipped and logged.",
    "unreadable or encrypted inputs skipped and logged; the result\nis encrypted with AES-256 under the password in "
    "{{upper}}_PDF_PASSWORD.",
    "import logging\n",
    "import logging\nimport os\n",
    '''    writer.add_metadata({"/Title": "{{title_plural}}"})
''',
    '''    writer.add_metadata({"/Title": "{{title_plural}}"})
    password = os.environ.get("{{upper}}_PDF_PASSWORD")
    if not password:
        raise RuntimeError("set {{upper}}_PDF_PASSWORD to protect the merged {{words}} PDF")
    writer.encrypt(user_password=password, algorithm="AES-256")
''',
)


def _pdf_common(f: Forms) -> list[str]:
    return [
        "from pypdf import PdfReader, PdfWriter",
        f'{f["upper"]}_PDF_DIR = Path("documents/{f["kebab_plural"]}")',
        f"def merge_{f['snake']}_pdfs(source_dir: Path = {f['upper']}_PDF_DIR, target: Path | None = None) -> Path:",
        f'target = target or source_dir / "all-{f["kebab_plural"]}.pdf"',
        "writer.add_outline_item(title=source.stem, page_number=start)",
        f'writer.add_metadata({{"/Title": "{f["title_plural"]}"}})',
        f"skipping {f['words']} PDF %s",
    ]


# ==========================================================================
# FAMILIES
# ==========================================================================

FAMILIES: list[Family] = [
    Family(
        name="tenacity-retry-fetch",
        stack=("python", "tenacity"),
        tasks=(
            "tenacity retry around fetching a {words} from the upstream API",
            "Hi! Our {words} endpoint flakes out now and then. Could you wrap the GET /{kebab_plural}/<id> call in "
            "tenacity so it retries with exponential backoff and jitter, but gives up right away on a 4xx? Thanks "
            "a lot!",
            "Retry wrapper for {pascal} fetches:\n- tenacity @retry\n- at most 5 attempts\n- random exponential wait, "
            "capped at 30 s\n- retry timeouts, connection errors and 5xx only\n- log before each sleep",
            "fetch_{snake}() keeps failing with timeouts, add retries (tenacity, backoff)",
            "With exponential backoff and a cap of five attempts, retry the download of one {words} by id; use the "
            "tenacity library.",
            "Make loading {words_plural} from {upper}_API_URL resilient: tenacity retries on transient errors only",
        ),
        code=_code("clients/{{snake}}_fetch.py", _RETRY),
        must=lambda f: _retry_common(f) + [
            f")\ndef fetch_{f['snake']}({f['snake']}_id: int) -> dict[str, Any]:",
            f"return [fetch_{f['snake']}(number) for number in ids]",
        ],
        must_not=("asyncio", "async def"),
        entities=("exchange rate", "delivery attempt", "shipping quote", "weather station reading", "courier",
                  "stock price"),
    ),
    Family(
        name="jsonschema-payload-validation",
        stack=("python", "jsonschema"),
        tasks=(
            "JSON Schema validation of {words} payloads with jsonschema",
            "Hey, could you write the JSON Schema for a {words} (id, name, status, tags, amount) and a function that "
            "lists every validation error with its JSON path? We use the jsonschema package, draft 2020-12. Thanks!",
            "Validate {pascal} JSON:\n- draft 2020-12 schema, additionalProperties false\n- report all errors, not "
            "just the first\n- each error as 'path: message'\n- a CLI that validates a file of {words_plural}",
            "{snake}_errors(payload) -> list of messages, using jsonschema",
            "Incoming {words_plural} have to be checked against a schema before we store them; please use "
            "jsonschema and collect every error.",
            "jsonschema Draft202012Validator for {kebab_plural}.json files",
        ),
        code=_code("schemas/{{snake}}_schema.py", _SCHEMA),
        must=lambda f: _schema_common(f) + [
            "from jsonschema import Draft202012Validator",
            '"$schema": "https://json-schema.org/draft/2020-12/schema",',
        ],
        must_not=("Draft7Validator", "draft-07"),
        entities=("form submission", "validation rule", "line item", "sales order", "grading criterion",
                  "survey response"),
    ),
    Family(
        name="xml-etree-parse",
        stack=("python", "xml"),
        tasks=(
            "Parse a {words} XML file with ElementTree",
            "Hi there! We get a nightly XML dump of {words_plural} (a <{snake_plural}> root with <{snake} id=...> "
            "children holding name, amount and note). Could you read it into dataclasses with xml.etree, skipping "
            "broken elements? Thanks!",
            "{sentence} XML import:\n- xml.etree.ElementTree\n- root <{snake_plural}>, one <{snake}> per record\n- "
            "frozen dataclass {pascal} with a Decimal amount\n- skip and log invalid elements",
            "read {kebab_plural}.xml into a list of {pascal} objects (stdlib xml)",
            "From an XML export, load every {words} as a dataclass; use ElementTree from the standard library.",
        ),
        code=_code("importers/{{snake}}_xml.py", _XML_IN),
        must=lambda f: _xml_in_common(f) + [
            f'for element in root.iter("{f["snake"]}"):',
            'element.findtext("name")',
            f'if root.tag != "{f["snake_plural"]}":',
        ],
        must_not=("namespaces=", "iterfind", "ET.SubElement", "tree.write("),
        entities=("feed item", "price list", "book", "catalog entry", "bus stop", "tax rate"),
    ),
    Family(
        name="xml-etree-export",
        stack=("python", "xml"),
        tasks=(
            "Write {words_plural} to an XML file with ElementTree",
            "Hi there! Could you write the export side: take our {words_plural} and write them as XML (a "
            "<{snake_plural}> root, one <{snake} id=...> per record with name, amount and note) using xml.etree, "
            "indented, UTF-8? Thanks!",
            "{sentence} XML export:\n- xml.etree.ElementTree, a SubElement per field\n- root <{snake_plural}> with "
            "the export time\n- pretty-printed with ET.indent, with an XML declaration",
            "dump a list of {pascal} objects to {kebab_plural}.xml (stdlib xml)",
            "To an XML file, serialize every {words} dataclass; use ElementTree from the standard library.",
        ),
        code=_code("exporters/{{snake}}_xml.py", _XML_OUT),
        must=_xml_out_common,
        must_not=("ET.parse(", "findtext", "iterfind"),
        entities=("feed item", "price list", "book", "tax rate", "shipping quote", "line item"),
    ),
    Family(
        name="configparser-ini-settings",
        stack=("python", "configparser"),
        tasks=(
            "configparser loader for the {words} service settings",
            "Hello! Could you write a small loader that reads config/{kebab}.ini with configparser into a frozen "
            "dataclass (host, port, timeout, enabled flag, retry attempts, tags), falling back to defaults when the "
            "file is missing? Thanks so much",
            "{title} settings from INI:\n- configparser, sections [{snake}] and [{snake}.retries]\n- getint / "
            "getfloat / getboolean\n- defaults when a key or the file is missing\n- a bad value raises ValueError "
            "naming the file",
            "load_{snake}_settings() from an .ini file",
            "Typed settings for {words_plural}, read from an INI file by the standard library's configparser.",
            "{upper} settings: parse the ini, typed dataclass, defaults",
        ),
        code=_code("config/{{snake}}_settings.py", _INI),
        must=lambda f: _ini_common(f) + ["    return parser\n\n\ndef load_"],
        must_not=("os.environ",),
        entities=("payment gateway", "search index", "mail server", "print queue", "config section",
                  "backup job"),
    ),
    Family(
        name="thread-pool-batch",
        stack=("python", "concurrent.futures"),
        tasks=(
            "Process a batch of {words_plural} in parallel with a thread pool",
            "Hi! I have a list of {words} ids and processing each one is slow (network). Could you run them "
            "concurrently with concurrent.futures, max 8 workers, and keep going when one fails? Thanks!",
            "Parallel {words} batch:\n- ThreadPoolExecutor, at most 8 workers\n- as_completed to collect results\n- "
            "failures recorded per id, not raised\n- total duration measured",
            "process_{snake_plural}(ids) concurrently using concurrent.futures",
            "Concurrently, with a pool of threads, handle every {words} of a batch and collect what failed.",
            "batch-run {pascal} jobs on a ThreadPoolExecutor",
        ),
        code=_code("jobs/{{snake}}_batch.py", _POOL),
        must=lambda f: _pool_common(f) + [
            f'with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="{f["kebab"]}") as pool:',
        ],
        must_not=("ProcessPoolExecutor",),
        entities=("batch job", "work item", "image upload", "soil analysis", "invoice", "survey response"),
    ),
    Family(
        name="graphlib-dependency-order",
        stack=("python", "graphlib"),
        tasks=(
            "Task: dependency ordering\nEntity: {title}\nRequirements:\n- graphlib.TopologicalSorter\n- each "
            "{words} after the ones it depends on\n- report cycles with the {words_plural} on them\n- undeclared "
            "dependencies are an error\nOutput: one module",
            "[planner-agent] Generate a module that orders {words_plural} by their dependencies. Entity: {pascal}. "
            "Input: JSON name -> depends_on list. Use the standard library graphlib; raise on cycles.",
            "Task: topological order of {words_plural}.\nEntity: {snake}.\nRequirements: graphlib, static order, "
            "CycleError turned into a clear error, unknown names rejected.",
            "In which order do the {words_plural} have to run? Compute it from their dependencies with graphlib.",
            "topo sort of {kebab_plural} by depends_on (graphlib)",
        ),
        code=_code("planning/{{snake}}_order.py", _TOPO),
        must=lambda f: _topo_common(f) + [
            f"def {f['snake']}_order(depends_on: dict[str, list[str]]) -> list[str]:",
            f"return list({f['snake']}_graph(depends_on).static_order())",
        ],
        must_not=("get_ready", "prepare()"),
        entities=("build step", "database migration", "package", "course module", "task dependency",
                  "microservice"),
    ),
    Family(
        name="difflib-change-report",
        stack=("python", "difflib"),
        tasks=(
            "difflib change report between two versions of a {words}",
            "Hi! When someone edits a {words} we'd like a diff of what changed in each text field, unified format "
            "with 3 lines of context, saved under reports/{kebab_plural}/. Could you write that with difflib? "
            "Thanks!",
            "{sentence} change report:\n- difflib.unified_diff per text field\n- count of lines added and removed\n"
            "- one .diff file per {words} id\n- nothing written when nothing changed",
            "diff old vs new {pascal} fields, write a .diff report",
            "What changed between the old and the new {words}? Write it as a unified diff per field (difflib).",
        ),
        code=_code("reports/{{snake}}_changes.py", _DIFF),
        must=lambda f: _diff_common(f) + [f'target = {f["upper"]}_REPORT_DIR / ({f["snake"]}_id + ".diff")'],
        must_not=("HtmlDiff", "get_close_matches"),
        entities=("change request", "policy document", "contract clause", "recipe", "release note",
                  "job posting"),
    ),
    Family(
        name="difflib-did-you-mean",
        stack=("python", "difflib"),
        tasks=(
            "difflib 'did you mean' suggestions for mistyped {words} names",
            "Hi! Users keep mistyping {words} names on the command line. Could you write a lookup that, when the "
            "name is unknown, suggests the closest known ones with difflib? Case shouldn't matter. Thanks!",
            "{sentence} name lookup:\n- exact match first, case-insensitive\n- otherwise up to 3 suggestions from "
            "difflib.get_close_matches, cutoff 0.6\n- KeyError with a 'Did you mean' hint",
            "fuzzy-match a typed {snake} name against the known ones (difflib)",
            "Which known {words} did the user mean? Suggest close names with difflib when there's a typo.",
        ),
        code=_code("lookup/{{snake}}_names.py", _CLOSE),
        must=_close_common,
        must_not=("unified_diff", "HtmlDiff"),
        entities=("search term", "city", "product name", "recipe", "job posting", "country code"),
    ),
    Family(
        name="prometheus-metrics",
        stack=("python", "prometheus_client"),
        tasks=(
            "Prometheus metrics for {words} processing",
            "Hey! Could you instrument our {words} worker with prometheus_client: count processed {words_plural} by "
            "outcome, a histogram of how long each takes, a gauge of how many are in flight, and serve /metrics on "
            "port 9100? Thanks",
            "{title} metrics:\n- prometheus_client Counter by outcome (ok/error)\n- Histogram of processing "
            "seconds\n- Gauge of in-progress items\n- start_http_server on 9100",
            "expose {snake} processing metrics for Prometheus scraping",
            "Instrument, with a counter, a histogram and a gauge, the handling of each {pascal}; Prometheus will "
            "scrape it.",
            "{upper_plural}_PROCESSED counter + latency histogram (prometheus_client)",
        ),
        code=_code("metrics/{{snake}}_metrics.py", _PROM),
        must=lambda f: _prom_common(f) + [
            "from prometheus_client import Counter, Gauge, Histogram, start_http_server",
            f"def serve_{f['snake']}_metrics(port: int = 9100) -> None:",
            "start_http_server(port)",
        ],
        must_not=("push_to_gateway", "REGISTRY"),
        entities=("checkout session", "api request", "queue worker", "image upload", "payment", "metric sample"),
    ),
    Family(
        name="fernet-field-encryption",
        stack=("python", "cryptography"),
        tasks=(
            "Encrypt the sensitive fields of {words} records with Fernet",
            "Hi! We store {words_plural} with an IBAN, a national id and free notes, and those fields must be "
            "encrypted at rest. Could you write encrypt/decrypt helpers with cryptography's Fernet, the key from an "
            "env variable? Thanks!",
            "{sentence} field encryption:\n- cryptography.fernet.Fernet\n- key from {upper}_FERNET_KEY\n- only the "
            "listed fields encrypted\n- tampered tokens raise a clear error",
            "encrypt_{snake} / decrypt_{snake} using Fernet",
            "At rest, the personal fields of each {words} must be encrypted; symmetric and authenticated (Fernet).",
        ),
        code=_code("security/{{snake}}_crypto.py", _FERNET),
        must=lambda f: _fernet_common(f) + [
            "def _fernet() -> Fernet:",
            f'key = os.environ.get("{f["upper"]}_FERNET_KEY")',
        ],
        must_not=("MultiFernet", ".rotate("),
        entities=("patient", "medical record", "bank account", "contact person", "secret note", "payroll entry"),
        sensitive=True,
    ),
    Family(
        name="struct-binary-records",
        stack=("python", "struct"),
        tasks=(
            "Task: binary record file\nEntity: {title}\nRequirements:\n- struct.Struct, little-endian, fixed 24-byte "
            "records\n- fields: id uint32, timestamp float64, value float64, flags uint16\n- append and read "
            "back\nOutput: one module",
            "[ingest-agent] Implement fixed-size binary storage for {words_plural}. Entity: {pascal}. Use the struct "
            "module (format <IddH2x); read with iter_unpack; reject truncated files.",
            "Hi! Could you write pack/unpack helpers for our {words} records so we can store them in a compact "
            "binary .bin file? Python's struct module is fine. Thanks!",
            "{snake_plural}.bin: write and read fixed-width records with struct",
            "Task: pack {words_plural} into a binary file.\nEntity: {upper}.\nRequirements: struct, 24 bytes a "
            "record, little-endian.",
        ),
        code=_code("storage/{{snake}}_records.py", _STRUCT),
        must=lambda f: _struct_common(f) + [
            f"for fields in {f['upper']}_RECORD.iter_unpack(data):",
            f"return {f['upper']}_RECORD.pack(*astuple(item))",
        ],
        must_not=("crc32", "zlib"),
        entities=("sensor reading", "mesh vertex", "data point", "record header", "gps fix", "trade tick"),
    ),
    Family(
        name="pypdf-merge",
        stack=("python", "pypdf"),
        tasks=(
            "Merge {words} PDFs into one file with pypdf",
            "Hi! Every {words} arrives as a separate PDF in documents/{kebab_plural}/. Could you write something "
            "with pypdf that merges them all into one file, with a bookmark per original file, skipping broken "
            "ones? Thanks!",
            "{sentence} PDF merge:\n- pypdf PdfWriter, files in name order\n- one outline entry per source file\n"
            "- skip unreadable or encrypted inputs\n- output all-{kebab_plural}.pdf",
            "combine all {pascal} pdfs into a single pdf (pypdf)",
            "Into a single document with bookmarks, concatenate the {words_plural} PDFs; use pypdf.",
        ),
        code=_code("documents/{{snake}}_merge.py", _PDF),
        must=_pdf_common,
        must_not=("writer.encrypt(", "_PDF_PASSWORD"),
        entities=("status report", "packing slip", "certificate", "invoice", "lab result", "time sheet"),
    ),
]


# ==========================================================================
# NEAR MISSES: one requirement added or changed
# ==========================================================================

NEAR_MISSES: list[Family] = [
    Family(
        name="tenacity-retry-fetch-async",
        base="tenacity-retry-fetch",
        stack=("python", "tenacity"),
        tasks=(
            "async tenacity retry around fetching a {words} from the upstream API",
            "Hi! Could you wrap our GET /{kebab_plural}/<id> call in tenacity retries with backoff, but as async "
            "functions so it doesn't block the event loop, and fetch a list of ids concurrently? Thanks!",
            "Async retry wrapper for {pascal} fetches:\n- tenacity @retry on an async def\n- at most 5 attempts, "
            "random exponential wait capped at 30 s\n- asyncio.gather for several ids",
            "async fetch_{snake}() with tenacity retries (asyncio, backoff)",
        ),
        code=_code("clients/{{snake}}_fetch.py", _RETRY_ASYNC),
        must=lambda f: _retry_common(f) + [
            f")\nasync def fetch_{f['snake']}({f['snake']}_id: int) -> dict[str, Any]:",
            "return await asyncio.to_thread(_get_json, ",
            f"return list(await asyncio.gather(*(fetch_{f['snake']}(number) for number in ids)))",
        ],
        entities=("exchange rate", "shipping quote", "courier", "weather station reading"),
    ),
    Family(
        name="jsonschema-payload-validation-draft7",
        base="jsonschema-payload-validation",
        stack=("python", "jsonschema"),
        tasks=(
            "JSON Schema draft-07 validation of {words} payloads with jsonschema",
            "Hey, our partner only speaks JSON Schema draft 7. Could you write the draft-07 schema for a {words} "
            "and a function that lists every error with its JSON path (jsonschema)? Thanks!",
            "Validate {pascal} JSON:\n- a draft-07 schema (Draft7Validator), additionalProperties false\n- report "
            "all errors with their paths",
            "jsonschema Draft7Validator for {kebab_plural}.json files",
        ),
        code=_code("schemas/{{snake}}_schema.py", _SCHEMA_DRAFT7),
        must=lambda f: _schema_common(f) + [
            "from jsonschema import Draft7Validator",
            '"$schema": "http://json-schema.org/draft-07/schema#",',
        ],
        must_not=("Draft202012Validator", "2020-12"),
        entities=("line item", "form submission", "grading criterion", "survey response"),
    ),
    Family(
        name="xml-etree-parse-namespaced",
        base="xml-etree-parse",
        stack=("python", "xml"),
        tasks=(
            "Parse a namespaced {words} XML file with ElementTree",
            "Hi! Our {words} XML feed now declares a default namespace (urn:example:{kebab_plural}); could you "
            "parse it into dataclasses with xml.etree, handling the namespace in every lookup? Thanks!",
            "{sentence} XML import with namespaces:\n- xml.etree.ElementTree, a namespace map for find/findtext\n"
            "- root <{snake_plural}> in urn:example:{kebab_plural}\n- skip and log invalid elements",
            "read namespaced {kebab_plural}.xml into {pascal} objects (ElementTree, ns prefix map)",
        ),
        code=_code("importers/{{snake}}_xml.py", _XML_IN_NS),
        must=lambda f: _xml_in_common(f) + [
            f'NS = {{"ns": "urn:example:{f["kebab_plural"]}"}}',
            f'for element in root.iterfind("ns:{f["snake"]}", NS):',
            'element.findtext("ns:name", namespaces=NS)',
        ],
        must_not=('root.iter("', 'element.findtext("name")'),
        entities=("feed item", "price list", "bus stop", "catalog entry"),
    ),
    Family(
        name="configparser-ini-settings-env",
        base="configparser-ini-settings",
        stack=("python", "configparser"),
        tasks=(
            "configparser loader for the {words} service settings, overridable by environment variables",
            "Hello! Could you write a loader for config/{kebab}.ini (configparser, frozen dataclass, defaults) where "
            "any option can be overridden by an environment variable like {upper}_PORT? Thanks!",
            "{title} settings from INI plus env:\n- configparser, sections [{snake}] and [{snake}.retries]\n- "
            "{upper}_<OPTION> environment variables win over the file\n- typed getters, defaults",
            "load_{snake}_settings() from an .ini file with env var overrides",
        ),
        code=_code("config/{{snake}}_settings.py", _INI_ENV),
        must=lambda f: _ini_common(f) + [
            "import os",
            'value = os.environ.get(f"' + f["upper"] + '_{option.upper()}")',
            f'parser["{f["snake"]}.retries" if option == "max_attempts" else "{f["snake"]}"][option] = value',
        ],
        entities=("payment gateway", "mail server", "search index", "backup job"),
    ),
    Family(
        name="process-pool-batch",
        base="thread-pool-batch",
        stack=("python", "concurrent.futures"),
        tasks=(
            "Process a batch of {words_plural} in parallel with a process pool",
            "Hi! Processing each {words} is CPU-heavy, so threads don't help. Could you run a batch of them with "
            "concurrent.futures on separate processes, and keep going when one fails? Thanks!",
            "Parallel {words} batch on processes:\n- ProcessPoolExecutor instead of threads (CPU-bound)\n- "
            "as_completed to collect results\n- failures recorded per id",
            "batch-run {pascal} jobs on a ProcessPoolExecutor",
        ),
        code=_code("jobs/{{snake}}_batch.py", _POOL_PROCESSES),
        must=lambda f: _pool_common(f) + ["with ProcessPoolExecutor(max_workers=workers) as pool:"],
        must_not=("ThreadPoolExecutor", "thread_name_prefix"),
        entities=("batch job", "soil analysis", "image upload", "invoice"),
    ),
    Family(
        name="graphlib-dependency-waves",
        base="graphlib-dependency-order",
        stack=("python", "graphlib"),
        tasks=(
            "Task: dependency waves\nEntity: {title}\nRequirements:\n- graphlib.TopologicalSorter with prepare / "
            "get_ready / done\n- {words_plural} grouped in waves that can run in parallel\n- report cycles\nOutput: "
            "one module",
            "[planner-agent] Generate a module that groups {words_plural} into parallel batches by their "
            "dependencies (each batch only needs earlier ones). Entity: {pascal}. Use graphlib; raise on cycles.",
            "Which {words_plural} can run at the same time? Group them in waves from their dependencies with "
            "graphlib.",
            "topo sort of {kebab_plural} into parallel levels (graphlib get_ready)",
        ),
        code=_code("planning/{{snake}}_order.py", _TOPO_WAVES),
        must=lambda f: _topo_common(f) + [
            f"def {f['snake']}_waves(depends_on: dict[str, list[str]]) -> list[list[str]]:",
            "ready = sorted(sorter.get_ready())",
            "sorter.done(*ready)",
        ],
        must_not=("static_order",),
        entities=("build step", "microservice", "course module", "task dependency"),
    ),
    Family(
        name="difflib-change-report-html",
        base="difflib-change-report",
        stack=("python", "difflib"),
        tasks=(
            "difflib HTML side-by-side change report between two versions of a {words}",
            "Hi! When someone edits a {words} we'd like a side-by-side HTML page showing what changed in each text "
            "field, saved under reports/{kebab_plural}/. Could you write that with difflib's HtmlDiff? Thanks!",
            "{sentence} change report as HTML:\n- difflib.HtmlDiff tables, one per changed field\n- lines added and "
            "removed in each heading\n- one .html file per {words} id",
            "diff old vs new {pascal} fields, write an HTML side-by-side report",
        ),
        code=_code("reports/{{snake}}_changes.py", _DIFF_HTML),
        must=lambda f: _diff_common(f) + [
            f'target = {f["upper"]}_REPORT_DIR / ({f["snake"]}_id + ".html")',
            "side_by_side = difflib.HtmlDiff(wrapcolumn=80)",
            "side_by_side.make_table(",
        ],
        must_not=('".diff")', "get_close_matches"),
        entities=("policy document", "contract clause", "recipe", "release note"),
    ),
    Family(
        name="prometheus-metrics-pushgateway",
        base="prometheus-metrics",
        stack=("python", "prometheus_client"),
        tasks=(
            "Prometheus metrics for {words} processing, pushed to a Pushgateway",
            "Hey! Our {words} job is a short-lived batch, so Prometheus can't scrape it. Could you instrument it "
            "with prometheus_client (counter by outcome, latency histogram, in-progress gauge) and push the metrics "
            "to the Pushgateway when the batch ends? Thanks",
            "{title} batch metrics:\n- prometheus_client Counter, Histogram and Gauge on their own "
            "CollectorRegistry\n- push_to_gateway at the end of the run\n- no HTTP server",
            "push {snake} processing metrics to the Prometheus pushgateway",
        ),
        code=_code("metrics/{{snake}}_metrics.py", _PROM_PUSH),
        must=lambda f: _prom_common(f) + [
            "REGISTRY = CollectorRegistry()",
            f'push_to_gateway(gateway, job="{f["snake"]}_batch", registry=REGISTRY)',
            f"def push_{f['snake']}_metrics() -> None:",
        ],
        must_not=("start_http_server",),
        entities=("batch job", "checkout session", "queue worker", "metric sample"),
    ),
    Family(
        name="fernet-field-encryption-rotation",
        base="fernet-field-encryption",
        stack=("python", "cryptography"),
        tasks=(
            "Encrypt the sensitive fields of {words} records with Fernet, with key rotation",
            "Hi! Our {words_plural} have fields encrypted with Fernet, and now security wants us to rotate the key: "
            "new data under the new key, old data still readable, and a way to re-encrypt old records. Could you "
            "write it (MultiFernet)? Thanks!",
            "{sentence} field encryption with rotation:\n- cryptography MultiFernet over {upper}_FERNET_KEYS "
            "(newest first)\n- decrypt with any key, encrypt with the newest\n- rotate_{snake} re-encrypts a record",
            "encrypt_{snake} / decrypt_{snake} / rotate_{snake} using MultiFernet",
        ),
        code=_code("security/{{snake}}_crypto.py", _FERNET_ROTATION),
        must=lambda f: _fernet_common(f) + [
            "def _fernet() -> MultiFernet:",
            f'os.environ.get("{f["upper"]}_FERNET_KEYS", "")',
            f"def rotate_{f['snake']}(stored: dict[str, Any]) -> dict[str, Any]:",
            "fernet.rotate(",
        ],
        must_not=("def _fernet() -> Fernet:",),
        entities=("patient", "bank account", "secret note", "payroll entry"),
        sensitive=True,
    ),
    Family(
        name="struct-binary-records-crc",
        base="struct-binary-records",
        stack=("python", "struct"),
        tasks=(
            "Task: binary record file with checksums\nEntity: {title}\nRequirements:\n- struct.Struct, "
            "little-endian, fixed 24-byte records\n- a CRC32 (zlib) after each record, checked on read\n- append "
            "and read back\nOutput: one module",
            "[ingest-agent] Implement fixed-size binary storage for {words_plural} where every record carries a "
            "CRC32 so corruption is caught. Entity: {pascal}. Use struct and zlib.",
            "Hi! Could you write pack/unpack helpers for our {words} records in a binary .bin file, with a checksum "
            "per record so we notice corrupted bytes? struct + zlib is fine. Thanks!",
            "{snake_plural}.bin: fixed-width records with a crc32 each (struct, zlib)",
        ),
        code=_code("storage/{{snake}}_records.py", _STRUCT_CRC),
        must=lambda f: _struct_common(f) + [
            "return body + CRC.pack(zlib.crc32(body))",
            "if zlib.crc32(body) != crc:",
            f"yield {f['pascal']}(*{f['upper']}_RECORD.unpack(body))",
        ],
        must_not=("iter_unpack",),
        entities=("sensor reading", "mesh vertex", "trade tick", "gps fix"),
    ),
    Family(
        name="pypdf-merge-encrypted",
        base="pypdf-merge",
        stack=("python", "pypdf"),
        tasks=(
            "Merge {words} PDFs into one password-protected file with pypdf",
            "Hi! Could you write something with pypdf that merges every {words} PDF from documents/{kebab_plural}/ "
            "into one file with a bookmark each, and encrypts the result with a password from an environment "
            "variable (AES-256)? Thanks!",
            "{sentence} PDF merge, encrypted:\n- pypdf PdfWriter, one outline entry per source file\n- output "
            "protected with AES-256, the password from {upper}_PDF_PASSWORD",
            "combine all {pascal} pdfs into a single encrypted pdf (pypdf, password)",
        ),
        code=_code("documents/{{snake}}_merge.py", _PDF_ENCRYPTED),
        must=lambda f: _pdf_common(f) + [
            f'password = os.environ.get("{f["upper"]}_PDF_PASSWORD")',
            'writer.encrypt(user_password=password, algorithm="AES-256")',
        ],
        entities=("status report", "packing slip", "lab result", "time sheet"),
        sensitive=True,
    ),
]
