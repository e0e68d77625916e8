"""Third blind hold-out workload for the template-learning benchmark: paraphrases first.

Written without looking at the engine (only the harness ``bench/learning.py`` and the interface of
``holdout.py`` / ``holdout2.py`` were read; the ``forms`` helpers and ``Family`` are copied from holdout2).
Eleven jobs on stacks the earlier hold-outs do not use (SQLAlchemy Core tables, Jinja2 HTML reports, csv-module
summaries, argparse CLIs over a JSON file, dataclasses + json codecs, plain threading worker pools, pathlib
inbox pollers, functools.lru_cache lookups, stdlib unittest suites, Starlette routes, pydantic-settings
classes). Every family has five or six phrasings of the SAME job in different words (terse, chatty, bullet
lists, passive voice, questions, the entity written as an identifier). Thirteen near misses change exactly one
requirement of a base family (async engine, sandboxed user templates, JSON instead of CSV output, SQLite
instead of a JSON file, camelCase keys, orjson, asyncio instead of threads, retries, a failed/ quarantine
folder, TTL expiry, async tests, API-key middleware, a TOML settings source).

Reference code is written as templates with ``{{key}}`` placeholders over the keys of :func:`forms`;
``{{`` never appears in the rendered code. Only the standard library is imported here.
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



# ==========================================================================
# 1. SQLAlchemy Core table and queries (+ async engine)
# ==========================================================================

_CORE = '''
"""SQLAlchemy Core table and queries for {{words_plural}} (no ORM: a Table, an Engine, statements)."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, DateTime, Integer, MetaData, Numeric, String, Table, delete, insert, select, update
from sqlalchemy.engine import Engine

metadata = MetaData()

