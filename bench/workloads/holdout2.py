"""Second blind hold-out workload for the template-learning benchmark.

Written without looking at the engine (only the harness ``bench/learning.py`` and the interface of
``holdout.py`` were read). Ten jobs a coding agent asks for in everyday Python work, on ten different stacks
(FastAPI search endpoint, stdlib sqlite3 store, click JSON export, attrs domain model, requests cursor sync,
pandas cleaning script, asyncio bounded push, logging audit trail, hashed API keys, pydantic payload
validation), each with paraphrases, a reference answer per entity and the strings a correct answer must (and
must not) contain. Thirteen near misses change exactly one requirement of a base family (async vs sync,
pydantic v1 vs v2, pagination, soft delete, admins only, import vs export, retries, caching, CSV vs JSON,
immutability, chunked reading, PII redaction, key expiry).

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
# 1. FastAPI search endpoint (+ admins only, + cached results)
# ==========================================================================

_SEARCH = '''
"""Search endpoint for {{words_plural}}: free-text query, status filter and sorting."""
from typing import Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.database import get_session
from app.models import {{pascal}}

router = APIRouter(prefix="/{{kebab_plural}}", tags=["{{words_plural}}"])

MAX_RESULTS = 50
SORTABLE = {"name": {{pascal}}.name, "created_at": {{pascal}}.created_at}


class {{pascal}}Hit(BaseModel):
    """One {{words}} in a search result."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    status: str


@router.get("/search", response_model=list[{{pascal}}Hit])
def search_{{snake_plural}}(
    q: str = Query("", max_length=100, description="Text matched against name and description"),
    status_filter: str | None = Query(None, alias="status"),
    sort: Literal["name", "created_at"] = "created_at",
    descending: bool = True,
    session: Session = Depends(get_session),
) -> list[{{pascal}}]:
    """Find {{words_plural}} whose name or description contains `q` (case-insensitive)."""
    stmt = select({{pascal}})
    if q:
        pattern = f"%{q}%"
        stmt = stmt.where(or_({{pascal}}.name.ilike(pattern), {{pascal}}.description.ilike(pattern)))
    if status_filter is not None:
        stmt = stmt.where({{pascal}}.status == status_filter)
    column = SORTABLE[sort]
    stmt = stmt.order_by(column.desc() if descending else column.asc()).limit(MAX_RESULTS)
    return list(session.scalars(stmt))
'''

_SEARCH_ADMIN = '''
"""Search endpoint for {{words_plural}}, restricted to administrators."""
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.auth import User, get_current_user
from app.database import get_session
from app.models import {{pascal}}

MAX_RESULTS = 50
SORTABLE = {"name": {{pascal}}.name, "created_at": {{pascal}}.created_at}


def require_admin(user: User = Depends(get_current_user)) -> User:
    """Let administrators through; any other authenticated user gets 403."""
    if not user.is_admin:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Administrators only")
    return user


router = APIRouter(prefix="/{{kebab_plural}}", tags=["{{words_plural}}"], dependencies=[Depends(require_admin)])


class {{pascal}}Hit(BaseModel):
    """One {{words}} in a search result."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    status: str


@router.get("/search", response_model=list[{{pascal}}Hit])
def search_{{snake_plural}}(
    q: str = Query("", max_length=100, description="Text matched against name and description"),
    status_filter: str | None = Query(None, alias="status"),
    sort: Literal["name", "created_at"] = "created_at",
    descending: bool = True,
    session: Session = Depends(get_session),
) -> list[{{pascal}}]:
    """Find {{words_plural}} whose name or description contains `q`; admins only."""
    stmt = select({{pascal}})
    if q:
        pattern = f"%{q}%"
        stmt = stmt.where(or_({{pascal}}.name.ilike(pattern), {{pascal}}.description.ilike(pattern)))
    if status_filter is not None:
        stmt = stmt.where({{pascal}}.status == status_filter)
    column = SORTABLE[sort]
    stmt = stmt.order_by(column.desc() if descending else column.asc()).limit(MAX_RESULTS)
    return list(session.scalars(stmt))
'''

_SEARCH_CACHED = '''
"""Search endpoint for {{words_plural}}; identical searches are answered from a 60-second cache."""
from typing import Literal

from cachetools import TTLCache
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.database import get_session
from app.models import {{pascal}}

router = APIRouter(prefix="/{{kebab_plural}}", tags=["{{words_plural}}"])

MAX_RESULTS = 50
SEARCH_CACHE_SECONDS = 60
SORTABLE = {"name": {{pascal}}.name, "created_at": {{pascal}}.created_at}
_search_cache: TTLCache = TTLCache(maxsize=512, ttl=SEARCH_CACHE_SECONDS)


class {{pascal}}Hit(BaseModel):
    """One {{words}} in a search result."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    status: str


@router.get("/search", response_model=list[{{pascal}}Hit])
def search_{{snake_plural}}(
    q: str = Query("", max_length=100, description="Text matched against name and description"),
    status_filter: str | None = Query(None, alias="status"),
    sort: Literal["name", "created_at"] = "created_at",
    descending: bool = True,
    session: Session = Depends(get_session),
) -> list[{{pascal}}Hit]:
    """Find {{words_plural}} whose name or description contains `q`; cached per query."""
    key = (q.lower(), status_filter, sort, descending)
    if key in _search_cache:
        return _search_cache[key]
    stmt = select({{pascal}})
    if q:
        pattern = f"%{q}%"
        stmt = stmt.where(or_({{pascal}}.name.ilike(pattern), {{pascal}}.description.ilike(pattern)))
    if status_filter is not None:
        stmt = stmt.where({{pascal}}.status == status_filter)
    column = SORTABLE[sort]
    stmt = stmt.order_by(column.desc() if descending else column.asc()).limit(MAX_RESULTS)
    hits = [{{pascal}}Hit.model_validate(row) for row in session.scalars(stmt)]
    _search_cache[key] = hits
    return hits
'''


def _search_common(f: Forms) -> list[str]:
    return [
        f'APIRouter(prefix="/{f["kebab_plural"]}"',
        '@router.get("/search"',
        f"def search_{f['snake_plural']}(",
        f"class {f['pascal']}Hit(BaseModel)",
        f"stmt = select({f['pascal']})",
        f"{f['pascal']}.name.ilike(pattern)",
        "MAX_RESULTS",
    ]


# ==========================================================================
# 2. stdlib sqlite3 store (+ soft delete, + pagination)
# ==========================================================================

_STORE = '''
"""Data access for {{words_plural}} on the standard-library sqlite3 module."""
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

SCHEMA = """
CREATE TABLE IF NOT EXISTS {{snake_plural}} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
)
"""


@dataclass
class {{pascal}}:
    """One {{words}} row."""

    id: int | None
    name: str
    notes: str = ""
    created_at: str = ""


class {{pascal}}Store:
    """Create, read, list and delete {{words_plural}} in a SQLite database."""

    def __init__(self, path: str = "{{snake_plural}}.db") -> None:
        self.conn = sqlite3.connect(path)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(SCHEMA)
        self.conn.commit()

    def add(self, {{snake}}: {{pascal}}) -> {{pascal}}:
        """Insert a {{words}} and return it with its new id."""
        created = datetime.now(timezone.utc).isoformat()
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO {{snake_plural}} (name, notes, created_at) VALUES (?, ?, ?)",
                ({{snake}}.name, {{snake}}.notes, created),
            )
        return {{pascal}}(cur.lastrowid, {{snake}}.name, {{snake}}.notes, created)

    def get(self, {{snake}}_id: int) -> {{pascal}} | None:
        """Return one {{words}} by id, or None."""
        row = self.conn.execute("SELECT * FROM {{snake_plural}} WHERE id = ?", ({{snake}}_id,)).fetchone()
        return {{pascal}}(**dict(row)) if row else None

    def list_all(self) -> list[{{pascal}}]:
        """Every {{words}}, oldest first."""
        rows = self.conn.execute("SELECT * FROM {{snake_plural}} ORDER BY id").fetchall()
        return [{{pascal}}(**dict(row)) for row in rows]

    def delete(self, {{snake}}_id: int) -> bool:
        """Remove a {{words}} for good; True if a row was deleted."""
        with self.conn:
            cur = self.conn.execute("DELETE FROM {{snake_plural}} WHERE id = ?", ({{snake}}_id,))
        return cur.rowcount > 0

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
'''

_STORE_SOFT = '''
"""Data access for {{words_plural}} on sqlite3; delete only stamps deleted_at (soft delete)."""
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

SCHEMA = """
CREATE TABLE IF NOT EXISTS {{snake_plural}} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    deleted_at TEXT
)
"""


@dataclass
class {{pascal}}:
    """One {{words}} row; deleted_at is set once it has been soft-deleted."""

    id: int | None
    name: str
    notes: str = ""
    created_at: str = ""
    deleted_at: str | None = None


class {{pascal}}Store:
    """Create, read, list and soft-delete {{words_plural}} in a SQLite database."""

    def __init__(self, path: str = "{{snake_plural}}.db") -> None:
        self.conn = sqlite3.connect(path)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(SCHEMA)
        self.conn.commit()

    def add(self, {{snake}}: {{pascal}}) -> {{pascal}}:
        """Insert a {{words}} and return it with its new id."""
        created = datetime.now(timezone.utc).isoformat()
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO {{snake_plural}} (name, notes, created_at) VALUES (?, ?, ?)",
                ({{snake}}.name, {{snake}}.notes, created),
            )
        return {{pascal}}(cur.lastrowid, {{snake}}.name, {{snake}}.notes, created)

    def get(self, {{snake}}_id: int) -> {{pascal}} | None:
        """Return one live {{words}} by id, or None (also when soft-deleted)."""
        row = self.conn.execute(
            "SELECT * FROM {{snake_plural}} WHERE id = ? AND deleted_at IS NULL", ({{snake}}_id,)
        ).fetchone()
        return {{pascal}}(**dict(row)) if row else None

    def list_all(self) -> list[{{pascal}}]:
        """Every live {{words}}, oldest first."""
        rows = self.conn.execute("SELECT * FROM {{snake_plural}} WHERE deleted_at IS NULL ORDER BY id").fetchall()
        return [{{pascal}}(**dict(row)) for row in rows]

    def delete(self, {{snake}}_id: int) -> bool:
        """Soft-delete a {{words}}: the row stays, deleted_at is stamped. True if it was live."""
        with self.conn:
            cur = self.conn.execute(
                "UPDATE {{snake_plural}} SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                (datetime.now(timezone.utc).isoformat(), {{snake}}_id),
            )
        return cur.rowcount > 0

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
'''

_STORE_PAGED = '''
"""Data access for {{words_plural}} on sqlite3, with page-by-page listing."""
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone

MAX_PER_PAGE = 100
SCHEMA = """
CREATE TABLE IF NOT EXISTS {{snake_plural}} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
)
"""


@dataclass
class {{pascal}}:
    """One {{words}} row."""

    id: int | None
    name: str
    notes: str = ""
    created_at: str = ""


@dataclass
class {{pascal}}Page:
    """One page of {{words_plural}} plus the totals a client needs to page on."""

    page: int
    per_page: int
    total: int
    items: list[{{pascal}}] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """How many pages there are in all."""
        return max(1, -(-self.total // self.per_page))


class {{pascal}}Store:
    """Create, read, page through and delete {{words_plural}} in a SQLite database."""

    def __init__(self, path: str = "{{snake_plural}}.db") -> None:
        self.conn = sqlite3.connect(path)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(SCHEMA)
        self.conn.commit()

    def add(self, {{snake}}: {{pascal}}) -> {{pascal}}:
        """Insert a {{words}} and return it with its new id."""
        created = datetime.now(timezone.utc).isoformat()
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO {{snake_plural}} (name, notes, created_at) VALUES (?, ?, ?)",
                ({{snake}}.name, {{snake}}.notes, created),
            )
        return {{pascal}}(cur.lastrowid, {{snake}}.name, {{snake}}.notes, created)

    def get(self, {{snake}}_id: int) -> {{pascal}} | None:
        """Return one {{words}} by id, or None."""
        row = self.conn.execute("SELECT * FROM {{snake_plural}} WHERE id = ?", ({{snake}}_id,)).fetchone()
        return {{pascal}}(**dict(row)) if row else None

    def list_page(self, page: int = 1, per_page: int = 20) -> {{pascal}}Page:
        """One page of {{words_plural}} (1-based), oldest first."""
        page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
        total = self.conn.execute("SELECT COUNT(*) FROM {{snake_plural}}").fetchone()[0]
        rows = self.conn.execute(
            "SELECT * FROM {{snake_plural}} ORDER BY id LIMIT ? OFFSET ?", (per_page, (page - 1) * per_page)
        ).fetchall()
        return {{pascal}}Page(page, per_page, total, [{{pascal}}(**dict(row)) for row in rows])

    def delete(self, {{snake}}_id: int) -> bool:
        """Remove a {{words}} for good; True if a row was deleted."""
        with self.conn:
            cur = self.conn.execute("DELETE FROM {{snake_plural}} WHERE id = ?", ({{snake}}_id,))
        return cur.rowcount > 0
'''


def _store_common(f: Forms) -> list[str]:
    return [
        "import sqlite3",
        f"class {f['pascal']}Store:",
        f"CREATE TABLE IF NOT EXISTS {f['snake_plural']} (",
        f'"INSERT INTO {f["snake_plural"]} (name, notes, created_at) VALUES (?, ?, ?)"',
        "sqlite3.Row",
        f'path: str = "{f["snake_plural"]}.db"',
    ]


# ==========================================================================
# 3. click export command, JSON (+ CSV output, + import instead of export)
# ==========================================================================

_EXPORT_JSON = '''
"""`export-{{kebab_plural}}` command: dump {{words_plural}} from SQLite to a JSON file."""
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import click

COLUMNS = ("id", "name", "status", "created_at")


def fetch_{{snake_plural}}(db: Path, since: date | None) -> list[dict[str, object]]:
    """Rows of the {{snake_plural}} table, optionally only those created on or after `since`."""
    query = f"SELECT {', '.join(COLUMNS)} FROM {{snake_plural}}"
    params: tuple[str, ...] = ()
    if since is not None:
        query += " WHERE created_at >= ?"
        params = (since.isoformat(),)
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(query + " ORDER BY id", params)]


@click.command(name="export-{{kebab_plural}}")
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path), default="app.db")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only {{words_plural}} created since.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default="{{kebab_plural}}.json")
@click.option("--indent", type=int, default=2, show_default=True, help="JSON indentation.")
def export_{{snake_plural}}(db: Path, since: datetime | None, output: Path, indent: int) -> None:
    """Export {{words_plural}} to a JSON array, one object per {{words}}."""
    rows = fetch_{{snake_plural}}(db, since.date() if since else None)
    output.write_text(json.dumps(rows, indent=indent, default=str), encoding="utf-8")
    click.echo(f"Exported {len(rows)} {{words_plural}} to {output}")


if __name__ == "__main__":
    export_{{snake_plural}}()
'''

_EXPORT_CSV = '''
"""`export-{{kebab_plural}}` command: dump {{words_plural}} from SQLite to a CSV file."""
import csv
import sqlite3
from datetime import date, datetime
from pathlib import Path

import click

COLUMNS = ("id", "name", "status", "created_at")


def fetch_{{snake_plural}}(db: Path, since: date | None) -> list[dict[str, object]]:
    """Rows of the {{snake_plural}} table, optionally only those created on or after `since`."""
    query = f"SELECT {', '.join(COLUMNS)} FROM {{snake_plural}}"
    params: tuple[str, ...] = ()
    if since is not None:
        query += " WHERE created_at >= ?"
        params = (since.isoformat(),)
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(query + " ORDER BY id", params)]


@click.command(name="export-{{kebab_plural}}")
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path), default="app.db")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only {{words_plural}} created since.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default="{{kebab_plural}}.csv")
@click.option("--delimiter", default=",", show_default=True, help="CSV field separator.")
def export_{{snake_plural}}(db: Path, since: datetime | None, output: Path, delimiter: str) -> None:
    """Export {{words_plural}} to a CSV file: a header row, then one line per {{words}}."""
    rows = fetch_{{snake_plural}}(db, since.date() if since else None)
    with output.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    click.echo(f"Exported {len(rows)} {{words_plural}} to {output}")


if __name__ == "__main__":
    export_{{snake_plural}}()
'''

_IMPORT_JSON = '''
"""`import-{{kebab_plural}}` command: load {{words_plural}} from a JSON file into SQLite."""
import json
import sqlite3
from pathlib import Path

import click

REQUIRED = ("name", "status", "created_at")


def validate_rows(rows: object) -> list[tuple[str, str, str]]:
    """Check the parsed JSON is a list of {{words}} objects with every required key."""
    if not isinstance(rows, list):
        raise click.BadParameter("expected a JSON array of {{words_plural}}")
    values = []
    for number, row in enumerate(rows, start=1):
        missing = [key for key in REQUIRED if not isinstance(row, dict) or key not in row]
        if missing:
            raise click.BadParameter(f"{{sentence}} #{number} lacks {', '.join(missing)}")
        values.append(tuple(str(row[key]) for key in REQUIRED))
    return values


@click.command(name="import-{{kebab_plural}}")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="app.db", show_default=True)
@click.option("--dry-run", is_flag=True, help="Validate only, write nothing.")
def import_{{snake_plural}}(source: Path, db: Path, dry_run: bool) -> None:
    """Insert every {{words}} of a JSON array file into the {{snake_plural}} table."""
    values = validate_rows(json.loads(source.read_text(encoding="utf-8")))
    if dry_run:
        click.echo(f"{len(values)} {{words_plural}} are valid; nothing written")
        return
    with sqlite3.connect(db) as conn:
        conn.executemany("INSERT INTO {{snake_plural}} (name, status, created_at) VALUES (?, ?, ?)", values)
    click.echo(f"Imported {len(values)} {{words_plural}} into {db}")


if __name__ == "__main__":
    import_{{snake_plural}}()
'''


# ==========================================================================
# 4. attrs domain model (+ immutable / frozen)
# ==========================================================================

_ATTRS = '''
"""The {{sentence}} domain model, built with attrs: validators, converters and dict round-trips."""
from datetime import datetime, timezone
from enum import Enum

import attrs
from attrs import define, field, validators