{{snake_plural}} = Table(
    "{{snake_plural}}",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("status", String(30), nullable=False, default="open"),
    Column("amount", Numeric(12, 2), nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def create_schema(engine: Engine) -> None:
    """Create the `{{snake_plural}}` table if it is missing."""
    metadata.create_all(engine)


def create_{{snake}}(engine: Engine, name: str, amount: Decimal = Decimal("0")) -> int:
    """Insert one {{words}} and return its new id."""
    stmt = insert({{snake_plural}}).values(
        name=name, status="open", amount=amount, created_at=datetime.now(timezone.utc)
    )
    with engine.begin() as conn:
        result = conn.execute(stmt)
    return int(result.inserted_primary_key[0])


def get_{{snake}}(engine: Engine, {{snake}}_id: int) -> dict[str, Any] | None:
    """One {{words}} as a dict, or None when the id is unknown."""
    stmt = select({{snake_plural}}).where({{snake_plural}}.c.id == {{snake}}_id)
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().first()
    return dict(row) if row is not None else None


def list_{{snake_plural}}(engine: Engine, status: str | None = None) -> list[dict[str, Any]]:
    """Every {{words}}, newest first, optionally only those with `status`."""
    stmt = select({{snake_plural}}).order_by({{snake_plural}}.c.created_at.desc())
    if status is not None:
        stmt = stmt.where({{snake_plural}}.c.status == status)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(stmt).mappings()]


def set_{{snake}}_status(engine: Engine, {{snake}}_id: int, status: str) -> bool:
    """Change the status of one {{words}}; False when it does not exist."""
    stmt = update({{snake_plural}}).where({{snake_plural}}.c.id == {{snake}}_id).values(status=status)
    with engine.begin() as conn:
        return conn.execute(stmt).rowcount == 1


def delete_{{snake}}(engine: Engine, {{snake}}_id: int) -> bool:
    """Delete one {{words}}; False when it does not exist."""
    stmt = delete({{snake_plural}}).where({{snake_plural}}.c.id == {{snake}}_id)
    with engine.begin() as conn:
        return conn.execute(stmt).rowcount == 1
'''

_CORE_ASYNC = '''
"""SQLAlchemy Core table and async queries for {{words_plural}} (AsyncEngine, e.g. sqlite+aiosqlite)."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, DateTime, Integer, MetaData, Numeric, String, Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

metadata = MetaData()

{{snake_plural}} = Table(
    "{{snake_plural}}",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("status", String(30), nullable=False, default="open"),
    Column("amount", Numeric(12, 2), nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


async def create_schema(engine: AsyncEngine) -> None:
    """Create the `{{snake_plural}}` table if it is missing."""
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)


async def create_{{snake}}(engine: AsyncEngine, name: str, amount: Decimal = Decimal("0")) -> int:
    """Insert one {{words}} and return its new id."""
    stmt = insert({{snake_plural}}).values(
        name=name, status="open", amount=amount, created_at=datetime.now(timezone.utc)
    )
    async with engine.begin() as conn:
        result = await conn.execute(stmt)
    return int(result.inserted_primary_key[0])


async def get_{{snake}}(engine: AsyncEngine, {{snake}}_id: int) -> dict[str, Any] | None:
    """One {{words}} as a dict, or None when the id is unknown."""
    stmt = select({{snake_plural}}).where({{snake_plural}}.c.id == {{snake}}_id)
    async with engine.connect() as conn:
        row = (await conn.execute(stmt)).mappings().first()
    return dict(row) if row is not None else None


async def list_{{snake_plural}}(engine: AsyncEngine, status: str | None = None) -> list[dict[str, Any]]:
    """Every {{words}}, newest first, optionally only those with `status`."""
    stmt = select({{snake_plural}}).order_by({{snake_plural}}.c.created_at.desc())
    if status is not None:
        stmt = stmt.where({{snake_plural}}.c.status == status)
    async with engine.connect() as conn:
        return [dict(row) for row in (await conn.execute(stmt)).mappings()]


async def set_{{snake}}_status(engine: AsyncEngine, {{snake}}_id: int, status: str) -> bool:
    """Change the status of one {{words}}; False when it does not exist."""
    stmt = update({{snake_plural}}).where({{snake_plural}}.c.id == {{snake}}_id).values(status=status)
    async with engine.begin() as conn:
        return (await conn.execute(stmt)).rowcount == 1


async def delete_{{snake}}(engine: AsyncEngine, {{snake}}_id: int) -> bool:
    """Delete one {{words}}; False when it does not exist."""
    stmt = delete({{snake_plural}}).where({{snake_plural}}.c.id == {{snake}}_id)
    async with engine.begin() as conn:
        return (await conn.execute(stmt)).rowcount == 1
'''


def _core_common(f: Forms) -> list[str]:
    sp = f["snake_plural"]
    return [
        "from sqlalchemy import Column",
        f"{sp} = Table(",
        f'"{sp}",',
        "metadata = MetaData()",
        f"select({sp}).where({sp}.c.id == {f['snake']}_id)",
        f"insert({sp}).values(",
        f"delete({sp}).where(",
    ]


# ==========================================================================
# 2. Jinja2 HTML report (+ user-supplied template in a sandbox)
# ==========================================================================

_REPORT = '''
"""HTML report of {{words_plural}} rendered with Jinja2 (template kept in this module, autoescaped)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

REPORT_TEMPLATE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
  <h1>{{ title }}</h1>
  <p>Generated {{ generated.isoformat() }}, {{ rows | length }} rows.</p>
  <table class="{{kebab_plural}}">
    <thead><tr><th>#</th><th>Name</th><th>Status</th><th>Amount</th></tr></thead>
    <tbody>
    {% for row in rows %}
      <tr><td>{{ row.id }}</td><td>{{ row.name }}</td><td>{{ row.status }}</td>
          <td>{{ "%.2f" | format(row.amount) }}</td></tr>
    {% else %}
      <tr><td colspan="4">No {{words_plural}}.</td></tr>
    {% endfor %}
    </tbody>
  </table>
</body>
</html>
"""

_env = Environment(
    loader=DictLoader({"{{snake_plural}}.html": REPORT_TEMPLATE}),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_{{snake_plural}}_report(rows: Iterable[Mapping[str, Any]], generated: date | None = None) -> str:
    """Render the {{words}} report as an HTML page; every cell is HTML-escaped."""
    template = _env.get_template("{{snake_plural}}.html")
    return template.render(
        title="{{title_plural}} report",
        rows=[dict(row) for row in rows],
        generated=generated or date.today(),
    )


def write_{{snake_plural}}_report(rows: Iterable[Mapping[str, Any]], out_dir: Path) -> Path:
    """Write the report to `out_dir/{{kebab_plural}}-report.html` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "{{kebab_plural}}-report.html"
    path.write_text(render_{{snake_plural}}_report(rows), encoding="utf-8")
    return path
'''

_REPORT_SANDBOXED = '''
"""HTML report of {{words_plural}} from a user-editable Jinja2 template, rendered in the Jinja2 sandbox."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

DEFAULT_TEMPLATE = """<h1>{{ title }}</h1>
<table class="{{kebab_plural}}">
{% for row in rows %}<tr><td>{{ row.name }}</td><td>{{ row.status }}</td><td>{{ row.amount }}</td></tr>
{% endfor %}</table>
"""
MAX_TEMPLATE_CHARS = 20_000

# The sandbox blocks access to attributes such as __class__ / __globals__ and unsafe callables.
_sandbox = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


class {{pascal}}TemplateError(ValueError):
    """The user's {{words}} report template is invalid or tried something unsafe."""


def render_{{snake_plural}}_report(rows: Iterable[Mapping[str, Any]], user_template: str | None = None) -> str:
    """Render `user_template` (untrusted, e.g. edited by an admin in the UI) over the {{words_plural}}."""
    source = DEFAULT_TEMPLATE if user_template is None else user_template
    if len(source) > MAX_TEMPLATE_CHARS:
        raise {{pascal}}TemplateError(f"template longer than {MAX_TEMPLATE_CHARS} characters")
    try:
        template = _sandbox.from_string(source)
        return template.render(title="{{title_plural}}", rows=[dict(row) for row in rows])
    except TemplateSyntaxError as exc:
        raise {{pascal}}TemplateError(f"line {exc.lineno}: {exc.message}") from exc
    except SecurityError as exc:
        raise {{pascal}}TemplateError(f"unsafe template: {exc}") from exc
    except UndefinedError as exc:
        raise {{pascal}}TemplateError(f"unknown variable: {exc}") from exc


def write_{{snake_plural}}_report(
    rows: Iterable[Mapping[str, Any]], out_dir: Path, user_template: str | None = None
) -> Path:
    """Write the sandboxed report to `out_dir/{{kebab_plural}}-report.html` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "{{kebab_plural}}-report.html"
    path.write_text(render_{{snake_plural}}_report(rows, user_template), encoding="utf-8")
    return path
'''


def _report_common(f: Forms) -> list[str]:
    sp = f["snake_plural"]
    return [
        "from jinja2 import",
        f"def render_{sp}_report(",
        f"def write_{sp}_report(",
        f'path = out_dir / "{f["kebab_plural"]}-report.html"',
        "{% for row in rows %}",
        f'<table class="{f["kebab_plural"]}">',
    ]


# ==========================================================================
# 3. csv-module summary report (+ JSON output)
# ==========================================================================

_CSV_READ = '''
"""Per-status summary of {{words_plural}} from a CSV export, using only the csv module."""
from __future__ import annotations

import csv
__EXTRA_IMPORT__from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path


@dataclass
class StatusTotals:
    """Count and summed amount of the {{words_plural}} with one status."""

    count: int = 0
    total: Decimal = Decimal("0")

    @property
    def average(self) -> Decimal:
        """Mean amount, 0 when there are no rows."""
        return self.total / self.count if self.count else Decimal("0")


def load_{{snake_plural}}(path: Path) -> list[dict[str, str]]:
    """Rows of the `{{snake_plural}}.csv` export (header: id,name,status,amount)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def summarize_{{snake_plural}}(rows: list[dict[str, str]]) -> dict[str, StatusTotals]:
    """Totals per status, sorted by status; rows whose amount does not parse are skipped."""
    totals: dict[str, StatusTotals] = defaultdict(StatusTotals)
    for row in rows:
        try:
            amount = Decimal(row["amount"])
        except (KeyError, InvalidOperation):
            continue
        bucket = totals[row.get("status") or "unknown"]
        bucket.count += 1
        bucket.total += amount
    return dict(sorted(totals.items()))
'''

_CSV_WRITE = '''

FIELDS = ("status", "count", "total_amount", "average_amount")


def _row(status: str, bucket: StatusTotals) -> dict[str, str]:
    return {
        "status": status,
        "count": str(bucket.count),
        "total_amount": f"{bucket.total:.2f}",
        "average_amount": f"{bucket.average:.2f}",
    }


def write_{{snake}}_summary(totals: dict[str, StatusTotals], out_dir: Path) -> Path:
    """Write `{{snake}}_summary.csv`: one row per status, then a TOTAL row."""
    path = out_dir / "{{snake}}_summary.csv"
    grand = StatusTotals()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for status, bucket in totals.items():
            grand.count += bucket.count
            grand.total += bucket.total
            writer.writerow(_row(status, bucket))
        writer.writerow(_row("TOTAL", grand))
    return path


def main(source: Path, out_dir: Path) -> Path:
    """Load, summarize and write the {{words}} summary; returns the summary file."""
    return write_{{snake}}_summary(summarize_{{snake_plural}}(load_{{snake_plural}}(source)), out_dir)
'''

_CSV_WRITE_JSON = '''

def write_{{snake}}_summary(totals: dict[str, StatusTotals], out_dir: Path) -> Path:
    """Write `{{snake}}_summary.json`: an object per status plus the grand total."""
    path = out_dir / "{{snake}}_summary.json"
    grand = StatusTotals()
    by_status = {}
    for status, bucket in totals.items():
        grand.count += bucket.count
        grand.total += bucket.total
        by_status[status] = {
            "count": bucket.count,
            "total_amount": str(bucket.total.quantize(Decimal("0.01"))),
            "average_amount": str(bucket.average.quantize(Decimal("0.01"))),
        }
    document = {
        "{{snake_plural}}": by_status,
        "total": {"count": grand.count, "total_amount": str(grand.total.quantize(Decimal("0.01")))},
    }
    with path.open("w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2, sort_keys=True)
    return path


def main(source: Path, out_dir: Path) -> Path:
    """Load, summarize and write the {{words}} summary as JSON; returns the summary file."""
    return write_{{snake}}_summary(summarize_{{snake_plural}}(load_{{snake_plural}}(source)), out_dir)
'''

_CSV_SUMMARY = _CSV_READ.replace("__EXTRA_IMPORT__", "") + _CSV_WRITE
_CSV_SUMMARY_JSON = _CSV_READ.replace("__EXTRA_IMPORT__", "import json\n") + _CSV_WRITE_JSON


def _csv_common(f: Forms) -> list[str]:
    sp = f["snake_plural"]
    return [
        "import csv",
        "csv.DictReader(handle)",
        f"def load_{sp}(path: Path)",
        f"def summarize_{sp}(rows: list[dict[str, str]])",
        f"def write_{f['snake']}_summary(",
        'bucket = totals[row.get("status") or "unknown"]',
    ]


# ==========================================================================
# 4. argparse CLI over a JSON file (+ SQLite storage)
# ==========================================================================

_CLI_PARSER = '''

def build_parser() -> argparse.ArgumentParser:
    """`add NAME [--status S]`, `list [--status S]`, `remove ID`."""
    parser = argparse.ArgumentParser(prog="{{kebab_plural}}", description="Manage {{words_plural}}.")
    parser.add_argument(__STORE_OPTION__)
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a {{words}}")
    add.add_argument("name")
    add.add_argument("--status", default="active")
    listing = sub.add_parser("list", help="list {{words_plural}}")
    listing.add_argument("--status", help="only {{words_plural}} with this status")
    remove = sub.add_parser("remove", help="remove a {{words}} by id")
    remove.add_argument("{{snake}}_id", type=int)
    return parser
'''

_CLI_JSON = '''
"""`{{kebab_plural}}` command line tool: add, list and remove {{words_plural}} kept in a JSON file."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DEFAULT_FILE = Path("{{snake_plural}}.json")


def _load(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def _save(path: Path, items: list[dict[str, Any]]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(items, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
''' + _CLI_PARSER.replace(
    "__STORE_OPTION__", '"--file", type=Path, default=DEFAULT_FILE, help="JSON file with the {{words_plural}}"'
) + '''

def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = build_parser().parse_args(argv)
    items = _load(args.file)
    if args.command == "add":
        new_id = max((int(item["id"]) for item in items), default=0) + 1
        items.append({"id": new_id, "name": args.name, "status": args.status})
        _save(args.file, items)
        print(f"added {{words}} {new_id}")
        return 0
    if args.command == "list":
        for item in items:
            if args.status is None or item["status"] == args.status:
                print(f"{item['id']:>5}  {item['status']:<10}  {item['name']}")
        return 0
    kept = [item for item in items if item["id"] != args.{{snake}}_id]
    if len(kept) == len(items):
        print(f"no {{words}} with id {args.{{snake}}_id}", file=sys.stderr)
        return 1
    _save(args.file, kept)
    print(f"removed {{words}} {args.{{snake}}_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''

_CLI_SQLITE = '''
"""`{{kebab_plural}}` command line tool: add, list and remove {{words_plural}} stored in a SQLite database."""
from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_DB = Path("{{snake_plural}}.db")
SCHEMA = """CREATE TABLE IF NOT EXISTS {{snake_plural}} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active'
)"""


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    conn.execute(SCHEMA)
    return conn
''' + _CLI_PARSER.replace(
    "__STORE_OPTION__", '"--db", type=Path, default=DEFAULT_DB, help="SQLite file with the {{words_plural}}"'
) + '''

def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = build_parser().parse_args(argv)
    with _connect(args.db) as conn:
        if args.command == "add":
            cur = conn.execute(
                "INSERT INTO {{snake_plural}} (name, status) VALUES (?, ?)", (args.name, args.status)
            )
            print(f"added {{words}} {cur.lastrowid}")
            return 0
        if args.command == "list":
            sql, params = "SELECT id, name, status FROM {{snake_plural}}", ()
            if args.status is not None:
                sql, params = sql + " WHERE status = ?", (args.status,)
            for row in conn.execute(sql + " ORDER BY id", params):
                print(f"{row['id']:>5}  {row['status']:<10}  {row['name']}")
            return 0
        cur = conn.execute("DELETE FROM {{snake_plural}} WHERE id = ?", (args.{{snake}}_id,))
        if cur.rowcount == 0:
            print(f"no {{words}} with id {args.{{snake}}_id}", file=sys.stderr)
            return 1
        print(f"removed {{words}} {args.{{snake}}_id}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
'''


def _cli_common(f: Forms) -> list[str]:
    return [
        "import argparse",
        f'argparse.ArgumentParser(prog="{f["kebab_plural"]}"',
        'sub = parser.add_subparsers(dest="command", required=True)',
        'remove = sub.add_parser("remove"',
        f'remove.add_argument("{f["snake"]}_id", type=int)',
        f'print(f"removed {f["words"]} {{args.{f["snake"]}_id}}")',
    ]


# ==========================================================================
# 5. dataclass + json codec (+ camelCase keys, + orjson)
# ==========================================================================

_CODEC_MODEL = '''

class {{pascal}}Status(str, Enum):
    """Lifecycle of a {{words}}."""

    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


@dataclass
class {{pascal}}:
    """A {{words}} as the application passes it around."""

    id: int
    name: str
    unit_price: Decimal
    status: {{pascal}}Status = {{pascal}}Status.DRAFT
    tags: list[str] = field(default_factory=list)
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot encode {type(value).__name__}")


def _decode(data: dict[str, Any]) -> {{pascal}}:
    known = {f.name for f in fields({{pascal}})}
    values = {key: value for key, value in data.items() if key in known}
    values["unit_price"] = Decimal(str(values["unit_price"]))
    values["status"] = {{pascal}}Status(values.get("status", "draft"))
    if "created_at" in values:
        values["created_at"] = datetime.fromisoformat(values["created_at"])
    return {{pascal}}(**values)
'''

_CODEC_IMPORTS = '''
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any
'''

_CODEC = '''
"""{{sentence}} dataclass and its JSON encoding (stdlib dataclasses + json)."""
from __future__ import annotations

import json''' + _CODEC_IMPORTS + _CODEC_MODEL + '''

def {{snake}}_to_json({{snake}}: {{pascal}}) -> str:
    """Serialize a {{words}}: Decimal as a string, datetime as ISO 8601, the status as its value."""
    return json.dumps(asdict({{snake}}), default=_encode, sort_keys=True)


def {{snake}}_from_json(text: str) -> {{pascal}}:
    """Parse what `{{snake}}_to_json` wrote; unknown keys are ignored."""
    return _decode(json.loads(text))


def {{snake_plural}}_to_json(items: list[{{pascal}}]) -> str:
    """Serialize a list of {{words_plural}} as one JSON array."""
    return json.dumps([asdict(item) for item in items], default=_encode, sort_keys=True)
'''

_CODEC_CAMEL = '''
"""{{sentence}} dataclass and its JSON encoding with camelCase keys (stdlib dataclasses + json)."""
from __future__ import annotations

import json
import re''' + _CODEC_IMPORTS + _CODEC_MODEL + '''

def _to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _to_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def {{snake}}_to_json({{snake}}: {{pascal}}) -> str:
    """Serialize a {{words}} with camelCase keys (unitPrice, createdAt) for the JavaScript client."""
    data = {_to_camel(key): value for key, value in asdict({{snake}}).items()}
    return json.dumps(data, default=_encode, sort_keys=True)


def {{snake}}_from_json(text: str) -> {{pascal}}:
    """Parse camelCase JSON back into a {{words}}; unknown keys are ignored."""
    return _decode({_to_snake(key): value for key, value in json.loads(text).items()})
'''

_CODEC_ORJSON = '''
"""{{sentence}} dataclass and its JSON encoding with orjson (fast, returns bytes)."""
from __future__ import annotations

import orjson''' + _CODEC_IMPORTS + _CODEC_MODEL + '''

def {{snake}}_to_json({{snake}}: {{pascal}}) -> bytes:
    """Serialize a {{words}} with orjson; Decimal goes through `default`, datetime and enums are native."""
    return orjson.dumps(asdict({{snake}}), default=_encode, option=orjson.OPT_SORT_KEYS)


def {{snake}}_from_json(data: bytes | str) -> {{pascal}}:
    """Parse what `{{snake}}_to_json` wrote; unknown keys are ignored."""
    return _decode(orjson.loads(data))


def {{snake_plural}}_to_json(items: list[{{pascal}}]) -> bytes:
    """Serialize a list of {{words_plural}} as one JSON array (bytes)."""
    return orjson.dumps([asdict(item) for item in items], default=_encode, option=orjson.OPT_SORT_KEYS)
'''


def _codec_common(f: Forms) -> list[str]:
    p, s = f["pascal"], f["snake"]
    return [
        "from dataclasses import asdict, dataclass",
        "@dataclass",
        f"class {p}:",
        f"class {p}Status(str, Enum):",
        f"def {s}_from_json(",
        f"def {s}_to_json({s}: {p})",
        "unit_price: Decimal",
    ]


# ==========================================================================
# 6. threading worker pool (+ asyncio tasks instead of threads, + retries)
# ==========================================================================

_POOL_HEAD = '''
"""Fixed-size pool of worker threads processing {{words}} jobs from a queue (stdlib threading only)."""
from __future__ import annotations

import logging
import queue
import threading
__EXTRA_IMPORT__from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("{{snake_plural}}.workers")

_STOP = object()


@dataclass(frozen=True)
class {{pascal}}Job:
    """One unit of work: the id of the {{words}} to process."""

    {{snake}}_id: int


class {{pascal}}WorkerPool:
    """Processes {{words_plural}} (one job per {{words}}) in `workers` threads, calling `handler` per job."""

    def __init__(self, handler: Callable[[{{pascal}}Job], None], workers: int = 4__EXTRA_PARAMS__) -> None:
        self._handler = handler
        self._queue: queue.Queue[object] = queue.Queue(maxsize=workers * 10)
        self._threads = [
            threading.Thread(target=self._run, name=f"{{kebab}}-worker-{n}", daemon=True) for n in range(workers)
        ]
        self._lock = threading.Lock()__EXTRA_INIT__
        self.processed = 0
        self.failed: list[int] = []

    def start(self) -> None:
        """Start the worker threads."""
        for thread in self._threads:
            thread.start()

    def submit(self, job: {{pascal}}Job) -> None:
        """Queue a job; blocks while the queue is full."""
        self._queue.put(job)

    def shutdown(self) -> None:
        """Let the queued jobs finish, then stop every worker."""
        for _ in self._threads:
            self._queue.put(_STOP)
        for thread in self._threads:
            thread.join()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is _STOP:
                    return
                if isinstance(job, {{pascal}}Job):
                    self._process(job)
            finally:
                self._queue.task_done()
'''

_POOL_PROCESS = '''
    def _process(self, job: {{pascal}}Job) -> None:
        try:
            self._handler(job)
        except Exception:  # a failing job must not kill its worker
            log.exception("{{words}} job %s failed", job.{{snake}}_id)
            with self._lock:
                self.failed.append(job.{{snake}}_id)
            return
        with self._lock:
            self.processed += 1
'''

_POOL_PROCESS_RETRY = '''
    def _process(self, job: {{pascal}}Job) -> None:
        for attempt in range(1, self.max_attempts + 1):
            try:
                self._handler(job)
            except Exception:  # retried; a failing job must not kill its worker
                log.warning("{{words}} job %s failed (attempt %d of %d)", job.{{snake}}_id, attempt, self.max_attempts)
                if attempt < self.max_attempts:
                    time.sleep(self.backoff_seconds * attempt)
                continue
            with self._lock:
                self.processed += 1
            return
        log.error("{{words}} job %s gave up after %d attempts", job.{{snake}}_id, self.max_attempts)
        with self._lock:
            self.failed.append(job.{{snake}}_id)
'''

_POOL = (
    _POOL_HEAD.replace("__EXTRA_IMPORT__", "").replace("__EXTRA_PARAMS__", "").replace("__EXTRA_INIT__", "")
    + _POOL_PROCESS
)
_POOL_RETRY = (
    _POOL_HEAD.replace("__EXTRA_IMPORT__", "import time\n")
    .replace("__EXTRA_PARAMS__", ", max_attempts: int = 3, backoff_seconds: float = 0.5")
    .replace(
        "__EXTRA_INIT__",
        "\n        self.max_attempts = max_attempts\n        self.backoff_seconds = backoff_seconds",
    )
    + _POOL_PROCESS_RETRY
)

_POOL_ASYNC = '''
"""Fixed-size pool of asyncio worker tasks processing {{words}} jobs from an asyncio.Queue (no threads)."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger("{{snake_plural}}.workers")


@dataclass(frozen=True)
class {{pascal}}Job:
    """One unit of work: the id of the {{words}} to process."""

    {{snake}}_id: int


class {{pascal}}WorkerPool:
    """Processes {{words_plural}} (one job per {{words}}) in `workers` asyncio tasks, awaiting `handler`."""

    def __init__(self, handler: Callable[[{{pascal}}Job], Awaitable[None]], workers: int = 4) -> None:
        self._handler = handler
        self._workers = workers
        self._queue: asyncio.Queue[{{pascal}}Job | None] = asyncio.Queue(maxsize=workers * 10)
        self._tasks: list[asyncio.Task[None]] = []
        self.processed = 0
        self.failed: list[int] = []

    async def start(self) -> None:
        """Start the worker tasks on the running event loop."""
        self._tasks = [
            asyncio.create_task(self._run(), name=f"{{kebab}}-worker-{n}") for n in range(self._workers)
        ]

    async def submit(self, job: {{pascal}}Job) -> None:
        """Queue a job; waits while the queue is full."""
        await self._queue.put(job)

    async def shutdown(self) -> None:
        """Let the queued jobs finish, then stop every worker task."""
        for _ in self._tasks:
            await self._queue.put(None)
        await asyncio.gather(*self._tasks)

    async def _run(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                if job is None:
                    return
                await self._process(job)
            finally:
                self._queue.task_done()

    async def _process(self, job: {{pascal}}Job) -> None:
        try:
            await self._handler(job)
        except Exception:  # a failing job must not kill its worker
            log.exception("{{words}} job %s failed", job.{{snake}}_id)
            self.failed.append(job.{{snake}}_id)
            return
        self.processed += 1
'''


def _pool_common(f: Forms) -> list[str]:
    p = f["pascal"]
    return [
        f"class {p}Job:",
        f"class {p}WorkerPool:",
        f"    {f['snake']}_id: int",
        f"def submit(self, job: {p}Job) -> None:",
        f'name=f"{f["kebab"]}-worker-{{n}}"',
        "def shutdown(self) -> None:",
    ]


def _pool_threads(f: Forms) -> list[str]:
    return _pool_common(f) + [
        "import threading",
        "queue.Queue(maxsize=workers * 10)",
        "threading.Thread(target=self._run",
        "_STOP = object()",
        "self._lock = threading.Lock()",
    ]


# ==========================================================================
# 7. pathlib inbox poller (+ invalid files quarantined in failed/)
# ==========================================================================

_WATCH = '''
"""Polling watcher for a folder of {{words}} JSON files (pathlib only, no third-party watcher)."""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class {{pascal}}InboxWatcher:
    """Picks up `*.json` files dropped into `inbox`, hands each {{words}} to `handle`, then moves the file to
    `inbox/processed`. Files that are not valid JSON are logged once and skipped (left where they are)."""

    def __init__(self, inbox: Path, handle: Callable[[dict[str, Any]], None], interval: float = 2.0) -> None:
        self.inbox = inbox
        self.processed_dir = inbox / "processed"
        self.processed_dir.mkdir(parents=True, exist_ok=True)
        self._handle = handle
        self._interval = interval
        self._skipped: set[Path] = set()

    def pending(self) -> list[Path]:
        """JSON files waiting in the inbox, oldest first, leaving out the ones already skipped."""
        files = [p for p in self.inbox.glob("*.json") if p.is_file() and p not in self._skipped]
        return sorted(files, key=lambda p: p.stat().st_mtime)

    def poll_once(self) -> int:
        """Process every pending file once; returns how many {{words_plural}} were handled."""
        handled = 0
        for path in self.pending():
            try:
                {{snake}} = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                log.warning("skipping unreadable {{words}} file %s: %s", path.name, exc)
                self._skipped.add(path)
                continue
            self._handle({{snake}})
            path.replace(self.processed_dir / path.name)
            handled += 1
        return handled

    def run_forever(self) -> None:
        """Poll the inbox every `interval` seconds until interrupted."""
        log.info("watching %s for {{words_plural}}", self.inbox)
        while True:
            self.poll_once()
            time.sleep(self._interval)


def watch_{{snake_plural}}(inbox: str, handle: Callable[[dict[str, Any]], None]) -> None:
    """Entry point: watch `inbox` for {{words_plural}} until interrupted."""
    {{pascal}}InboxWatcher(Path(inbox), handle).run_forever()
'''

_WATCH_FAILED = '''
"""Polling watcher for a folder of {{words}} JSON files; unparseable files are moved to failed/ (pathlib only)."""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class {{pascal}}InboxWatcher:
    """Picks up `*.json` files dropped into `inbox`, hands each {{words}} to `handle`, then moves the file to
    `inbox/processed`. Files that are not valid JSON are moved to `inbox/failed` for someone to inspect."""

    def __init__(self, inbox: Path, handle: Callable[[dict[str, Any]], None], interval: float = 2.0) -> None:
        self.inbox = inbox
        self.processed_dir = inbox / "processed"
        self.failed_dir = inbox / "failed"
        for folder in (self.processed_dir, self.failed_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self._handle = handle
        self._interval = interval

    def pending(self) -> list[Path]:
        """JSON files waiting in the inbox, oldest first."""
        files = [p for p in self.inbox.glob("*.json") if p.is_file()]
        return sorted(files, key=lambda p: p.stat().st_mtime)

    def poll_once(self) -> int:
        """Process every pending file once; returns how many {{words_plural}} were handled."""
        handled = 0
        for path in self.pending():
            try:
                {{snake}} = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                log.warning("moving unreadable {{words}} file %s to failed/: %s", path.name, exc)
                path.replace(self.failed_dir / path.name)
                continue
            self._handle({{snake}})
            path.replace(self.processed_dir / path.name)
            handled += 1
        return handled

    def run_forever(self) -> None:
        """Poll the inbox every `interval` seconds until interrupted."""
        log.info("watching %s for {{words_plural}}", self.inbox)
        while True:
            self.poll_once()
            time.sleep(self._interval)


def watch_{{snake_plural}}(inbox: str, handle: Callable[[dict[str, Any]], None]) -> None:
    """Entry point: watch `inbox` for {{words_plural}} until interrupted."""
    {{pascal}}InboxWatcher(Path(inbox), handle).run_forever()
'''


def _watch_common(f: Forms) -> list[str]:
    return [
        "from pathlib import Path",
        f"class {f['pascal']}InboxWatcher:",
        'self.inbox.glob("*.json")',
        'self.processed_dir = inbox / "processed"',
        "path.replace(self.processed_dir / path.name)",
        "time.sleep(self._interval)",
        f"def watch_{f['snake_plural']}(inbox: str",
        f"{f['snake']} = json.loads(path.read_text(",
    ]


# ==========================================================================
# 8. functools.lru_cache lookup layer (+ per-entry TTL)
# ==========================================================================

_CACHE_MODEL = '''

@dataclass(frozen=True)
class {{pascal}}:
    """The cached view of a {{words}}."""

    id: int
    name: str
    status: str


Loader = Callable[[int], "{{pascal}} | None"]
'''

_CACHE = '''
"""Read-through cache for {{words}} lookups built on functools.lru_cache, with explicit invalidation."""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
''' + _CACHE_MODEL + '''

class {{pascal}}Cache:
    """Memoizes `loader(id)` for up to `maxsize` {{words_plural}}; the least recently used is evicted first."""

    def __init__(self, loader: Loader, maxsize: int = 1024) -> None:
        self._loader = loader
        self._cached = functools.lru_cache(maxsize=maxsize)(self._load)

    def _load(self, {{snake}}_id: int) -> {{pascal}} | None:
        return self._loader({{snake}}_id)

    def get(self, {{snake}}_id: int) -> {{pascal}} | None:
        """The {{words}} with this id, loaded on a miss. Unknown ids (None) are cached too."""
        return self._cached({{snake}}_id)

    def invalidate(self) -> None:
        """Forget every cached {{words}}, e.g. after a bulk import."""
        self._cached.cache_clear()

    def stats(self) -> dict[str, int]:
        """Hits, misses and current size of the cache."""
        info = self._cached.cache_info()
        return {"hits": info.hits, "misses": info.misses, "size": info.currsize}


def cached_{{snake}}_lookup(loader: Loader, maxsize: int = 1024) -> {{pascal}}Cache:
    """Wrap a {{words}} loader (for example a repository's get) in an LRU cache."""
    return {{pascal}}Cache(loader, maxsize=maxsize)
'''

_CACHE_TTL = '''
"""Read-through cache for {{words}} lookups where every entry expires after `ttl_seconds` (stdlib only)."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
''' + _CACHE_MODEL + '''

class {{pascal}}Cache:
    """Memoizes `loader(id)` for at most `ttl_seconds`, keeping up to `maxsize` {{words_plural}}."""

    def __init__(self, loader: Loader, ttl_seconds: float = 60.0, maxsize: int = 1024) -> None:
        self._loader = loader
        self.ttl_seconds = ttl_seconds
        self._maxsize = maxsize
        self._entries: OrderedDict[int, tuple[float, {{pascal}} | None]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, {{snake}}_id: int) -> {{pascal}} | None:
        """The {{words}} with this id; loaded again once its cached copy is older than `ttl_seconds`."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get({{snake}}_id)
            if entry is not None and entry[0] > now:
                self.hits += 1
                return entry[1]
            self.misses += 1
        value = self._loader({{snake}}_id)
        with self._lock:
            self._entries[{{snake}}_id] = (now + self.ttl_seconds, value)  # (expires_at, value)
            self._entries.move_to_end({{snake}}_id)
            while len(self._entries) > self._maxsize:
                self._entries.popitem(last=False)
        return value

    def invalidate(self) -> None:
        """Forget every cached {{words}}."""
        with self._lock:
            self._entries.clear()

    def stats(self) -> dict[str, int]:
        """Hits, misses and current size of the cache."""
        return {"hits": self.hits, "misses": self.misses, "size": len(self._entries)}


def cached_{{snake}}_lookup(loader: Loader, ttl_seconds: float = 60.0) -> {{pascal}}Cache:
    """Wrap a {{words}} loader in a cache whose entries expire after `ttl_seconds`."""
    return {{pascal}}Cache(loader, ttl_seconds=ttl_seconds)
'''


def _cache_common(f: Forms) -> list[str]:
    p, s = f["pascal"], f["snake"]
    return [
        f"class {p}Cache:",
        f"def get(self, {s}_id: int) -> {p} | None:",
        f"def cached_{s}_lookup(loader: Loader",
        f'Loader = Callable[[int], "{p} | None"]',
        "def invalidate(self) -> None:",
    ]


# ==========================================================================
# 9. stdlib unittest suite for a service (+ async service, IsolatedAsyncioTestCase)
# ==========================================================================

_UNITTEST = '''
"""Unit tests for {{pascal}}Service with the standard library unittest module (no pytest)."""
from __future__ import annotations

import unittest

from acme.repositories import InMemoryRepository
from acme.{{snake}}_service import {{pascal}}NotFound, {{pascal}}Service


class {{pascal}}ServiceTest(unittest.TestCase):
    """Create, read, list and delete {{words_plural}} through the service."""

    def setUp(self) -> None:
        """A fresh service on an empty in-memory repository for every test."""
        self.service = {{pascal}}Service(InMemoryRepository())

    def test_create_assigns_id_and_defaults(self) -> None:
        """A new {{words}} gets an integer id and the "active" status."""
        created = self.service.create(name="First {{words}}")
        self.assertIsInstance(created.id, int)
        self.assertEqual(created.name, "First {{words}}")
        self.assertEqual(created.status, "active")

    def test_get_returns_what_was_created(self) -> None:
        """get() finds a {{words}} by the id create() returned."""
        created = self.service.create(name="Lookup me")
        self.assertEqual(self.service.get(created.id), created)

    def test_get_unknown_id_raises(self) -> None:
        """An unknown id raises {{pascal}}NotFound."""
        with self.assertRaises({{pascal}}NotFound):
            self.service.get(999_999)

    def test_list_filters_by_status(self) -> None:
        """list_{{snake_plural}}(status=...) only returns matching {{words_plural}}."""
        kept = self.service.create(name="kept")
        archived = self.service.create(name="archived")
        self.service.archive(archived.id)
        self.assertEqual([x.id for x in self.service.list_{{snake_plural}}(status="active")], [kept.id])

    def test_delete_removes(self) -> None:
        """A deleted {{words}} can no longer be fetched."""
        created = self.service.create(name="short lived")
        self.service.delete(created.id)
        with self.assertRaises({{pascal}}NotFound):
            self.service.get(created.id)

    def test_create_rejects_blank_name(self) -> None:
        """Blank names are refused with ValueError."""
        with self.assertRaises(ValueError):
            self.service.create(name="   ")


if __name__ == "__main__":
    unittest.main()
'''

_UNITTEST_ASYNC = '''
"""Unit tests for the async {{pascal}}Service with unittest.IsolatedAsyncioTestCase (stdlib, no pytest)."""
from __future__ import annotations

import unittest

from acme.repositories import InMemoryRepository
from acme.{{snake}}_service import {{pascal}}NotFound, {{pascal}}Service


class {{pascal}}ServiceTest(unittest.IsolatedAsyncioTestCase):
    """Create, read, list and delete {{words_plural}} through the coroutine API of the service."""

    async def asyncSetUp(self) -> None:
        """A fresh, started service on an empty in-memory repository for every test."""
        self.service = {{pascal}}Service(InMemoryRepository())
        await self.service.start()

    async def asyncTearDown(self) -> None:
        """Close the service after each test."""
        await self.service.close()

    async def test_create_assigns_id_and_defaults(self) -> None:
        """A new {{words}} gets an integer id and the "active" status."""
        created = await self.service.create(name="First {{words}}")
        self.assertIsInstance(created.id, int)
        self.assertEqual(created.status, "active")

    async def test_get_returns_what_was_created(self) -> None:
        """get() finds a {{words}} by the id create() returned."""
        created = await self.service.create(name="Lookup me")
        self.assertEqual(await self.service.get(created.id), created)

    async def test_get_unknown_id_raises(self) -> None:
        """An unknown id raises {{pascal}}NotFound."""
        with self.assertRaises({{pascal}}NotFound):
            await self.service.get(999_999)

    async def test_list_filters_by_status(self) -> None:
        """list_{{snake_plural}}(status=...) only returns matching {{words_plural}}."""
        kept = await self.service.create(name="kept")
        archived = await self.service.create(name="archived")
        await self.service.archive(archived.id)
        found = await self.service.list_{{snake_plural}}(status="active")
        self.assertEqual([x.id for x in found], [kept.id])

    async def test_delete_removes(self) -> None:
        """A deleted {{words}} can no longer be fetched."""
        created = await self.service.create(name="short lived")
        await self.service.delete(created.id)
        with self.assertRaises({{pascal}}NotFound):
            await self.service.get(created.id)


if __name__ == "__main__":
    unittest.main()
'''


def _unittest_common(f: Forms) -> list[str]:
    p = f["pascal"]
    return [
        "import unittest",
        f"from acme.{f['snake']}_service import {p}NotFound, {p}Service",
        f"with self.assertRaises({p}NotFound):",
        f"self.service = {p}Service(InMemoryRepository())",
        f"list_{f['snake_plural']}(status=\"active\")",
        "unittest.main()",
    ]


# ==========================================================================
# 10. Starlette routes (+ API-key middleware)
# ==========================================================================

_STARLETTE_ROUTES = '''

_{{snake_plural}}: dict[int, dict[str, Any]] = {}
_ids = itertools.count(1)


async def list_{{snake_plural}}(request: Request) -> JSONResponse:
    """GET /{{kebab_plural}}: every {{words}}, optionally only those with ?status=."""
    status = request.query_params.get("status")
    items = [item for item in _{{snake_plural}}.values() if status is None or item["status"] == status]
    return JSONResponse(items)


async def get_{{snake}}(request: Request) -> JSONResponse:
    """GET /{{kebab_plural}}/<id>: one {{words}}, or 404."""
    item = _{{snake_plural}}.get(request.path_params["{{snake}}_id"])
    if item is None:
        raise HTTPException(status_code=404, detail="{{sentence}} not found")
    return JSONResponse(item)


async def create_{{snake}}(request: Request) -> JSONResponse:
    """POST /{{kebab_plural}}: create a {{words}} from a JSON body with a non-empty name."""
    payload = await request.json()
    name = str(payload.get("name", "")).strip() if isinstance(payload, dict) else ""
    if not name:
        raise HTTPException(status_code=422, detail="name is required")
    item = {"id": next(_ids), "name": name, "status": str(payload.get("status", "active"))}
    _{{snake_plural}}[item["id"]] = item
    return JSONResponse(item, status_code=201)


routes = [
    Route("/{{kebab_plural}}", list_{{snake_plural}}, methods=["GET"]),
    Route("/{{kebab_plural}}", create_{{snake}}, methods=["POST"]),
    Route("/{{kebab_plural}}/{{{snake}}_id:int}", get_{{snake}}, methods=["GET"]),
]
'''

_STARLETTE = '''
"""Starlette routes for {{words_plural}}: list, fetch one, create (in-memory store, no FastAPI)."""
from __future__ import annotations

import itertools
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
''' + _STARLETTE_ROUTES + '''
app = Starlette(routes=routes)
'''

_STARLETTE_API_KEY = '''
"""Starlette routes for {{words_plural}} behind an X-API-Key check (list, fetch one, create; in-memory store)."""
from __future__ import annotations

import hmac
import itertools
import os
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

HEADER_NAME = "X-API-Key"


def _configured_keys() -> list[str]:
    raw = os.environ.get("{{upper}}_API_KEYS", "")
    return [key.strip() for key in raw.split(",") if key.strip()]


class ApiKeyMiddleware(BaseHTTPMiddleware):
    """Answers 401 unless the X-API-Key header equals one of the keys in {{upper}}_API_KEYS."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        """Check the key with a constant-time comparison before calling the route."""
        supplied = request.headers.get(HEADER_NAME, "").encode()
        if not supplied or not any(hmac.compare_digest(supplied, k.encode()) for k in _configured_keys()):
            return JSONResponse({"detail": "missing or invalid API key"}, status_code=401)
        return await call_next(request)
''' + _STARLETTE_ROUTES + '''
app = Starlette(routes=routes, middleware=[Middleware(ApiKeyMiddleware)])
'''


def _starlette_common(f: Forms) -> list[str]:
    kp, s, sp = f["kebab_plural"], f["snake"], f["snake_plural"]
    return [
        "from starlette.applications import Starlette",
        "from starlette.routing import Route",
        f'Route("/{kp}", list_{sp}, methods=["GET"])',
        f'Route("/{kp}", create_{s}, methods=["POST"])',
        f'Route("/{kp}/{{{s}_id:int}}", get_{s}, methods=["GET"])',
        f"async def create_{s}(request: Request) -> JSONResponse:",
        "return JSONResponse(item, status_code=201)",
    ]


# ==========================================================================
# 11. pydantic-settings class (+ TOML file source instead of the environment)
# ==========================================================================

_SETTINGS_FIELDS = '''
    database_url: str = "sqlite:///./{{snake_plural}}.db"
    page_size: int = Field(50, ge=1, le=500)
    export_dir: Path = Path("exports/{{kebab_plural}}")
    enabled: bool = True
    allowed_statuses: list[str] = ["active", "archived"]
    upstream_token: SecretStr | None = None
    request_timeout_seconds: float = Field(10.0, gt=0)

    @field_validator("database_url")
    @classmethod
    def check_database_url(cls, value: str) -> str:
        """Only SQLite and PostgreSQL URLs are supported."""
        if not value.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg://")):
            raise ValueError("database_url must be a sqlite or postgresql URL")
        return value
'''

_SETTINGS_TAIL = '''

@lru_cache(maxsize=1)
def get_{{snake}}_settings() -> {{pascal}}ServiceSettings:
    """The settings, read once per process."""
    return {{pascal}}ServiceSettings()
'''

_SETTINGS = '''
"""Configuration of the {{words}} service from {{upper}}_* environment variables or .env (pydantic-settings)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class {{pascal}}ServiceSettings(BaseSettings):
    """Settings of the {{words_plural}} service; each field can be set as {{upper}}_<FIELD NAME>."""

    model_config = SettingsConfigDict(
        env_prefix="{{upper}}_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )
''' + _SETTINGS_FIELDS + _SETTINGS_TAIL

_SETTINGS_TOML = '''
"""Configuration of the {{words}} service read from {{snake}}_service.toml only (pydantic-settings)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class {{pascal}}ServiceSettings(BaseSettings):
    """Settings of the {{words_plural}} service, taken from the TOML file; environment variables are ignored."""

    model_config = SettingsConfigDict(toml_file="{{snake}}_service.toml", extra="ignore", frozen=True)
''' + _SETTINGS_FIELDS + '''
    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Constructor arguments first, then the TOML file; nothing from the environment."""
        return (init_settings, TomlConfigSettingsSource(settings_cls))
''' + _SETTINGS_TAIL


def _settings_common(f: Forms) -> list[str]:
    p = f["pascal"]
    return [
        "from pydantic_settings import",
        f"class {p}ServiceSettings(BaseSettings):",
        f'database_url: str = "sqlite:///./{f["snake_plural"]}.db"',
        "page_size: int = Field(50, ge=1, le=500)",
        f"def get_{f['snake']}_settings() -> {p}ServiceSettings:",
        "@lru_cache(maxsize=1)",
    ]


# ==========================================================================
# FAMILIES
# ==========================================================================

FAMILIES: list[Family] = [
    Family(
        name="sqlalchemy-core-table",
        stack=("python", "sqlalchemy"),
        tasks=(
            "SQLAlchemy Core table + queries for {words_plural}",
            "Hey, could you define a `{snake_plural}` table with SQLAlchemy Core (not the ORM, just Table and "
            "MetaData) and a few functions to insert, fetch, list, update the status of and delete rows? Thanks!",
            "Requirements for {pascal} persistence:\n- a sqlalchemy Table on a shared MetaData\n- create / get by "
            "id / list by status / set status / delete\n- plain Engine connections, no declarative models",
            "Can you write the data layer for {words_plural} using SQLAlchemy's Core expression language rather "
            "than mapped classes?",
            "Rows of {words_plural} should be stored in a Core `Table` and accessed through insert(), select(), "
            "update() and delete() statements; please write that module.",
            "{sentence} table in sqlalchemy core w/ CRUD helper functions, engine.begin() transactions",
        ),
        code=_code("acme/db/{{snake}}_table.py", _CORE),
        must=lambda f: _core_common(f) + [
            "from sqlalchemy.engine import Engine",
            f"def get_{f['snake']}(engine: Engine, {f['snake']}_id: int)",
            "    with engine.begin() as conn:",
        ],
        must_not=("AsyncEngine", "async def", "DeclarativeBase", "declarative_base", "Mapped[", "sessionmaker"),
        entities=("line item", "sensor reading", "vendor", "loan application", "tax category", "alumnus"),
    ),
    Family(
        name="jinja2-html-report",
        stack=("python", "jinja2"),
        tasks=(
            "Jinja2 HTML report for {words_plural}",
            "Hi there! Could you put together a little module that renders our {words_plural} as an HTML table "
            "page with Jinja2? Name, status, amount, a row count and the date; autoescaping on please. Thanks!",
            "render_{snake_plural}_report(rows) -> str: a Jinja2 Environment, the template kept in the module, "
            "HTML escaped, plus a helper that writes the page to disk",
            "Can you generate an HTML page listing every {words} with jinja2 templates?",
            "A printable web page of {title_plural} is needed: a Jinja2 template (select_autoescape) rendered to "
            "an .html file.",
            "Turn a list of {pascal} dicts into an HTML summary table using jinja2",
        ),
        code=_code("acme/reports/{{snake}}_report.py", _REPORT),
        must=lambda f: _report_common(f) + [
            "DictLoader(",
            'autoescape=select_autoescape(["html"])',
            f'_env.get_template("{f["snake_plural"]}.html")',
        ],
        must_not=("SandboxedEnvironment", "from_string(", "user_template"),
        entities=("status report", "time entry", "warranty", "field service visit", "contact person", "ferry"),
    ),
    Family(
        name="csv-summary-report",
        stack=("python", "csv"),
        tasks=(
            "csv module report: totals of {words_plural} per status",
            "Hey! Could you write a script that reads {snake_plural}.csv with the csv module, adds up the count "
            "and amount per status, and writes a summary CSV with a TOTAL row? No pandas please, thanks!",
            "{sentence} summary report:\n* input: CSV export (id,name,status,amount)\n* group by status: count, "
            "total, average\n* output: {snake}_summary.csv via csv.DictWriter",
            "Can you summarize a CSV of {words_plural} by status using only the standard library and save the "
            "result as CSV?",
            "The per-status totals of our {words} export should be computed with csv.DictReader and written back "
            "out as a CSV file.",
            "stdlib csv: aggregate {pascal} rows (count / sum / mean amount by status) -> summary csv",
        ),
        code=_code("scripts/{{snake}}_summary.py", _CSV_SUMMARY),
        must=lambda f: _csv_common(f) + [
            "csv.DictWriter(handle, fieldnames=FIELDS)",
            f'path = out_dir / "{f["snake"]}_summary.csv"',
            'writer.writerow(_row("TOTAL", grand))',
        ],
        must_not=("import json", "json.dump", "pandas"),
        entities=("time entry", "shipping box", "warranty", "parking permit", "sensor reading", "vendor"),
    ),
    Family(
        name="argparse-json-cli",
        stack=("python", "argparse"),
        tasks=(
            "argparse CLI to add/list/remove {words_plural} in a JSON file",
            "Hi! Could you write a small command-line tool with argparse for managing {words_plural}? Subcommands "
            "add, list (with a --status filter) and remove by id; keep the data in a local JSON file. Thanks a lot!",
            "`{kebab_plural}` CLI:\n- argparse subcommands: add NAME [--status], list [--status], remove ID\n- "
            "storage: {snake_plural}.json\n- exit code 1 when the id is unknown",
            "Can you give me a stdlib-only CLI (argparse, json) that lets me create, show and delete {words} "
            "entries?",
            "{title} entries are to be managed from the terminal: write an argparse program whose records are "
            "persisted to a JSON file.",
        ),
        code=_code("cli/{{snake_plural}}_cli.py", _CLI_JSON),
        must=lambda f: _cli_common(f) + [
            "import json",
            f'DEFAULT_FILE = Path("{f["snake_plural"]}.json")',
            "json.loads(path.read_text(",
            '"--file", type=Path',
        ],
        must_not=("sqlite3", "import click", "import typer"),
        entities=("data source", "hypothesis", "user account", "parking permit", "criterion"),
    ),
    Family(
        name="dataclass-json-codec",
        stack=("python", "dataclasses", "json"),
        tasks=(
            "dataclass + JSON serialization for {words}",
            "Hey, could you write a {pascal} dataclass with a status enum, a Decimal price, tags and a created_at "
            "timestamp, plus functions to turn it into JSON and back with the json module? Thanks!",
            "Need: @dataclass {pascal}; {snake}_to_json / {snake}_from_json; Decimal -> string, datetime -> ISO "
            "8601, enum -> value; ignore unknown keys when loading",
            "Can you model a {words} as a standard-library dataclass and make it round-trip through JSON?",
            "JSON encoding and decoding for the {sentence} dataclass (stdlib json, a custom default= for Decimal "
            "and datetime)",
            "How would I serialize {words_plural} (dataclasses) to a JSON string and read one back?",
        ),
        code=_code("acme/models/{{snake}}.py", _CODEC),
        must=lambda f: _codec_common(f) + [
            "import json\n",
            f"def {f['snake']}_to_json({f['snake']}: {f['pascal']}) -> str:",
            "json.dumps(asdict(",
            "json.loads(text)",
        ],
        must_not=("_to_camel", "orjson", "pydantic", "import attr"),
        entities=(
            "line item", "warehouse transfer batch", "contact person", "ferry", "loan application", "status report",
        ),
    ),
    Family(
        name="threading-worker-pool",
        stack=("python", "threading"),
        tasks=(
            "threading worker pool for {words} jobs",
            "Hi! Could you write a fixed-size pool of worker threads that processes {words} jobs from a queue? "
            "Plain threading + queue (no Celery, no executor), a stop sentinel for shutdown, and count "
            "processed/failed jobs. Thanks!",
            "{pascal}WorkerPool:\n- N threading.Thread workers reading a bounded queue.Queue\n- submit(job), "
            "start(), shutdown() that drains the queue\n- a failing handler is logged and does not kill its worker",
            "Can you build me a small background processing pool for {words_plural} using only the threading "
            "module?",
            "Jobs for each {snake} should be handled concurrently by a handful of threads; write the pool with a "
            "graceful shutdown.",
            "multithreaded consumer for {words_plural}: queue + threads, thread-safe counters",
        ),
        code=_code("acme/workers/{{snake}}_pool.py", _POOL),
        must=_pool_threads,
        must_not=("asyncio", "ThreadPoolExecutor", "max_attempts", "celery"),
        entities=("sensor reading", "data source", "field service visit", "alumnus", "shipping box"),
    ),
    Family(
        name="pathlib-inbox-watcher",
        stack=("python", "pathlib"),
        tasks=(
            "pathlib folder watcher for incoming {words} JSON files",
            "Hey, could you write a small poller that watches an inbox folder for {words} .json files, passes each "
            "parsed file to a handler and moves it into a processed/ subfolder? Stdlib only (pathlib), no "
            "watchdog. Unreadable files can just be logged and skipped. Thanks!",
            "{pascal}InboxWatcher:\n- poll inbox/*.json every N seconds, oldest first\n- json.loads each file -> "
            "handler\n- move handled files to inbox/processed\n- invalid JSON: log a warning and skip it",
            "Can you make a directory watcher with pathlib that picks up dropped {words_plural} and archives them "
            "once handled?",
            "Files describing a {words} are dropped into a directory by another system; they should be picked up "
            "by polling, handed to a callback and moved aside afterwards.",
            "watch_{snake_plural}(inbox, handle): stdlib polling loop over *.json",
        ),
        code=_code("acme/inbox/{{snake}}_watcher.py", _WATCH),
        must=_watch_common,
        must_not=("failed_dir", "watchdog", "inotify"),
        entities=(
            "warehouse transfer batch", "time entry", "hypothesis", "tax category", "warranty", "user account",
        ),
    ),
    Family(
        name="functools-cache-layer",
        stack=("python", "functools"),
        tasks=(
            "functools caching layer for {words} lookups",
            "Hi! Could you wrap our {words} loader in a read-through cache using functools.lru_cache, with a way "
            "to clear it and to see hit/miss stats? Thanks!",
            "{pascal}Cache:\n- memoize loader(id) with functools.lru_cache(maxsize)\n- get(id), invalidate(), "
            "stats()\n- cache misses (None) too",
            "Can you add an in-process LRU cache in front of the {snake} repository lookup?",
            "Repeated fetches of the same {words} by id should be served from memory; write the caching wrapper "
            "with the standard library's lru_cache.",
        ),
        code=_code("acme/cache/{{snake}}_cache.py", _CACHE),
        must=lambda f: _cache_common(f) + [
            "import functools",
            "functools.lru_cache(maxsize=maxsize)(self._load)",
            "self._cached.cache_clear()",
        ],
        must_not=("ttl_seconds", "time.monotonic", "TTLCache"),
        entities=("tax category", "vendor", "parking permit", "contact person", "criterion"),
    ),
    Family(
        name="unittest-service-tests",
        stack=("python", "unittest"),
        tasks=(
            "unittest tests for {pascal}Service",
            "Hey, could you write unit tests for our {words} service with the standard library unittest module "
            "(not pytest)? Cover create, get, an unknown id raising {pascal}NotFound, list by status, delete and "
            "blank names. Thanks!",
            "tests/test_{snake}_service.py:\n- unittest.TestCase whose setUp builds {pascal}Service on an "
            "InMemoryRepository\n- create / get / not found / list filter / delete / validation",
            "Can you cover the {words_plural} service with stdlib unittest test cases?",
            "The {sentence} service needs a unittest suite: creation defaults, lookups, the not-found error, status "
            "filtering, deletion.",
        ),
        code=_code("tests/test_{{snake}}_service.py", _UNITTEST),
        must=lambda f: _unittest_common(f) + [
            f"class {f['pascal']}ServiceTest(unittest.TestCase):",
            "def setUp(self) -> None:",
            "def test_create_rejects_blank_name(self) -> None:",
        ],
        must_not=("import pytest", "IsolatedAsyncioTestCase", "asyncSetUp", "await "),
        entities=("loan application", "user account", "ferry", "line item", "status report", "data source"),
    ),
    Family(
        name="starlette-endpoints",
        stack=("python", "starlette"),
        tasks=(
            "Starlette routes for {words_plural}",
            "Hi! Could you write a tiny Starlette app (no FastAPI) for {words_plural}: list them with an optional "
            "status filter, get one by id, create one from JSON? An in-memory dict is fine for storage. Thanks!",
            "Endpoints on plain Starlette:\n- GET /{kebab_plural}?status=\n- GET /{kebab_plural}/<id> (404 when "
            "missing)\n- POST /{kebab_plural} (name required, 201)",
            "Can you expose {words} records over HTTP with Starlette Route objects and JSONResponse?",
            "{title_plural} should be listable, retrievable by id and creatable through a Starlette application; "
            "please write it.",
            "starlette: list_{snake_plural} / get_{snake} / create_{snake} handlers + routes",
        ),
        code=_code("acme/web/{{snake_plural}}.py", _STARLETTE),
        must=lambda f: _starlette_common(f) + ["app = Starlette(routes=routes)\n"],
        must_not=("BaseHTTPMiddleware", "X-API-Key", "middleware=", "from fastapi"),
        entities=(
            "field service visit", "alumnus", "hypothesis", "shipping box", "contact person",
            "warehouse transfer batch",
        ),
    ),
    Family(
        name="pydantic-settings-config",
        stack=("python", "pydantic-settings"),
        tasks=(
            "pydantic-settings config class for the {words} service",
            "Hey, could you write the settings class for our {words_plural} service with pydantic-settings? "
            "Database URL, page size, export dir, an upstream token, a timeout; everything overridable through "
            "{upper}_ environment variables or a .env file. Thanks!",
            "{pascal}ServiceSettings(BaseSettings):\n- env_prefix {upper}_, .env support\n- database_url "
            "(sqlite/postgres only), page_size 1..500, export_dir, enabled, upstream_token as SecretStr\n- a "
            "cached get_{snake}_settings()",
            "Can you define typed configuration for the {snake} service, read from the environment with "
            "pydantic_settings?",
            "Configuration of the {sentence} service should be loaded from env vars and validated; write it with "
            "BaseSettings.",
        ),
        code=_code("acme/config/{{snake}}_settings.py", _SETTINGS),
        must=lambda f: _settings_common(f) + [f'env_prefix="{f["upper"]}_"', 'env_file=".env"'],
        must_not=("TomlConfigSettingsSource", "toml_file", "from pydantic import BaseSettings"),
        entities=("data source", "status report", "vendor", "sensor reading", "time entry"),
    ),
]


# ==========================================================================
# NEAR MISSES: one requirement added or changed
# ==========================================================================

NEAR_MISSES: list[Family] = [
    Family(
        name="sqlalchemy-core-table-async",
        base="sqlalchemy-core-table",
        stack=("python", "sqlalchemy"),
        tasks=(
            "Async SQLAlchemy Core table + queries for {words_plural}",
            "Hey, could you define a `{snake_plural}` table with SQLAlchemy Core and async functions (AsyncEngine, "
            "aiosqlite) to insert, fetch, list, update the status of and delete rows? Thanks!",
            "Requirements for {pascal} persistence:\n- a sqlalchemy Table on a shared MetaData\n- create / get / "
            "list / set status / delete as coroutines\n- AsyncEngine connections via `async with engine.begin()`",
            "Can you write an asyncio-friendly data layer for {words_plural} using SQLAlchemy Core (no ORM), "
            "awaiting every query?",
            "{sentence} table in sqlalchemy core w/ async CRUD helpers on create_async_engine",
        ),
        code=_code("acme/db/{{snake}}_table.py", _CORE_ASYNC),
        must=lambda f: _core_common(f) + [
            "from sqlalchemy.ext.asyncio import AsyncEngine",
            f"async def get_{f['snake']}(engine: AsyncEngine, {f['snake']}_id: int)",
            "async with engine.begin() as conn:",
            "await conn.run_sync(metadata.create_all)",
        ],
        must_not=("from sqlalchemy.engine import Engine", "DeclarativeBase", "Mapped["),
        entities=("line item", "data source", "criterion"),
    ),
    Family(
        name="jinja2-html-report-sandboxed",
        base="jinja2-html-report",
        stack=("python", "jinja2"),
        tasks=(
            "Jinja2 HTML report for {words_plural} where users supply the template, rendered in a sandbox",
            "Hi there! Our admins want to edit the {words} report template themselves in the UI. Could you render "
            "their template string with Jinja2 safely (SandboxedEnvironment, unsafe templates rejected) into an "
            "HTML table page? Thanks!",
            "render_{snake_plural}_report(rows, user_template): untrusted Jinja2 source, a sandboxed environment, "
            "SecurityError turned into a clear error",
            "Can you generate an HTML page of {words_plural} from a customer-editable jinja2 template without "
            "letting the template reach Python internals?",
            "Untrusted templates for {title} reports must be rendered in the Jinja2 sandbox; write the renderer "
            "with a size limit and autoescape.",
        ),
        code=_code("acme/reports/{{snake}}_report.py", _REPORT_SANDBOXED),
        must=lambda f: _report_common(f) + [
            "from jinja2.sandbox import SandboxedEnvironment",
            "_sandbox = SandboxedEnvironment(autoescape=True",
            "except SecurityError as exc:",
            "_sandbox.from_string(source)",
            f"class {f['pascal']}TemplateError(ValueError):",
        ],
        must_not=("DictLoader(", "get_template("),
        entities=("status report", "parking permit", "vendor"),
        sensitive=True,
    ),
    Family(
        name="csv-summary-report-json",
        base="csv-summary-report",
        stack=("python", "csv"),
        tasks=(
            "csv module report: totals of {words_plural} per status, written as JSON",
            "Hey! Could you write a script that reads {snake_plural}.csv with the csv module, adds up the count "
            "and amount per status, and writes the summary as a JSON document instead of a CSV? Thanks!",
            "{sentence} summary report:\n* input: CSV export (id,name,status,amount)\n* group by status: count, "
            "total, average\n* output: {snake}_summary.json (json.dump)",
            "Can you summarize a CSV of {words_plural} by status using only the standard library and save the "
            "result as a JSON file for our dashboard?",
            "stdlib csv in, JSON out: aggregate {pascal} rows (count / sum / mean amount by status) -> summary json",
        ),
        code=_code("scripts/{{snake}}_summary.py", _CSV_SUMMARY_JSON),
        must=lambda f: _csv_common(f) + [
            "import json",
            "json.dump(document, handle",
            f'path = out_dir / "{f["snake"]}_summary.json"',
        ],
        must_not=("csv.DictWriter(", "pandas"),
        entities=("time entry", "shipping box", "loan application"),
    ),
    Family(
        name="argparse-sqlite-cli",
        base="argparse-json-cli",
        stack=("python", "argparse"),
        tasks=(
            "argparse CLI to add/list/remove {words_plural} in a SQLite database",
            "Hi! Could you write a small command-line tool with argparse for managing {words_plural}? Subcommands "
            "add, list (with --status) and remove by id; store them in a sqlite3 database file, not JSON. Thanks "
            "a lot!",
            "`{kebab_plural}` CLI:\n- argparse subcommands: add NAME [--status], list [--status], remove ID\n- "
            "storage: sqlite3 table {snake_plural} in {snake_plural}.db\n- exit code 1 when the id is unknown",
            "Can you give me a stdlib-only CLI (argparse + sqlite3) that lets me create, show and delete {words} "
            "records?",
            "{title} records are to be managed from the terminal: write an argparse program that persists them in "
            "a local SQLite table.",
        ),
        code=_code("cli/{{snake_plural}}_cli.py", _CLI_SQLITE),
        must=lambda f: _cli_common(f) + [
            "import sqlite3",
            f"CREATE TABLE IF NOT EXISTS {f['snake_plural']} (",
            f'DEFAULT_DB = Path("{f["snake_plural"]}.db")',
            f'"DELETE FROM {f["snake_plural"]} WHERE id = ?"',
        ],
        must_not=("import json", "json.loads(", "import click"),
        entities=("data source", "hypothesis", "tax category"),
    ),
    Family(
        name="dataclass-json-codec-camel",
        base="dataclass-json-codec",
        stack=("python", "dataclasses", "json"),
        tasks=(
            "dataclass + JSON serialization for {words} with camelCase keys",
            "Hey, could you write a {pascal} dataclass (status enum, Decimal price, tags, created_at) plus JSON "
            "to/from functions? The JS frontend expects camelCase keys like unitPrice and createdAt, while the "
            "Python fields stay snake_case. Thanks!",
            "Need: @dataclass {pascal}; {snake}_to_json / {snake}_from_json; JSON keys converted to camelCase on "
            "the way out and back to snake_case on the way in",
            "Can you model a {words} as a dataclass and make it round-trip through JSON using lowerCamelCase "
            "property names?",
            "camelCase JSON encoding and decoding for the {sentence} dataclass (stdlib json)",
        ),
        code=_code("acme/models/{{snake}}.py", _CODEC_CAMEL),
        must=lambda f: _codec_common(f) + [
            "import json\n",
            "def _to_camel(name: str) -> str:",
            "def _to_snake(name: str) -> str:",
            "_to_camel(key): value for key, value in asdict(",
            f"def {f['snake']}_to_json({f['snake']}: {f['pascal']}) -> str:",
        ],
        must_not=("orjson",),
        entities=("line item", "contact person", "sensor reading"),
    ),
    Family(
        name="dataclass-orjson-codec",
        base="dataclass-json-codec",
        stack=("python", "dataclasses", "orjson"),
        tasks=(
            "dataclass + orjson serialization for {words}",
            "Hey, could you write a {pascal} dataclass (status enum, Decimal price, tags, created_at) plus "
            "functions to turn it into JSON and back? Please use orjson rather than the json module, we need the "
            "speed. Thanks!",
            "Need: @dataclass {pascal}; {snake}_to_json returning bytes via orjson.dumps, {snake}_from_json via "
            "orjson.loads; Decimal handled in default=",
            "Can you model a {words} as a dataclass and make it round-trip through orjson?",
            "Fast JSON for the {sentence} dataclass: orjson encode/decode, sorted keys",
        ),
        code=_code("acme/models/{{snake}}.py", _CODEC_ORJSON),
        must=lambda f: _codec_common(f) + [
            "import orjson",
            f"def {f['snake']}_to_json({f['snake']}: {f['pascal']}) -> bytes:",
            "orjson.dumps(asdict(",
            "orjson.loads(data)",
            "option=orjson.OPT_SORT_KEYS",
        ],
        must_not=("import json\n", "_to_camel"),
        entities=("warehouse transfer batch", "ferry", "hypothesis"),
    ),
    Family(
        name="asyncio-worker-pool",
        base="threading-worker-pool",
        stack=("python", "asyncio"),
        tasks=(
            "asyncio worker pool for {words} jobs",
            "Hi! Could you write a fixed-size pool of asyncio worker tasks that processes {words} jobs from an "
            "asyncio.Queue? The handler is a coroutine; no threads please. Stop sentinel for shutdown, count "
            "processed/failed. Thanks!",
            "{pascal}WorkerPool (async):\n- N asyncio tasks reading a bounded asyncio.Queue\n- await submit(job), "
            "start(), shutdown() that drains the queue\n- a failing coroutine handler is logged and does not kill "
            "its worker",
            "Can you build me a small background processing pool for {words_plural} on asyncio instead of threads?",
            "Jobs for each {snake} should be awaited concurrently by a handful of asyncio tasks; write the pool "
            "with a graceful shutdown.",
        ),
        code=_code("acme/workers/{{snake}}_pool.py", _POOL_ASYNC),
        must=lambda f: _pool_common(f) + [
            "import asyncio",
            "asyncio.Queue(maxsize=workers * 10)",
            "asyncio.create_task(self._run()",
            "await asyncio.gather(*self._tasks)",
            f"async def submit(self, job: {f['pascal']}Job) -> None:",
        ],
        must_not=("import threading", "threading.Thread(", "ThreadPoolExecutor"),
        entities=("sensor reading", "field service visit", "ferry"),
    ),
    Family(
        name="threading-worker-pool-retry",
        base="threading-worker-pool",
        stack=("python", "threading"),
        tasks=(
            "threading worker pool for {words} jobs with retries",
            "Hi! Could you write a fixed-size pool of worker threads that processes {words} jobs from a queue? "
            "Plain threading + queue, a stop sentinel, and a failing job retried up to 3 times with a growing "
            "pause before it counts as failed. Thanks!",
            "{pascal}WorkerPool:\n- N threading.Thread workers reading a bounded queue.Queue\n- submit(job), "
            "start(), shutdown()\n- each job is attempted max_attempts times (linear backoff) before it is "
            "recorded as failed",
            "Can you build me a background processing pool for {words_plural} using only the threading module, "
            "where flaky jobs get retried a few times?",
            "multithreaded consumer for {words_plural}: queue + threads, retry with backoff on handler errors",
        ),
        code=_code("acme/workers/{{snake}}_pool.py", _POOL_RETRY),
        must=lambda f: _pool_threads(f) + [
            "for attempt in range(1, self.max_attempts + 1):",
            "max_attempts: int = 3",
            "time.sleep(self.backoff_seconds * attempt)",
        ],
        must_not=("asyncio", "ThreadPoolExecutor"),
        entities=("data source", "alumnus", "warranty"),
    ),
    Family(
        name="pathlib-inbox-watcher-quarantine",
        base="pathlib-inbox-watcher",
        stack=("python", "pathlib"),
        tasks=(
            "pathlib folder watcher for incoming {words} JSON files, quarantining bad files in failed/",
            "Hey, could you write a small poller that watches an inbox folder for {words} .json files, passes each "
            "parsed file to a handler and moves it into processed/? Files that are not valid JSON must be moved "
            "into a failed/ subfolder. Stdlib only. Thanks!",
            "{pascal}InboxWatcher:\n- poll inbox/*.json every N seconds, oldest first\n- json.loads each file -> "
            "handler\n- move handled files to inbox/processed\n- invalid JSON: move the file to inbox/failed",
            "Can you make a directory watcher with pathlib that picks up dropped {words_plural}, archives them once "
            "handled and moves unparseable ones to a failed folder?",
            "watch_{snake_plural}(inbox, handle): stdlib polling loop over *.json, broken files go to failed/",
        ),
        code=_code("acme/inbox/{{snake}}_watcher.py", _WATCH_FAILED),
        must=lambda f: _watch_common(f) + [
            'self.failed_dir = inbox / "failed"',
            "path.replace(self.failed_dir / path.name)",
        ],
        must_not=("_skipped", "watchdog"),
        entities=("warehouse transfer batch", "time entry", "criterion"),
    ),
    Family(
        name="functools-cache-layer-ttl",
        base="functools-cache-layer",
        stack=("python", "functools"),
        tasks=(
            "caching layer for {words} lookups with a time-to-live",
            "Hi! Could you wrap our {words} loader in a read-through cache where each entry expires after "
            "ttl_seconds (stdlib only, time.monotonic), with a way to clear it and hit/miss stats? Thanks!",
            "{pascal}Cache:\n- memoize loader(id), at most maxsize entries\n- every entry expires ttl_seconds after "
            "it was loaded\n- get(id), invalidate(), stats()",
            "Can you add an in-process cache in front of the {snake} repository lookup whose entries go stale "
            "after a minute?",
            "Repeated fetches of the same {words} by id should be served from memory, but no longer than N seconds "
            "after loading; write that expiring cache.",
        ),
        code=_code("acme/cache/{{snake}}_cache.py", _CACHE_TTL),
        must=lambda f: _cache_common(f) + [
            "self.ttl_seconds = ttl_seconds",
            "now = time.monotonic()",
            "(now + self.ttl_seconds, value)",
            "entry[0] > now",
        ],
        must_not=("lru_cache",),
        entities=("tax category", "vendor", "user account"),
    ),
    Family(
        name="unittest-async-service-tests",
        base="unittest-service-tests",
        stack=("python", "unittest"),
        tasks=(
            "unittest tests for the async {pascal}Service",
            "Hey, could you write unit tests for our {words} service, whose methods are all coroutines now, with "
            "the standard library unittest module (IsolatedAsyncioTestCase, not pytest)? Cover create, get, an "
            "unknown id, list by status and delete. Thanks!",
            "tests/test_{snake}_service.py:\n- unittest.IsolatedAsyncioTestCase whose asyncSetUp builds the async "
            "{pascal}Service\n- await create / get / not found / list filter / delete",
            "Can you cover the asyncio-based {words_plural} service with stdlib unittest test cases?",
            "The {sentence} service is async (every method is awaited); it needs a unittest suite covering "
            "creation, lookups, not-found, filtering and deletion.",
        ),
        code=_code("tests/test_{{snake}}_service.py", _UNITTEST_ASYNC),
        must=lambda f: _unittest_common(f) + [
            f"class {f['pascal']}ServiceTest(unittest.IsolatedAsyncioTestCase):",
            "async def asyncSetUp(self) -> None:",
            "await self.service.get(",
            "await self.service.create(",
        ],
        must_not=("import pytest", "def setUp(self)"),
        entities=("loan application", "ferry", "status report"),
    ),
    Family(
        name="starlette-endpoints-api-key",
        base="starlette-endpoints",
        stack=("python", "starlette"),
        tasks=(
            "Starlette routes for {words_plural}, protected by an API key header",
            "Hi! Could you write a tiny Starlette app for {words_plural} (list with a status filter, get by id, "
            "create from JSON, in-memory storage) where every request must carry a valid X-API-Key header, "
            "checked by middleware against {upper}_API_KEYS? Thanks!",
            "Endpoints on plain Starlette:\n- GET /{kebab_plural}?status=\n- GET /{kebab_plural}/<id>\n- POST "
            "/{kebab_plural}\n- middleware: 401 unless X-API-Key matches a configured key (constant-time compare)",
            "Can you expose {words} records over HTTP with Starlette, but reject callers without a valid API key?",
            "{title_plural} should be listable, retrievable and creatable through a Starlette application that "
            "only API-key holders may call.",
        ),
        code=_code("acme/web/{{snake_plural}}.py", _STARLETTE_API_KEY),
        must=lambda f: _starlette_common(f) + [
            "class ApiKeyMiddleware(BaseHTTPMiddleware):",
            'HEADER_NAME = "X-API-Key"',
            "hmac.compare_digest(",
            "status_code=401",
            "middleware=[Middleware(ApiKeyMiddleware)]",
            f'os.environ.get("{f["upper"]}_API_KEYS"',
        ],
        must_not=("from fastapi",),
        entities=("field service visit", "alumnus", "contact person"),
        sensitive=True,
    ),
    Family(
        name="pydantic-settings-toml",
        base="pydantic-settings-config",
        stack=("python", "pydantic-settings"),
        tasks=(
            "pydantic-settings config class for the {words} service, loaded from a TOML file",
            "Hey, could you write the settings class for our {words_plural} service with pydantic-settings? "
            "Database URL, page size, export dir, an upstream token, a timeout; read them from "
            "{snake}_service.toml and ignore environment variables. Thanks!",
            "{pascal}ServiceSettings(BaseSettings):\n- source: {snake}_service.toml only "
            "(TomlConfigSettingsSource), no env vars\n- database_url, page_size 1..500, export_dir, enabled, "
            "upstream_token\n- a cached get_{snake}_settings()",
            "Can you define typed configuration for the {snake} service, read from a TOML file with "
            "pydantic_settings?",
            "Configuration of the {sentence} service should be loaded from a .toml config file (not the "
            "environment) and validated; write it with BaseSettings.",
        ),
        code=_code("acme/config/{{snake}}_settings.py", _SETTINGS_TOML),
        must=lambda f: _settings_common(f) + [
            f'toml_file="{f["snake"]}_service.toml"',
            "TomlConfigSettingsSource(settings_cls)",
            "def settings_customise_sources(",
        ],
        must_not=("env_prefix=", "env_file="),
        entities=("data source", "sensor reading", "parking permit"),
    ),
]