class {{pascal}}Priority(str, Enum):
    """How urgent a {{words}} is."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@define
class {{pascal}}:
    """A {{words}} with validated fields; mutable, compared by value."""

    reference: str = field(converter=str.strip, validator=[validators.instance_of(str), validators.min_len(1)])
    title: str = field(validator=validators.max_len(200))
    priority: {{pascal}}Priority = field(default={{pascal}}Priority.NORMAL, converter={{pascal}}Priority)
    tags: list[str] = field(factory=list)
    created_at: datetime = field(factory=_utcnow)

    @title.validator
    def _check_title(self, attribute: attrs.Attribute, value: str) -> None:
        if not value.strip():
            raise ValueError("{{sentence}} title must not be blank")

    def add_tag(self, tag: str) -> None:
        """Attach a tag to this {{words}} once."""
        if tag not in self.tags:
            self.tags.append(tag)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict of this {{words}}."""
        data = attrs.asdict(self)
        data["priority"] = self.priority.value
        data["created_at"] = self.created_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> "{{pascal}}":
        """Rebuild a {{words}} from the output of to_dict()."""
        names = {a.name for a in attrs.fields(cls)} - {"created_at"}
        kwargs = {name: data[name] for name in names if name in data}
        if "created_at" in data:
            kwargs["created_at"] = datetime.fromisoformat(str(data["created_at"]))
        return cls(**kwargs)


def parse_{{snake_plural}}(rows: list[dict[str, object]]) -> list[{{pascal}}]:
    """Build {{words_plural}} from a list of dicts, failing on the first invalid one."""
    return [{{pascal}}.from_dict(row) for row in rows]
'''

_ATTRS_FROZEN = '''
"""The {{sentence}} domain model, built with attrs as an immutable (frozen, hashable) value object."""
from datetime import datetime, timezone
from enum import Enum

import attrs
from attrs import field, frozen, validators


class {{pascal}}Priority(str, Enum):
    """How urgent a {{words}} is."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@frozen
class {{pascal}}:
    """A {{words}} with validated fields; immutable and hashable, changes return a new instance."""

    reference: str = field(converter=str.strip, validator=[validators.instance_of(str), validators.min_len(1)])
    title: str = field(validator=validators.max_len(200))
    priority: {{pascal}}Priority = field(default={{pascal}}Priority.NORMAL, converter={{pascal}}Priority)
    tags: tuple[str, ...] = field(default=(), converter=tuple)
    created_at: datetime = field(factory=_utcnow)

    @title.validator
    def _check_title(self, attribute: attrs.Attribute, value: str) -> None:
        if not value.strip():
            raise ValueError("{{sentence}} title must not be blank")

    def with_tag(self, tag: str) -> "{{pascal}}":
        """A copy of this {{words}} carrying `tag` (self if it already has it)."""
        if tag in self.tags:
            return self
        return attrs.evolve(self, tags=(*self.tags, tag))

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict of this {{words}}."""
        data = attrs.asdict(self)
        data["priority"] = self.priority.value
        data["tags"] = list(self.tags)
        data["created_at"] = self.created_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> "{{pascal}}":
        """Rebuild a {{words}} from the output of to_dict()."""
        names = {a.name for a in attrs.fields(cls)} - {"created_at"}
        kwargs = {name: data[name] for name in names if name in data}
        if "created_at" in data:
            kwargs["created_at"] = datetime.fromisoformat(str(data["created_at"]))
        return cls(**kwargs)


def parse_{{snake_plural}}(rows: list[dict[str, object]]) -> list[{{pascal}}]:
    """Build {{words_plural}} from a list of dicts, failing on the first invalid one."""
    return [{{pascal}}.from_dict(row) for row in rows]
'''


# ==========================================================================
# 5. requests cursor-paginated sync to JSON Lines (+ retries with tenacity)
# ==========================================================================

_SYNC = '''
"""Download every {{words}} from the partner API (cursor pagination) into a JSON Lines file."""
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import requests

logger = logging.getLogger(__name__)

BASE_URL = os.environ.get("PARTNER_API_URL", "https://api.example.com")
PAGE_SIZE = 100
TIMEOUT_SECONDS = 15


def iter_{{snake_plural}}(session: requests.Session) -> Iterator[dict[str, object]]:
    """Yield every {{words}}, following `next_cursor` until the last page."""
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": PAGE_SIZE}
        if cursor:
            params["cursor"] = cursor
        response = session.get(f"{BASE_URL}/v1/{{kebab_plural}}", params=params, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        page = response.json()
        yield from page["data"]
        cursor = page.get("next_cursor")
        if not cursor:
            return


def sync_{{snake_plural}}(output: Path) -> int:
    """Write all {{words_plural}} to `output`, one JSON object a line; return how many."""
    count = 0
    with requests.Session() as session, output.open("w", encoding="utf-8") as fh:
        session.headers["Accept"] = "application/json"
        for {{snake}} in iter_{{snake_plural}}(session):
            fh.write(json.dumps({{snake}}, ensure_ascii=False) + "\\n")
            count += 1
    logger.info("synced %d %s", count, "{{words_plural}}")
    return count


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sync_{{snake_plural}}(Path("{{snake_plural}}.jsonl"))
'''

_SYNC_RETRY = '''
"""Download every {{words}} from the partner API (cursor pagination) into JSON Lines, retrying failed pages."""
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import requests
from tenacity import before_sleep_log, retry, retry_if_exception, stop_after_attempt, wait_exponential

logger = logging.getLogger(__name__)

BASE_URL = os.environ.get("PARTNER_API_URL", "https://api.example.com")
PAGE_SIZE = 100
TIMEOUT_SECONDS = 15
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (requests.ConnectionError, requests.Timeout)):
        return True
    return isinstance(exc, requests.HTTPError) and exc.response is not None and exc.response.status_code in RETRY_STATUSES


@retry(
    retry=retry_if_exception(_is_transient),
    stop=stop_after_attempt(5),
    wait=wait_exponential(multiplier=0.5, max=30),
    before_sleep=before_sleep_log(logger, logging.WARNING),
    reraise=True,
)
def fetch_page(session: requests.Session, cursor: str | None) -> dict[str, object]:
    """One page of {{words_plural}}; transient failures are retried with exponential backoff."""
    params: dict[str, str | int] = {"limit": PAGE_SIZE}
    if cursor:
        params["cursor"] = cursor
    response = session.get(f"{BASE_URL}/v1/{{kebab_plural}}", params=params, timeout=TIMEOUT_SECONDS)
    response.raise_for_status()
    return response.json()


def iter_{{snake_plural}}(session: requests.Session) -> Iterator[dict[str, object]]:
    """Yield every {{words}}, following `next_cursor` until the last page."""
    cursor: str | None = None
    while True:
        page = fetch_page(session, cursor)
        yield from page["data"]
        cursor = page.get("next_cursor")
        if not cursor:
            return


def sync_{{snake_plural}}(output: Path) -> int:
    """Write all {{words_plural}} to `output`, one JSON object a line; return how many."""
    count = 0
    with requests.Session() as session, output.open("w", encoding="utf-8") as fh:
        session.headers["Accept"] = "application/json"
        for {{snake}} in iter_{{snake_plural}}(session):
            fh.write(json.dumps({{snake}}, ensure_ascii=False) + "\\n")
            count += 1
    logger.info("synced %d %s", count, "{{words_plural}}")
    return count


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sync_{{snake_plural}}(Path("{{snake_plural}}.jsonl"))
'''


def _sync_common(f: Forms) -> list[str]:
    return [
        "import requests",
        f'f"{{BASE_URL}}/v1/{f["kebab_plural"]}"',
        'page.get("next_cursor")',
        f"def iter_{f['snake_plural']}(session: requests.Session)",
        f"def sync_{f['snake_plural']}(output: Path) -> int:",
        f'Path("{f["snake_plural"]}.jsonl")',
    ]


# ==========================================================================
# 6. pandas cleaning script (+ chunked reading for big files)
# ==========================================================================

_CLEAN = '''
"""Clean a raw {{words}} CSV export with pandas: tidy headers, trim text, parse dates, drop duplicates."""
import argparse
import re
from pathlib import Path

import pandas as pd

DATE_COLUMNS = ("created_at", "updated_at")
KEY_COLUMN = "{{snake}}_id"


def _snake_case(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def clean_{{snake_plural}}(raw: pd.DataFrame) -> pd.DataFrame:
    """Return a tidy copy of the {{words_plural}} frame, one row per {{words}} (the latest kept)."""
    df = raw.rename(columns=_snake_case)
    text_columns = df.select_dtypes(include=["object", "string"]).columns
    df[text_columns] = df[text_columns].apply(lambda col: col.str.strip())
    df = df.replace({"": pd.NA})
    for column in DATE_COLUMNS:
        if column in df.columns:
            df[column] = pd.to_datetime(df[column], errors="coerce", utc=True)
    df = df.dropna(subset=[KEY_COLUMN])
    df = df.sort_values("updated_at" if "updated_at" in df.columns else KEY_COLUMN)
    return df.drop_duplicates(subset=[KEY_COLUMN], keep="last").reset_index(drop=True)


def main() -> None:
    """Read the raw CSV, clean it and write the result as CSV."""
    parser = argparse.ArgumentParser(description="Clean a {{words}} export.")
    parser.add_argument("source", type=Path)
    parser.add_argument("--output", type=Path, default=Path("{{snake_plural}}_clean.csv"))
    args = parser.parse_args()
    raw = pd.read_csv(args.source, dtype=str, keep_default_na=False)
    cleaned = clean_{{snake_plural}}(raw)
    cleaned.to_csv(args.output, index=False)
    print(f"{len(raw) - len(cleaned)} of {len(raw)} {{words_plural}} dropped; wrote {args.output}")


if __name__ == "__main__":
    main()
'''

_CLEAN_CHUNKED = '''
"""Clean a large raw {{words}} CSV export with pandas, reading it in chunks to bound memory."""
import argparse
import re
from pathlib import Path

import pandas as pd

CHUNK_ROWS = 100_000
DATE_COLUMNS = ("created_at", "updated_at")
KEY_COLUMN = "{{snake}}_id"


def _snake_case(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def clean_{{snake_plural}}(raw: pd.DataFrame) -> pd.DataFrame:
    """Return a tidy copy of one chunk of {{words_plural}}, one row per {{words}} (the latest kept)."""
    df = raw.rename(columns=_snake_case)
    text_columns = df.select_dtypes(include=["object", "string"]).columns
    df[text_columns] = df[text_columns].apply(lambda col: col.str.strip())
    df = df.replace({"": pd.NA})
    for column in DATE_COLUMNS:
        if column in df.columns:
            df[column] = pd.to_datetime(df[column], errors="coerce", utc=True)
    df = df.dropna(subset=[KEY_COLUMN])
    df = df.sort_values("updated_at" if "updated_at" in df.columns else KEY_COLUMN)
    return df.drop_duplicates(subset=[KEY_COLUMN], keep="last")


def clean_file(source: Path, chunk_rows: int = CHUNK_ROWS) -> tuple[int, pd.DataFrame]:
    """Clean `source` chunk by chunk; duplicates across chunks are dropped at the end."""
    total, parts = 0, []
    for chunk in pd.read_csv(source, dtype=str, keep_default_na=False, chunksize=chunk_rows):
        total += len(chunk)
        parts.append(clean_{{snake_plural}}(chunk))
    merged = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[KEY_COLUMN])
    return total, merged.drop_duplicates(subset=[KEY_COLUMN], keep="last").reset_index(drop=True)


def main() -> None:
    """Read the raw CSV in chunks, clean it and write the result as CSV."""
    parser = argparse.ArgumentParser(description="Clean a large {{words}} export.")
    parser.add_argument("source", type=Path)
    parser.add_argument("--output", type=Path, default=Path("{{snake_plural}}_clean.csv"))
    parser.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS)
    args = parser.parse_args()
    total, cleaned = clean_file(args.source, args.chunk_rows)
    cleaned.to_csv(args.output, index=False)
    print(f"{total - len(cleaned)} of {total} {{words_plural}} dropped; wrote {args.output}")


if __name__ == "__main__":
    main()
'''


# ==========================================================================
# 7. asyncio bounded-concurrency push (+ sync with a thread pool instead)
# ==========================================================================

_PUSH_ASYNC = '''
"""Push {{words_plural}} to the remote API concurrently with asyncio, at most MAX_CONCURRENCY in flight."""
import asyncio
import json
import logging
import os
import sys
from dataclasses import dataclass

import httpx

logger = logging.getLogger(__name__)

API_URL = os.environ.get("{{upper}}_API_URL", "https://api.example.com/v1/{{kebab_plural}}")
MAX_CONCURRENCY = 8


@dataclass
class {{pascal}}Result:
    """What happened to one {{words}}."""

    {{snake}}_id: int
    ok: bool
    error: str | None = None


async def push_{{snake}}(
    client: httpx.AsyncClient, limit: asyncio.Semaphore, {{snake}}: dict[str, object]
) -> {{pascal}}Result:
    """PUT one {{words}}; never raises, a failure is reported in the result."""
    {{snake}}_id = int({{snake}}["id"])
    async with limit:
        try:
            response = await client.put(f"{API_URL}/{{{snake}}_id}", json={{snake}})
            response.raise_for_status()
        except httpx.HTTPError as exc:
            logger.warning("%s %s failed: %s", "{{sentence}}", {{snake}}_id, exc)
            return {{pascal}}Result({{snake}}_id, ok=False, error=str(exc))
    return {{pascal}}Result({{snake}}_id, ok=True)


async def push_{{snake_plural}}({{snake_plural}}: list[dict[str, object]]) -> list[{{pascal}}Result]:
    """Push every {{words}} with bounded concurrency; results come back in input order."""
    limit = asyncio.Semaphore(MAX_CONCURRENCY)
    async with httpx.AsyncClient(timeout=10.0) as client:
        return await asyncio.gather(*(push_{{snake}}(client, limit, item) for item in {{snake_plural}}))


def main() -> None:
    """Read a JSON array of {{words_plural}} on stdin and push them."""
    logging.basicConfig(level=logging.INFO)
    results = asyncio.run(push_{{snake_plural}}(json.load(sys.stdin)))
    failed = [r for r in results if not r.ok]
    print(f"pushed {len(results) - len(failed)} {{words_plural}}, {len(failed)} failed")


if __name__ == "__main__":
    main()
'''

_PUSH_THREADS = '''
"""Push {{words_plural}} to the remote API from a thread pool (synchronous httpx), MAX_WORKERS at a time."""
import json
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

logger = logging.getLogger(__name__)

API_URL = os.environ.get("{{upper}}_API_URL", "https://api.example.com/v1/{{kebab_plural}}")
MAX_WORKERS = 8


@dataclass
class {{pascal}}Result:
    """What happened to one {{words}}."""

    {{snake}}_id: int
    ok: bool
    error: str | None = None


def push_{{snake}}(client: httpx.Client, {{snake}}: dict[str, object]) -> {{pascal}}Result:
    """PUT one {{words}}; never raises, a failure is reported in the result."""
    {{snake}}_id = int({{snake}}["id"])
    try:
        response = client.put(f"{API_URL}/{{{snake}}_id}", json={{snake}})
        response.raise_for_status()
    except httpx.HTTPError as exc:
        logger.warning("%s %s failed: %s", "{{sentence}}", {{snake}}_id, exc)
        return {{pascal}}Result({{snake}}_id, ok=False, error=str(exc))
    return {{pascal}}Result({{snake}}_id, ok=True)


def push_{{snake_plural}}({{snake_plural}}: list[dict[str, object]]) -> list[{{pascal}}Result]:
    """Push every {{words}} on a thread pool; results come back in input order."""
    with httpx.Client(timeout=10.0) as client, ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
        return list(pool.map(lambda item: push_{{snake}}(client, item), {{snake_plural}}))


def main() -> None:
    """Read a JSON array of {{words_plural}} on stdin and push them."""
    logging.basicConfig(level=logging.INFO)
    results = push_{{snake_plural}}(json.load(sys.stdin))
    failed = [r for r in results if not r.ok]
    print(f"pushed {len(results) - len(failed)} {{words_plural}}, {len(failed)} failed")


if __name__ == "__main__":
    main()
'''


def _push_common(f: Forms) -> list[str]:
    return [
        "import httpx",
        f'os.environ.get("{f["upper"]}_API_URL", "https://api.example.com/v1/{f["kebab_plural"]}")',
        f"class {f['pascal']}Result:",
        f"{f['snake']}_id = int({f['snake']}[\"id\"])",
        f"def push_{f['snake_plural']}({f['snake_plural']}: list[dict[str, object]])",
        "response.raise_for_status()",
    ]


# ==========================================================================
# 8. logging audit trail (+ PII redaction)
# ==========================================================================

_AUDIT = '''
"""Audit trail for {{words_plural}}: one JSON line per change via the standard logging module, rotated daily."""
import json
import logging
from datetime import datetime, timezone
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path

AUDIT_LOGGER_NAME = "audit.{{snake_plural}}"
ACTIONS = frozenset({"created", "updated", "deleted"})


class JsonAuditFormatter(logging.Formatter):
    """One JSON object per record, with the audit fields at top level."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as a JSON line."""
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname,
            "action": getattr(record, "action", None),
            "{{snake}}_id": getattr(record, "{{snake}}_id", None),
            "actor": getattr(record, "actor", None),
            "changes": getattr(record, "changes", {}),
            "message": record.getMessage(),
        }
        return json.dumps(entry, default=str)


def get_{{snake}}_audit_logger(path: str = "logs/{{kebab}}-audit.log") -> logging.Logger:
    """The audit logger for {{words_plural}}, configured on first use."""
    logger = logging.getLogger(AUDIT_LOGGER_NAME)
    if not logger.handlers:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        handler = TimedRotatingFileHandler(path, when="midnight", backupCount=30, encoding="utf-8", utc=True)
        handler.setFormatter(JsonAuditFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def audit_{{snake}}_change(
    action: str, {{snake}}_id: int, actor: str, changes: dict[str, object] | None = None
) -> None:
    """Record that `actor` created, updated or deleted a {{words}}."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    get_{{snake}}_audit_logger().info(
        "%s %s %s by %s", "{{sentence}}", {{snake}}_id, action, actor,
        extra={"action": action, "{{snake}}_id": {{snake}}_id, "actor": actor, "changes": changes or {}},
    )
'''

_AUDIT_REDACTED = '''
"""Audit trail for {{words_plural}}: JSON lines via logging, rotated daily, with PII redacted."""
import json
import logging
import re
from datetime import datetime, timezone
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path

AUDIT_LOGGER_NAME = "audit.{{snake_plural}}"
ACTIONS = frozenset({"created", "updated", "deleted"})
PII_FIELDS = frozenset({"email", "phone", "date_of_birth", "iban", "street"})
EMAIL = re.compile(r"[\\w.+-]+@[\\w-]+\\.[\\w.]+")
MASK = "[REDACTED]"


class RedactPiiFilter(logging.Filter):
    """Mask PII fields in `changes` and e-mail addresses in the message before anything is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; never drops it."""
        changes = getattr(record, "changes", None)
        if isinstance(changes, dict):
            record.changes = {k: MASK if k in PII_FIELDS else v for k, v in changes.items()}
        record.msg = EMAIL.sub(MASK, str(record.msg))
        record.args = tuple(EMAIL.sub(MASK, a) if isinstance(a, str) else a for a in record.args or ())
        return True


class JsonAuditFormatter(logging.Formatter):
    """One JSON object per record, with the audit fields at top level."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as a JSON line."""
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "action": getattr(record, "action", None),
            "{{snake}}_id": getattr(record, "{{snake}}_id", None),
            "actor": getattr(record, "actor", None),
            "changes": getattr(record, "changes", {}),
            "message": record.getMessage(),
        }
        return json.dumps(entry, default=str)


def get_{{snake}}_audit_logger(path: str = "logs/{{kebab}}-audit.log") -> logging.Logger:
    """The audit logger for {{words_plural}}, configured on first use."""
    logger = logging.getLogger(AUDIT_LOGGER_NAME)
    if not logger.handlers:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        handler = TimedRotatingFileHandler(path, when="midnight", backupCount=30, encoding="utf-8", utc=True)
        handler.addFilter(RedactPiiFilter())
        handler.setFormatter(JsonAuditFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def audit_{{snake}}_change(
    action: str, {{snake}}_id: int, actor: str, changes: dict[str, object] | None = None
) -> None:
    """Record that `actor` created, updated or deleted a {{words}}; PII is masked."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    get_{{snake}}_audit_logger().info(
        "%s %s %s by %s", "{{sentence}}", {{snake}}_id, action, actor,
        extra={"action": action, "{{snake}}_id": {{snake}}_id, "actor": actor, "changes": changes or {}},
    )
'''


def _audit_common(f: Forms) -> list[str]:
    return [
        "TimedRotatingFileHandler(",
        f'AUDIT_LOGGER_NAME = "audit.{f["snake_plural"]}"',
        f"def audit_{f['snake']}_change(",
        f"def get_{f['snake']}_audit_logger(",
        f'"logs/{f["kebab"]}-audit.log"',
        "class JsonAuditFormatter(logging.Formatter)",
        "logger.propagate = False",
    ]


# ==========================================================================
# 9. hashed API keys on sqlite3 (+ keys that expire)
# ==========================================================================

_KEYS = '''
"""API keys for {{words_plural}}: issue, verify and revoke; only a SHA-256 hash of each key is stored."""
import hashlib
import hmac
import secrets
import sqlite3
from datetime import datetime, timezone

KEY_PREFIX = "ak_"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {{snake}}_api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {{snake}}_id INTEGER NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
)
"""


def _hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


class {{pascal}}ApiKeys:
    """Key management for {{words_plural}} on a SQLite connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.conn.execute(SCHEMA)

    def issue(self, {{snake}}_id: int) -> str:
        """Create a key for a {{words}}; the plain key is returned once and never stored."""
        raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
        with self.conn:
            self.conn.execute(
                "INSERT INTO {{snake}}_api_keys ({{snake}}_id, key_hash, created_at) VALUES (?, ?, ?)",
                ({{snake}}_id, _hash(raw_key), datetime.now(timezone.utc).isoformat()),
            )
        return raw_key

    def verify(self, raw_key: str) -> int | None:
        """The id of the {{words}} owning this active key, or None."""
        if not raw_key.startswith(KEY_PREFIX):
            return None
        digest = _hash(raw_key)
        row = self.conn.execute(
            "SELECT {{snake}}_id, key_hash FROM {{snake}}_api_keys WHERE key_hash = ? AND revoked_at IS NULL",
            (digest,),
        ).fetchone()
        if row is None or not hmac.compare_digest(row[1], digest):
            return None
        return int(row[0])

    def revoke(self, {{snake}}_id: int) -> int:
        """Revoke every active key of a {{words}}; return how many were revoked."""
        with self.conn:
            cur = self.conn.execute(
                "UPDATE {{snake}}_api_keys SET revoked_at = ? WHERE {{snake}}_id = ? AND revoked_at IS NULL",
                (datetime.now(timezone.utc).isoformat(), {{snake}}_id),
            )
        return cur.rowcount
'''

_KEYS_EXPIRING = '''
"""API keys for {{words_plural}} that expire: issue, verify and revoke; only a SHA-256 hash is stored."""
import hashlib
import hmac
import secrets
import sqlite3
from datetime import datetime, timedelta, timezone

KEY_PREFIX = "ak_"
DEFAULT_KEY_TTL = timedelta(days=90)
SCHEMA = """
CREATE TABLE IF NOT EXISTS {{snake}}_api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {{snake}}_id INTEGER NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
)
"""


def _hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


class {{pascal}}ApiKeys:
    """Key management for {{words_plural}} on a SQLite connection; every key has an expiry."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.conn.execute(SCHEMA)

    def issue(self, {{snake}}_id: int, ttl: timedelta = DEFAULT_KEY_TTL) -> tuple[str, datetime]:
        """Create a key for a {{words}} valid for `ttl`; the plain key is returned once and never stored."""
        raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
        now = _now()
        with self.conn:
            self.conn.execute(
                "INSERT INTO {{snake}}_api_keys ({{snake}}_id, key_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
                ({{snake}}_id, _hash(raw_key), now.isoformat(), (now + ttl).isoformat()),
            )
        return raw_key, now + ttl

    def verify(self, raw_key: str) -> int | None:
        """The id of the {{words}} owning this active, unexpired key, or None."""
        if not raw_key.startswith(KEY_PREFIX):
            return None
        digest = _hash(raw_key)
        row = self.conn.execute(
            "SELECT {{snake}}_id, key_hash FROM {{snake}}_api_keys "
            "WHERE key_hash = ? AND revoked_at IS NULL AND expires_at > ?",
            (digest, _now().isoformat()),
        ).fetchone()
        if row is None or not hmac.compare_digest(row[1], digest):
            return None
        return int(row[0])

    def revoke(self, {{snake}}_id: int) -> int:
        """Revoke every active key of a {{words}}; return how many were revoked."""
        with self.conn:
            cur = self.conn.execute(
                "UPDATE {{snake}}_api_keys SET revoked_at = ? WHERE {{snake}}_id = ? AND revoked_at IS NULL",
                (_now().isoformat(), {{snake}}_id),
            )
        return cur.rowcount
'''


def _keys_common(f: Forms) -> list[str]:
    return [
        "secrets.token_urlsafe(32)",
        "hashlib.sha256(",
        "hmac.compare_digest(",
        f"class {f['pascal']}ApiKeys:",
        f"CREATE TABLE IF NOT EXISTS {f['snake']}_api_keys (",
        "revoked_at IS NULL",
    ]


# ==========================================================================
# 10. pydantic v2 payload validation with per-row errors (+ the same in pydantic v1)
# ==========================================================================

_VALIDATE_V2 = '''
"""Validate uploaded {{words}} payloads with pydantic v2 and collect the errors of every bad row."""
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class {{pascal}}Payload(BaseModel):
    """One {{words}} as posted by a client."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    reference: str = Field(min_length=3, max_length=40, pattern=r"^[A-Z0-9-]+$")
    contact_email: str = Field(max_length=254)
    starts_on: date
    ends_on: date | None = None
    quantity: int = Field(default=1, ge=1, le=10_000)

    @field_validator("contact_email")
    @classmethod
    def _email_shape(cls, value: str) -> str:
        local, _, domain = value.partition("@")
        if not local or "." not in domain:
            raise ValueError("not an e-mail address")
        return value.lower()

    @model_validator(mode="after")
    def _dates_in_order(self) -> "{{pascal}}Payload":
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class {{pascal}}RowError(BaseModel):
    """Why one row of a {{words}} upload was rejected."""

    row: int
    errors: list[dict[str, object]]


def validate_{{snake_plural}}(
    rows: list[dict[str, object]],
) -> tuple[list[{{pascal}}Payload], list[{{pascal}}RowError]]:
    """Split uploaded {{words_plural}} into valid payloads and per-row errors (rows numbered from 1)."""
    valid: list[{{pascal}}Payload] = []
    rejected: list[{{pascal}}RowError] = []
    for number, row in enumerate(rows, start=1):
        try:
            valid.append({{pascal}}Payload.model_validate(row))
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_context=False, include_input=False)
            rejected.append({{pascal}}RowError(row=number, errors=[dict(e) for e in errors]))
    return valid, rejected
'''

_VALIDATE_V1 = '''
"""Validate uploaded {{words}} payloads with pydantic v1 and collect the errors of every bad row."""
from datetime import date
from typing import Optional

from pydantic import BaseModel, Field, ValidationError, root_validator, validator


class {{pascal}}Payload(BaseModel):
    """One {{words}} as posted by a client."""

    reference: str = Field(..., min_length=3, max_length=40, regex=r"^[A-Z0-9-]+$")
    contact_email: str = Field(..., max_length=254)
    starts_on: date
    ends_on: Optional[date] = None
    quantity: int = Field(1, ge=1, le=10_000)

    class Config:
        anystr_strip_whitespace = True
        extra = "forbid"

    @validator("contact_email")
    def _email_shape(cls, value: str) -> str:
        local, _, domain = value.partition("@")
        if not local or "." not in domain:
            raise ValueError("not an e-mail address")
        return value.lower()

    @root_validator(skip_on_failure=True)
    def _dates_in_order(cls, values: dict[str, object]) -> dict[str, object]:
        starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
        if ends_on is not None and starts_on is not None and ends_on < starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return values


class {{pascal}}RowError(BaseModel):
    """Why one row of a {{words}} upload was rejected."""

    row: int
    errors: list


def validate_{{snake_plural}}(rows: list) -> tuple:
    """Split uploaded {{words_plural}} into valid payloads and per-row errors (rows numbered from 1)."""
    valid = []
    rejected = []
    for number, row in enumerate(rows, start=1):
        try:
            valid.append({{pascal}}Payload.parse_obj(row))
        except ValidationError as exc:
            rejected.append({{pascal}}RowError(row=number, errors=exc.errors()))
    return valid, rejected
'''


def _validate_common(f: Forms) -> list[str]:
    return [
        f"class {f['pascal']}Payload(BaseModel)",
        f"class {f['pascal']}RowError(BaseModel)",
        f"def validate_{f['snake_plural']}(",
        "max_length=254",
        "except ValidationError as exc:",
    ]


# ==========================================================================
# FAMILIES
# ==========================================================================

FAMILIES: list[Family] = [
    Family(
        name="fastapi-search-endpoint",
        stack=("python", "fastapi", "sqlalchemy"),
        tasks=(
            "FastAPI search endpoint for {words_plural}",
            "Hi! Could you add a search route to our {words_plural} API? FastAPI + SQLAlchemy, a `q` text filter "
            "on name/description (case-insensitive), optional status filter, sortable by name or created_at. Thanks!",
            "GET /{kebab_plural}/search: q (ilike on name and description), status, sort, descending; at most 50 "
            "results",
            "Write `search_{snake_plural}` as a FastAPI endpoint that filters {pascal} rows by text and status",
            "{sentence} search API in FastAPI with a text query, a status filter and sorting",
            "need a fastapi endpoint to look up {words_plural} by keyword, sqlalchemy select, sort options",
        ),
        code=_code("app/routers/{{snake}}_search.py", _SEARCH),
        must=lambda f: _search_common(f) + ["return list(session.scalars(stmt))"],
        must_not=("require_admin", "TTLCache", "get_current_user"),
        entities=("sales lead", "vehicle", "lab result", "meeting room", "person", "course enrollment"),
    ),
    Family(
        name="sqlite3-store",
        stack=("python", "sqlite3"),
        tasks=(
            "sqlite3 data access class for {words_plural}",
            "Hey, could you write a small store class for {words_plural} using only the standard library sqlite3 "
            "module? Add, get by id, list all, delete. No ORM please, thanks!",
            "{pascal}Store on stdlib sqlite3: create the `{snake_plural}` table if missing, add / get / list_all / "
            "delete",
            "Python sqlite3 CRUD helper for the {words} table (parameterized queries, sqlite3.Row)",
            "Write plain-sqlite3 persistence for a {words} dataclass: insert, fetch one, list, delete",
            "{sentence} repository without SQLAlchemy, just sqlite3",
        ),
        code=_code("app/{{snake}}_store.py", _STORE),
        must=lambda f: _store_common(f) + [
            f"def list_all(self) -> list[{f['pascal']}]:",
            f'"DELETE FROM {f["snake_plural"]} WHERE id = ?"',
        ],
        must_not=("deleted_at", "LIMIT ? OFFSET ?"),
        entities=("time slot", "recipe", "foster child", "stock movement", "loyalty card"),
    ),
    Family(
        name="click-json-export",
        stack=("python", "click", "sqlite3"),
        tasks=(
            "click command to export {words_plural} to JSON",
            "Hi! Could you write a click CLI command that dumps our {words_plural} from the SQLite database into a "
            "JSON file? Options for the db path, a --since date and the output file. Thanks a lot",
            "export-{kebab_plural} command (click): read the `{snake_plural}` table from sqlite, write a JSON array, "
            "--since YYYY-MM-DD filter",
            "Dump {words} rows to a .json file from the command line with click",
            "CLI: {sentence} export as JSON, optional created-since filter, indent option",
            "write `export_{snake_plural}` as a click command producing {kebab_plural}.json",
        ),
        code=_code("cli/export_{{snake_plural}}.py", _EXPORT_JSON),
        must=lambda f: [
            "import click",
            f'@click.command(name="export-{f["kebab_plural"]}")',
            f"def export_{f['snake_plural']}(",
            f"def fetch_{f['snake_plural']}(",
            "json.dumps(rows, indent=indent",
            f'default="{f["kebab_plural"]}.json"',
            f'FROM {f["snake_plural"]}"',
        ],
        must_not=("csv.", "INSERT INTO", "json.loads("),
        entities=("line item", "courier", "risk analysis", "delivery route", "user group"),
    ),
    Family(
        name="attrs-domain-model",
        stack=("python", "attrs"),
        tasks=(
            "attrs class for a {words}",
            "Hi! Could you model a {words} with the attrs library? Reference (stripped, non-empty), title (max 200), "
            "a priority enum, tags and created_at, plus to_dict/from_dict. Thanks!",
            "{pascal} as an attrs @define class with validators and converters, and a parse_{snake_plural} helper",
            "Domain model for {words_plural} using attrs: field validators, a converter to a Priority enum, asdict "
            "round-trip",
            "write the {sentence} entity with attrs (not dataclasses), with an add_tag() method",
        ),
        code=_code("domain/{{snake}}.py", _ATTRS),
        must=lambda f: [
            "from attrs import define",
            "@define",
            f"class {f['pascal']}:",
            f"class {f['pascal']}Priority(str, Enum)",
            "attrs.asdict(self)",
            "validators.min_len(1)",
            f"def parse_{f['snake_plural']}(",
            "def add_tag(",
        ],
        must_not=("@frozen", "attrs.evolve(", "@dataclass"),
        entities=("shipping label", "diagnosis", "status update", "repair job", "shelf"),
    ),
    Family(
        name="requests-cursor-sync",
        stack=("python", "requests"),
        tasks=(
            "requests script to download all {words_plural} from a paginated API",
            "Hey! Could you write a Python script with requests that pulls every {words} from our partner API (it "
            "uses cursor pagination, `next_cursor`) and saves them as JSON Lines? Thanks!",
            "sync_{snake_plural}(output): follow next_cursor through GET /v1/{kebab_plural} and write one JSON "
            "object per line",
            "Fetch all pages of {words_plural} (cursor-based) with requests.Session, timeout 15 s, write a .jsonl file",
            "{sentence} export from the remote REST API to jsonl: requests, cursor pagination",
            "iterate over every page of the {pascal} endpoint with requests and dump the records",
        ),
        code=_code("sync/{{snake_plural}}.py", _SYNC),
        must=lambda f: _sync_common(f) + ["response = session.get("],
        must_not=("tenacity", "@retry("),
        entities=("status update", "contact person", "warehouse", "sales lead", "lab result"),
    ),
    Family(
        name="pandas-clean-export",
        stack=("python", "pandas"),
        tasks=(
            "pandas script to clean a {words} CSV export",
            "Hi! Could you write a pandas cleanup for our raw {words_plural} CSV? Normalize the headers to "
            "snake_case, strip whitespace, parse created_at/updated_at, drop rows without an id and keep only the "
            "latest row per `{snake}_id`. Thanks!",
            "clean_{snake_plural}(df): snake_case columns, trim strings, to_datetime, drop_duplicates on {snake}_id "
            "keeping the last",
            "Deduplicate and tidy {words_plural} data with pandas, write {snake_plural}_clean.csv",
            "{sentence} CSV cleaning: headers, blanks to NA, dates, duplicates (pandas + argparse)",
        ),
        code=_code("scripts/clean_{{snake_plural}}.py", _CLEAN),
        must=lambda f: [
            "import pandas as pd",
            f"def clean_{f['snake_plural']}(raw: pd.DataFrame)",
            'drop_duplicates(subset=[KEY_COLUMN], keep="last")',
            f'KEY_COLUMN = "{f["snake"]}_id"',
            "pd.to_datetime(",
            f'Path("{f["snake_plural"]}_clean.csv")',
            "pd.read_csv(args.source, dtype=str, keep_default_na=False)",
        ],
        must_not=("chunksize", ".to_json("),
        entities=("course enrollment", "child", "line item", "meeting room", "repair job"),
    ),
    Family(
        name="httpx-bounded-async-push",
        stack=("python", "httpx"),
        tasks=(
            "asyncio script to push {words_plural} to an API concurrently",
            "Hi! Could you write an asyncio + httpx script that PUTs each {words} from a JSON list to our API, at "
            "most 8 requests at a time (semaphore), and reports which ones failed? Thanks",
            "push_{snake_plural}(items): asyncio.gather over httpx.AsyncClient PUT /v1/{kebab_plural}/{{id}}, "
            "bounded by asyncio.Semaphore",
            "Concurrent upload of {words_plural} with async httpx, limited concurrency, a {pascal}Result per item",
            "{sentence} bulk sync to the remote API: async, max 8 in flight, never crash on one failure",
        ),
        code=_code("sync/push_{{snake_plural}}.py", _PUSH_ASYNC),
        must=lambda f: _push_common(f) + [
            "asyncio.Semaphore(MAX_CONCURRENCY)",
            "asyncio.gather(",
            "httpx.AsyncClient(",
            f"async def push_{f['snake']}(",
        ],
        must_not=("ThreadPoolExecutor", "httpx.Client("),
        entities=("shipping label", "analysis", "delivery route", "time slot", "stock movement"),
    ),
    Family(
        name="logging-audit-trail",
        stack=("python", "logging"),
        tasks=(
            "audit logging for {words_plural}",
            "Hey, could you set up an audit trail for changes to {words_plural} with Python's logging module? JSON "
            "lines, one file rotated at midnight, 30 days kept, who did what to which {words}. Thanks!",
            "audit_{snake}_change(action, {snake}_id, actor, changes): JSON formatter + TimedRotatingFileHandler, "
            "logger audit.{snake_plural}",
            "Write a JSON log formatter and a dedicated audit logger for {pascal} create/update/delete events",
            "{sentence} audit log: stdlib logging, daily rotation, no propagation to the root logger",
        ),
        code=_code("app/audit/{{snake}}_audit.py", _AUDIT),
        must=lambda f: _audit_common(f) + ["logger.setLevel(logging.INFO)"],
        must_not=("RedactPiiFilter", "REDACTED", "PII_FIELDS"),
        entities=("user group", "person", "loyalty card", "recipe", "warehouse"),
    ),
    Family(
        name="hashed-api-keys",
        stack=("python", "sqlite3", "secrets"),
        tasks=(
            "API key management for {words_plural}",
            "Hi! Could you write the API key handling for our {words_plural}? Issue random keys, store only a "
            "SHA-256 hash in SQLite, verify with a constant-time compare, and revoke all keys of a {words}. Thanks",
            "{pascal}ApiKeys: issue (secrets.token_urlsafe), verify (hash lookup + hmac.compare_digest), revoke; "
            "table {snake}_api_keys",
            "Generate, check and revoke hashed API keys per {words} using sqlite3 and hashlib",
            "{sentence} access keys: never store them in plain text, ak_ prefix, revocation",
        ),
        code=_code("app/security/{{snake}}_api_keys.py", _KEYS),
        must=lambda f: _keys_common(f) + ["def revoke(self,"],
        must_not=("expires_at", "DEFAULT_KEY_TTL"),
        entities=("partner app", "service account", "courier", "vehicle", "user group"),
        sensitive=True,
    ),
    Family(
        name="pydantic-payload-validation",
        stack=("python", "pydantic"),
        tasks=(
            "pydantic validation for uploaded {words_plural}",
            "Hi! Could you write pydantic v2 validation for {words} uploads? Reference pattern, e-mail shape check, "
            "start/end dates in order, quantity 1..10000, and collect errors per row instead of failing on the "
            "first bad one. Thanks!",
            "validate_{snake_plural}(rows) -> (valid, errors): {pascal}Payload with field_validator and "
            "model_validator(mode='after'), rows numbered from 1",
            "{sentence} payload model in Pydantic 2 (ConfigDict extra=forbid, strip whitespace) plus a bulk "
            "validator",
            "Validate a list of {words} dicts with pydantic 2 and report which rows are invalid and why",
        ),
        code=_code("app/validation/{{snake}}_payload.py", _VALIDATE_V2),
        must=lambda f: _validate_common(f) + [
            "field_validator",
            'model_validator(mode="after")',
            "model_validate(row)",
            "ConfigDict(str_strip_whitespace=True",
        ],
        must_not=("@validator(", "class Config:", "parse_obj(", "root_validator"),
        entities=("lab result", "foster child", "sales lead", "time slot", "diagnosis", "shipping label"),
    ),
]


# ==========================================================================
# NEAR MISSES: one requirement added or changed
# ==========================================================================

NEAR_MISSES: list[Family] = [
    Family(
        name="fastapi-search-endpoint-admin",
        base="fastapi-search-endpoint",
        stack=("python", "fastapi", "sqlalchemy"),
        tasks=(
            "FastAPI search endpoint for {words_plural}, admins only",
            "Hi! Could you add a search route to our {words_plural} API that only administrators may use (403 for "
            "everyone else)? FastAPI + SQLAlchemy, q text filter, status filter, sorting. Thanks!",
            "GET /{kebab_plural}/search restricted to admin users: q (ilike), status, sort; a require_admin "
            "dependency on the router",
            "{sentence} search API in FastAPI with a text query and sorting, accessible to is_admin users only",
        ),
        code=_code("app/routers/{{snake}}_search.py", _SEARCH_ADMIN),
        must=lambda f: _search_common(f) + [
            "def require_admin(",
            "if not user.is_admin:",
            "status.HTTP_403_FORBIDDEN",
            "dependencies=[Depends(require_admin)]",
        ],
        must_not=("TTLCache",),
        entities=("sales lead", "person", "stock movement"),
        sensitive=True,
    ),
    Family(
        name="fastapi-search-endpoint-cached",
        base="fastapi-search-endpoint",
        stack=("python", "fastapi", "sqlalchemy"),
        tasks=(
            "FastAPI search endpoint for {words_plural} with a 60 second result cache",
            "Hi! Could you add a search route to our {words_plural} API and cache identical searches in memory for "
            "a minute (cachetools TTLCache)? FastAPI + SQLAlchemy, q text filter, status filter, sorting. Thanks!",
            "GET /{kebab_plural}/search: q, status, sort, descending; cache the results per query for 60 s",
            "{sentence} search API in FastAPI with a text query and sorting, plus TTL caching of search results",
        ),
        code=_code("app/routers/{{snake}}_search.py", _SEARCH_CACHED),
        must=lambda f: _search_common(f) + [
            "TTLCache(maxsize=512, ttl=SEARCH_CACHE_SECONDS)",
            "_search_cache[key] = hits",
            "SEARCH_CACHE_SECONDS = 60",
        ],
        must_not=("require_admin",),
        entities=("vehicle", "meeting room", "recipe"),
    ),
    Family(
        name="sqlite3-store-soft-delete",
        base="sqlite3-store",
        stack=("python", "sqlite3"),
        tasks=(
            "sqlite3 data access class for {words_plural} with soft delete",
            "Hey, could you write a small store class for {words_plural} using only the standard library sqlite3 "
            "module? Add, get, list and delete, but delete must only set a deleted_at timestamp and deleted rows "
            "are hidden from get and list. Thanks!",
            "{pascal}Store on stdlib sqlite3: add / get / list_all / soft delete (UPDATE deleted_at, never DELETE)",
            "{sentence} repository with sqlite3 where deleting marks the row as deleted instead of removing it",
        ),
        code=_code("app/{{snake}}_store.py", _STORE_SOFT),
        must=lambda f: _store_common(f) + [
            "deleted_at IS NULL",
            f'"UPDATE {f["snake_plural"]} SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL"',
        ],
        must_not=("DELETE FROM", "LIMIT ? OFFSET ?"),
        entities=("time slot", "foster child", "line item"),
    ),
    Family(
        name="sqlite3-store-paginated",
        base="sqlite3-store",
        stack=("python", "sqlite3"),
        tasks=(
            "sqlite3 data access class for {words_plural} with paginated listing",
            "Hey, could you write a small store class for {words_plural} using only the standard library sqlite3 "
            "module? Add, get, delete, and list one page at a time (page, per_page, total count). Thanks!",
            "{pascal}Store on stdlib sqlite3: add / get / delete / list_page(page, per_page) with LIMIT/OFFSET and "
            "a total",
            "{sentence} repository with sqlite3; listing must be paginated and return the total number of rows",
        ),
        code=_code("app/{{snake}}_store.py", _STORE_PAGED),
        must=lambda f: _store_common(f) + [
            "LIMIT ? OFFSET ?",
            f'"SELECT COUNT(*) FROM {f["snake_plural"]}"',
            f"class {f['pascal']}Page:",
        ],
        must_not=("deleted_at", "def list_all("),
        entities=("recipe", "status update", "lab result"),
    ),
    Family(
        name="click-csv-export",
        base="click-json-export",
        stack=("python", "click", "sqlite3"),
        tasks=(
            "click command to export {words_plural} to CSV",
            "Hi! Could you write a click CLI command that dumps our {words_plural} from the SQLite database into a "
            "CSV file with a header row? Options for the db path, a --since date, the output file and the "
            "delimiter. Thanks a lot",
            "export-{kebab_plural} command (click): read the `{snake_plural}` table from sqlite, write CSV with "
            "csv.DictWriter, --since filter",
            "CLI: {sentence} export as a .csv spreadsheet file, optional created-since filter",
        ),
        code=_code("cli/export_{{snake_plural}}.py", _EXPORT_CSV),
        must=lambda f: [
            "import click",
            f'@click.command(name="export-{f["kebab_plural"]}")',
            f"def export_{f['snake_plural']}(",
            f"def fetch_{f['snake_plural']}(",
            "csv.DictWriter(",
            "writer.writeheader()",
            f'default="{f["kebab_plural"]}.csv"',
        ],
        must_not=("json.dumps(", "INSERT INTO"),
        entities=("line item", "courier", "meeting room"),
    ),
    Family(
        name="click-json-import",
        base="click-json-export",
        stack=("python", "click", "sqlite3"),
        tasks=(
            "click command to import {words_plural} from JSON",
            "Hi! Could you write a click CLI command that loads {words_plural} from a JSON file into our SQLite "
            "database? Validate the required keys first and support --dry-run. Thanks a lot",
            "import-{kebab_plural} command (click): read a JSON array, check name/status/created_at, executemany "
            "INSERT into `{snake_plural}`",
            "CLI: {sentence} import from a .json file into sqlite, with a dry-run flag",
        ),
        code=_code("cli/import_{{snake_plural}}.py", _IMPORT_JSON),
        must=lambda f: [
            "import click",
            f'@click.command(name="import-{f["kebab_plural"]}")',
            f"def import_{f['snake_plural']}(",
            "json.loads(",
            f'"INSERT INTO {f["snake_plural"]} (name, status, created_at) VALUES (?, ?, ?)"',
            '"--dry-run"',
        ],
        must_not=("json.dumps(", "csv."),
        entities=("risk analysis", "user group", "sales lead"),
    ),
    Family(
        name="attrs-domain-model-frozen",
        base="attrs-domain-model",
        stack=("python", "attrs"),
        tasks=(
            "immutable attrs class for a {words}",
            "Hi! Could you model a {words} with the attrs library as a frozen, hashable value object? Reference, "
            "title, a priority enum, tags as a tuple and created_at, plus to_dict/from_dict. Thanks!",
            "{pascal} as an attrs @frozen class; changes go through attrs.evolve and return a new instance",
            "Domain model for {words_plural} using attrs, frozen so instances can be used as dict keys",
        ),
        code=_code("domain/{{snake}}.py", _ATTRS_FROZEN),
        must=lambda f: [
            "@frozen",
            f"class {f['pascal']}:",
            f"class {f['pascal']}Priority(str, Enum)",
            "attrs.evolve(self",
            "converter=tuple",
            f"def parse_{f['snake_plural']}(",
            "def with_tag(",
        ],
        must_not=("@define", "def add_tag("),
        entities=("shipping label", "diagnosis", "time slot"),
    ),
    Family(
        name="requests-cursor-sync-retry",
        base="requests-cursor-sync",
        stack=("python", "requests"),
        tasks=(
            "requests script to download all {words_plural} from a paginated API, with retries",
            "Hey! Could you write a Python script with requests that pulls every {words} from our partner API "
            "(cursor pagination) into JSON Lines? The API is flaky: retry timeouts, 429 and 5xx with exponential "
            "backoff (tenacity), up to 5 attempts. Thanks!",
            "sync_{snake_plural}(output): follow next_cursor through GET /v1/{kebab_plural}, retrying transient "
            "errors with tenacity",
            "{sentence} export from the remote REST API to jsonl: requests, cursor pagination, retry each page on "
            "429/503",
        ),
        code=_code("sync/{{snake_plural}}.py", _SYNC_RETRY),
        must=lambda f: _sync_common(f) + [
            "from tenacity import",
            "stop=stop_after_attempt(5)",
            "wait=wait_exponential(",
            "retry=retry_if_exception(_is_transient)",
            "RETRY_STATUSES",
        ],
        entities=("status update", "warehouse", "repair job"),
    ),
    Family(
        name="pandas-clean-export-chunked",
        base="pandas-clean-export",
        stack=("python", "pandas"),
        tasks=(
            "pandas script to clean a huge {words} CSV export in chunks",
            "Hi! Could you write a pandas cleanup for our raw {words_plural} CSV? It's several GB, so read it in "
            "chunks (chunksize) instead of all at once; normalize headers, strip whitespace, parse dates and keep "
            "the latest row per `{snake}_id`. Thanks!",
            "clean_{snake_plural} applied chunk by chunk (pd.read_csv chunksize=100_000), then drop_duplicates on "
            "{snake}_id across chunks",
            "{sentence} CSV cleaning for files that don't fit in memory: chunked read, dedupe, write a clean CSV",
        ),
        code=_code("scripts/clean_{{snake_plural}}.py", _CLEAN_CHUNKED),
        must=lambda f: [
            "import pandas as pd",
            f"def clean_{f['snake_plural']}(raw: pd.DataFrame)",
            "chunksize=chunk_rows",
            "CHUNK_ROWS = 100_000",
            "pd.concat(parts",
            f'KEY_COLUMN = "{f["snake"]}_id"',
            f'Path("{f["snake_plural"]}_clean.csv")',
        ],
        must_not=("pd.read_csv(args.source",),
        entities=("course enrollment", "child", "stock movement"),
    ),
    Family(
        name="httpx-thread-pool-push",
        base="httpx-bounded-async-push",
        stack=("python", "httpx"),
        tasks=(
            "thread pool script to push {words_plural} to an API concurrently (no asyncio)",
            "Hi! Could you write a synchronous httpx script that PUTs each {words} from a JSON list to our API "
            "using a ThreadPoolExecutor with 8 workers, and reports which ones failed? We can't use asyncio here. "
            "Thanks",
            "push_{snake_plural}(items): ThreadPoolExecutor.map over a shared httpx.Client PUT "
            "/v1/{kebab_plural}/{{id}}",
            "{sentence} bulk sync to the remote API with threads instead of async, max 8 workers",
        ),
        code=_code("sync/push_{{snake_plural}}.py", _PUSH_THREADS),
        must=lambda f: _push_common(f) + [
            "ThreadPoolExecutor(max_workers=MAX_WORKERS)",
            "httpx.Client(",
            f"def push_{f['snake']}(client: httpx.Client",
        ],
        must_not=("async def", "asyncio"),
        entities=("analysis", "shipping label", "loyalty card"),
    ),
    Family(
        name="logging-audit-trail-redacted",
        base="logging-audit-trail",
        stack=("python", "logging"),
        tasks=(
            "audit logging for {words_plural} with personal data masked",
            "Hey, could you set up an audit trail for changes to {words_plural} with Python's logging module? JSON "
            "lines, rotated at midnight, and a logging.Filter that redacts e-mails, phone numbers and other PII "
            "before anything hits the file. Thanks!",
            "audit_{snake}_change(...) with TimedRotatingFileHandler, plus a filter masking PII fields (email, "
            "phone, iban) in the changes",
            "{sentence} audit log, GDPR-safe: redact personal fields and e-mail addresses in every record",
        ),
        code=_code("app/audit/{{snake}}_audit.py", _AUDIT_REDACTED),
        must=lambda f: _audit_common(f) + [
            "class RedactPiiFilter(logging.Filter)",
            "handler.addFilter(RedactPiiFilter())",
            "PII_FIELDS = frozenset(",
        ],
        entities=("person", "user group", "sales lead"),
    ),
    Family(
        name="hashed-api-keys-expiring",
        base="hashed-api-keys",
        stack=("python", "sqlite3", "secrets"),
        tasks=(
            "API key management for {words_plural} with expiring keys",
            "Hi! Could you write the API key handling for our {words_plural}? Issue random keys that expire after "
            "90 days by default, store only a SHA-256 hash in SQLite, and reject expired or revoked keys on "
            "verify. Thanks",
            "{pascal}ApiKeys: issue(ttl=timedelta(days=90)) returning the key and its expiry, verify checks "
            "expires_at, revoke; table {snake}_api_keys",
            "{sentence} access keys with a time-to-live: hashed storage, expiry check, revocation",
        ),
        code=_code("app/security/{{snake}}_api_keys.py", _KEYS_EXPIRING),
        must=lambda f: _keys_common(f) + [
            "DEFAULT_KEY_TTL = timedelta(days=90)",
            "expires_at > ?",
            "expires_at TEXT NOT NULL",
        ],
        entities=("partner app", "service account", "courier"),
        sensitive=True,
    ),
    Family(
        name="pydantic-v1-payload-validation",
        base="pydantic-payload-validation",
        stack=("python", "pydantic"),
        tasks=(
            "pydantic v1 validation for uploaded {words_plural}",
            "Hi! We're still on pydantic 1.10. Could you write validation for {words} uploads? Reference pattern, "
            "e-mail shape check, start/end dates in order, quantity 1..10000, and collect errors per row. Thanks!",
            "validate_{snake_plural}(rows) for pydantic v1: {pascal}Payload with @validator, @root_validator and "
            "class Config, parse_obj per row",
            "{sentence} payload model in legacy Pydantic (1.x API) plus a bulk validator that reports bad rows",
        ),
        code=_code("app/validation/{{snake}}_payload.py", _VALIDATE_V1),
        must=lambda f: _validate_common(f) + [
            '@validator("contact_email")',
            "@root_validator(skip_on_failure=True)",
            "class Config:",
            "parse_obj(row)",
        ],
        must_not=("field_validator", "model_validate", "ConfigDict"),
        entities=("lab result", "foster child", "time slot"),
    ),
]
