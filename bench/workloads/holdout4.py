"""Fourth blind hold-out workload for the template-learning benchmark: agent traffic on new stacks.

Written without looking at the engine (only the harness ``bench/learning.py``, ``bench/README.md``, the README,
``contracts/`` and the interface of ``holdout.py`` / ``holdout2.py`` / ``holdout3.py`` were read). The
``forms`` helpers, ``Family``, ``_render`` and ``_code`` are copied verbatim from ``holdout3.py``.

Twelve jobs on stacks or jobs the earlier hold-outs do not use: a FastAPI WebSocket broadcast hub, a pytest
``conftest.py`` of fixtures, Pillow thumbnails, plain-sqlite3 schema migrations, a heapq due-time scheduler, an
enum state machine, smtplib + email.message notifications, parsing .eml files with the email package, ZIP
archive export, safe import of an uploaded ZIP, a rich console table and HMAC-signed expiring download URLs.
Two distractor pairs share a stack and most of their words but not their job (e-mail out / e-mail in;
ZIP export / ZIP import). Two families (pytest fixtures, signed URLs) are phrased mostly as generated agent
prompts ("Task: ... Entity: ... Requirements: ..."). Eleven near misses change exactly one requirement of a base
family (token auth on the socket, async fixtures, EXIF orientation, down migrations, cancellation, state-entry
hooks, a CSV attachment, an IMAP mailbox instead of a folder, tar.gz instead of ZIP, a live-refreshing table,
key rotation). Several entities collide with the words of their job ("test case" in the pytest family,
"queue item" in the scheduler, "transition request" in the state machine, "archive entry" in the archive
families, "download link" in the signed-URL family, "expense report" in the report table, "event" in the
live feed).

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
# 1. FastAPI WebSocket broadcast hub (+ token on connect)
# ==========================================================================

_WS = '''
"""Live {{words}} feed over WebSockets (FastAPI): clients connect to /ws/{{kebab_plural}}; every {{words}}
posted to /{{kebab_plural}} is pushed to all as JSON. Dead sockets are dropped; the hub has a cap."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field

app = FastAPI(title="{{title}} live feed")
MAX_{{upper}}_CLIENTS = 500


class {{pascal}}In(BaseModel):
    """A {{words}} as a publisher posts it."""

    title: str = Field(min_length=1, max_length=200)
    payload: dict[str, Any] = Field(default_factory=dict)


class {{pascal}}Hub:
    """The open sockets listening for {{words_plural}}."""

    def __init__(self) -> None:
        self.sockets: set[WebSocket] = set()
        self.lock = asyncio.Lock()

    async def join(self, websocket: WebSocket) -> bool:
        """Accept a socket unless the hub is full (then close it with 1013, try again later)."""
        async with self.lock:
            if len(self.sockets) >= MAX_{{upper}}_CLIENTS:
                await websocket.close(code=1013)
                return False
            await websocket.accept()
            self.sockets.add(websocket)
            return True

    async def leave(self, websocket: WebSocket) -> None:
        """Forget a socket that closed."""
        async with self.lock:
            self.sockets.discard(websocket)

    async def broadcast(self, message: dict[str, Any]) -> int:
        """Send `message` to every socket, dropping the dead ones; returns how many got it."""
        async with self.lock:
            targets = list(self.sockets)
        delivered = 0
        for websocket in targets:
            try:
                await websocket.send_json(message)
                delivered += 1
            except (WebSocketDisconnect, RuntimeError):
                await self.leave(websocket)
        return delivered


{{snake}}_hub = {{pascal}}Hub()


@app.websocket("/ws/{{kebab_plural}}")
async def {{snake_plural}}_socket(websocket: WebSocket) -> None:
    """Keep one client's socket open until it disconnects."""
    if not await {{snake}}_hub.join(websocket):
        return
    try:
        while True:
            await websocket.receive_text()  # keep-alive pings from the client
    except WebSocketDisconnect:
        await {{snake}}_hub.leave(websocket)


@app.post("/{{kebab_plural}}", status_code=202)
async def publish_{{snake}}(item: {{pascal}}In) -> dict[str, int]:
    """Push one {{words}} to every connected client."""
    sent_at = datetime.now(timezone.utc).isoformat()
    message = {"kind": "{{snake}}", "title": item.title, "payload": item.payload, "sent_at": sent_at}
    return {"delivered": await {{snake}}_hub.broadcast(message)}
'''

_WS_TOKEN = _patch(
    _WS,
    "Dead sockets are dropped; the hub has a cap.",
    "A socket without\n?token= equal to {{upper}}_FEED_TOKEN (constant time) is closed with 1008.",
    "import asyncio\n",
    "import asyncio\nimport hmac\nimport os\n",
    "\n\n{{snake}}_hub = {{pascal}}Hub()\n",
    '''

{{snake}}_hub = {{pascal}}Hub()


def _token_ok(websocket: WebSocket) -> bool:
    expected = os.environ.get("{{upper}}_FEED_TOKEN", "")
    given = websocket.query_params.get("token", "")
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
''',
    '''    """Keep one client's socket open until it disconnects."""
''',
    '''    """Keep one authenticated client's socket open until it disconnects."""
    if not _token_ok(websocket):
        return await websocket.close(code=1008)  # policy violation: no or wrong token
''',
)


def _ws_common(f: Forms) -> list[str]:
    return [
        "from fastapi import FastAPI, WebSocket, WebSocketDisconnect",
        f'@app.websocket("/ws/{f["kebab_plural"]}")',
        f"async def {f['snake_plural']}_socket(websocket: WebSocket) -> None:",
        f'@app.post("/{f["kebab_plural"]}", status_code=202)',
        f"async def publish_{f['snake']}(item: {f['pascal']}In)",
        f"class {f['pascal']}Hub:",
        f"MAX_{f['upper']}_CLIENTS = 500",
        "await websocket.send_json(message)",
    ]


# ==========================================================================
# 2. pytest conftest.py fixtures (+ async fixtures on aiosqlite)
# ==========================================================================

_CONFTEST = '''
"""Shared pytest fixtures for the {{words}} tests: a factory, three sample {{words_plural}} and a seeded in-memory
SQLite database with a `{{snake_plural}}` table, closed after each test."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count

import pytest


@dataclass
class {{pascal}}:
    """A {{words}} as the tests build it."""

    id: int
    name: str
    status: str = "open"
    tags: list[str] = field(default_factory=list)


Make{{pascal}} = Callable[..., {{pascal}}]


@pytest.fixture
def make_{{snake}}() -> Make{{pascal}}:
    """Factory fixture: make_{{snake}}(name=..., status=..., tags=...) builds a {{words}} with a fresh id."""
    ids = count(1)

    def _make(name: str | None = None, status: str = "open", tags: list[str] | None = None) -> {{pascal}}:
        number = next(ids)
        return {{pascal}}(id=number, name=name or f"{{sentence}} {number}", status=status, tags=list(tags or []))

    return _make


@pytest.fixture
def sample_{{snake_plural}}(make_{{snake}}: Make{{pascal}}) -> list[{{pascal}}]:
    """Three {{words_plural}}: two open (one tagged urgent) and one closed."""
    return [make_{{snake}}(), make_{{snake}}(tags=["urgent"]), make_{{snake}}(status="closed")]


@pytest.fixture
def {{snake}}_db(sample_{{snake_plural}}: list[{{pascal}}]) -> Iterator[sqlite3.Connection]:
    """An in-memory database whose `{{snake_plural}}` table holds the samples."""
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE {{snake_plural}} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL)")
    conn.executemany(
        "INSERT INTO {{snake_plural}} (id, name, status) VALUES (?, ?, ?)",
        [(item.id, item.name, item.status) for item in sample_{{snake_plural}}],
    )
    conn.commit()
    yield conn
    conn.close()


@pytest.fixture(params=["open", "closed"])
def {{snake}}_status(request: pytest.FixtureRequest) -> str:
    """Each status a {{words}} can have: a test using it runs once per status."""
    return str(request.param)
'''

_CONFTEST_TEST = '''
"""Smoke tests of the {{words}} fixtures in conftest.py."""
from __future__ import annotations

import sqlite3


def test_{{snake}}_db_holds_the_samples({{snake}}_db: sqlite3.Connection) -> None:
    """Two open rows and one closed row are seeded."""
    rows = {{snake}}_db.execute("SELECT status, COUNT(*) FROM {{snake_plural}} GROUP BY status ORDER BY status")
    assert [tuple(row) for row in rows] == [("closed", 1), ("open", 2)]


def test_every_{{snake}}_status_is_seeded(
    {{snake}}_db: sqlite3.Connection, {{snake}}_status: str
) -> None:
    """Each parametrized status has at least one seeded row."""
    query = "SELECT COUNT(*) FROM {{snake_plural}} WHERE status = ?"
    assert {{snake}}_db.execute(query, ({{snake}}_status,)).fetchone()[0] >= 1
'''

_CONFTEST_ASYNC = _patch(
    _CONFTEST,
    "a seeded in-memory\nSQLite database with a `{{snake_plural}}` table, closed after each test.",
    "a seeded in-memory\naiosqlite database with a `{{snake_plural}}` table (pytest-asyncio fixture), closed after "
    "each test.",
    "import sqlite3\nfrom collections.abc import Callable, Iterator\n",
    "from collections.abc import AsyncIterator, Callable\n",
    "import pytest\n",
    "import aiosqlite\nimport pytest\nimport pytest_asyncio\n",
    '''@pytest.fixture
def {{snake}}_db(sample_{{snake_plural}}: list[{{pascal}}]) -> Iterator[sqlite3.Connection]:
    """An in-memory database whose `{{snake_plural}}` table holds the samples."""
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE {{snake_plural}} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL)")
    conn.executemany(
        "INSERT INTO {{snake_plural}} (id, name, status) VALUES (?, ?, ?)",
        [(item.id, item.name, item.status) for item in sample_{{snake_plural}}],
    )
    conn.commit()
    yield conn
    conn.close()
''',
    '''@pytest_asyncio.fixture
async def {{snake}}_db(sample_{{snake_plural}}: list[{{pascal}}]) -> AsyncIterator[aiosqlite.Connection]:
    """An async in-memory database whose `{{snake_plural}}` table holds the samples."""
    async with aiosqlite.connect(":memory:") as conn:
        conn.row_factory = aiosqlite.Row
        await conn.execute(
            "CREATE TABLE {{snake_plural}} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL)"
        )
        await conn.executemany(
            "INSERT INTO {{snake_plural}} (id, name, status) VALUES (?, ?, ?)",
            [(item.id, item.name, item.status) for item in sample_{{snake_plural}}],
        )
        await conn.commit()
        yield conn
''',
)

_CONFTEST_ASYNC_TEST = '''
"""Smoke tests of the async {{words}} fixtures in conftest.py (pytest-asyncio)."""
from __future__ import annotations

import aiosqlite
import pytest


@pytest.mark.asyncio
async def test_{{snake}}_db_holds_the_samples({{snake}}_db: aiosqlite.Connection) -> None:
    """Two open rows and one closed row are seeded."""
    query = "SELECT status, COUNT(*) FROM {{snake_plural}} GROUP BY status ORDER BY status"
    async with {{snake}}_db.execute(query) as cur:
        rows = [tuple(row) async for row in cur]
    assert rows == [("closed", 1), ("open", 2)]
'''


def _conftest_common(f: Forms) -> list[str]:
    return [
        f"class {f['pascal']}:",
        f"def make_{f['snake']}() -> Make{f['pascal']}:",
        f"def sample_{f['snake_plural']}(make_{f['snake']}: Make{f['pascal']}) -> list[{f['pascal']}]:",
        f"CREATE TABLE {f['snake_plural']} (id INTEGER PRIMARY KEY",
        f"def {f['snake']}_status(request: pytest.FixtureRequest) -> str:",
        "@pytest.fixture(params=[\"open\", \"closed\"])",
    ]


# ==========================================================================
# 3. Pillow thumbnails (+ EXIF orientation)
# ==========================================================================

_THUMBS = '''
"""Thumbnails of {{words}} photos with Pillow: every image in media/{{kebab_plural}}/ gets a JPEG thumbnail of at
most 320x320 in media/{{kebab_plural}}/thumbs/; files that are not images are skipped, fresh thumbnails kept."""
from __future__ import annotations

import logging
from pathlib import Path

from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)

{{upper}}_MEDIA_DIR = Path("media/{{kebab_plural}}")
THUMB_SIZE = (320, 320)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs


def {{snake}}_thumbnail_path(source: Path, out_dir: Path) -> Path:
    """Where the thumbnail of one {{words}} photo goes."""
    return out_dir / f"{source.stem}_thumb.jpg"


def make_{{snake}}_thumbnail(source: Path, out_dir: Path, size: tuple[int, int] = THUMB_SIZE) -> Path | None:
    """Write a JPEG thumbnail of `source` (kept when newer than the photo); None when it is not an image."""
    target = {{snake}}_thumbnail_path(source, out_dir)
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    try:
        with Image.open(source) as image:
            image.thumbnail(size)
            out_dir.mkdir(parents=True, exist_ok=True)
            image.convert("RGB").save(target, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        log.warning("skipping {{words}} photo %s: %s", source.name, exc)
        return None
    return target


def thumbnail_{{snake_plural}}(media_dir: Path = {{upper}}_MEDIA_DIR) -> list[Path]:
    """Thumbnail every {{words}} photo in `media_dir`; returns the thumbnails written or kept."""
    out_dir = media_dir / "thumbs"
    done = []
    for source in sorted(media_dir.iterdir()):
        if source.is_file() and source.suffix.lower() in IMAGE_SUFFIXES:
            thumb = make_{{snake}}_thumbnail(source, out_dir)
            if thumb is not None:
                done.append(thumb)
    return done


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    print(f"{len(thumbnail_{{snake_plural}}())} {{words}} thumbnails ready")
'''

_THUMBS_EXIF = _patch(
    _THUMBS,
    "files that are not images are skipped, fresh thumbnails kept.",
    "photos are turned upright from their EXIF orientation first;\nfiles that are not images are skipped.",
    "from PIL import Image, UnidentifiedImageError",
    "from PIL import Image, ImageOps, UnidentifiedImageError",
    "        with Image.open(source) as image:\n            image.thumbnail(size)\n",
    "        with Image.open(source) as opened:\n"
    "            image = ImageOps.exif_transpose(opened)  # camera rotation applied, tag dropped\n"
    "            image.thumbnail(size)\n",
)


def _thumbs_common(f: Forms) -> list[str]:
    return [
        "from PIL import Image",
        f'{f["upper"]}_MEDIA_DIR = Path("media/{f["kebab_plural"]}")',
        f"def make_{f['snake']}_thumbnail(source: Path, out_dir: Path",
        f"def thumbnail_{f['snake_plural']}(media_dir: Path = {f['upper']}_MEDIA_DIR) -> list[Path]:",
        "image.thumbnail(size)",
        '.save(target, "JPEG", quality=85, optimize=True)',
        f"skipping {f['words']} photo",
    ]


# ==========================================================================
# 4. sqlite3 schema migrations (+ down steps)
# ==========================================================================

_MIGRATIONS = '''
"""Schema migrations of the {{words_plural}} SQLite database: numbered steps applied in order, each once and in a
transaction of its own; the applied versions are rows of `schema_migrations`."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)

{{upper}}_DB = Path("{{snake_plural}}.db")

MIGRATIONS: list[tuple[int, str]] = [
    (1, "CREATE TABLE {{snake_plural}} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
        "created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"),
    (2, "ALTER TABLE {{snake_plural}} ADD COLUMN status TEXT NOT NULL DEFAULT 'open'"),
    (3, "CREATE INDEX ix_{{snake_plural}}_status ON {{snake_plural}} (status)"),
    (4, "ALTER TABLE {{snake_plural}} ADD COLUMN notes TEXT"),
]


def current_version(conn: sqlite3.Connection) -> int:
    """The version the {{words}} schema is at (0 for a new database)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def _apply(conn: sqlite3.Connection, sql: str, version: int, record: str) -> None:
    conn.execute("BEGIN")
    try:
        conn.execute(sql)
        conn.execute(record, (version,))
    except sqlite3.Error:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate_{{snake_plural}}(conn: sqlite3.Connection, target: int | None = None) -> int:
    """Apply every pending step up to `target` (default: the latest); returns the version reached."""
    latest = max(version for version, _ in MIGRATIONS)
    target = latest if target is None else target
    if not 0 <= target <= latest:
        raise ValueError(f"unknown {{words}} schema version {target}")
    conn.isolation_level = None  # explicit transactions: a step and its version row commit together
    version = current_version(conn)
    for step, sql in MIGRATIONS:
        if version < step <= target:
            _apply(conn, sql, step, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, datetime('now'))")
            log.info("{{words}} schema upgraded to version %d", step)
            version = step
    return version


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    with sqlite3.connect({{upper}}_DB) as db:
        print(f"{{snake_plural}} schema at version {migrate_{{snake_plural}}(db)}")
'''

_MIGRATIONS_DOWN = _patch(
    _MIGRATIONS,
    "the applied versions are rows of `schema_migrations`.",
    "every step has a down step, so\n`downgrade_{{snake_plural}}` rolls the schema back to an earlier version.",
    '''MIGRATIONS: list[tuple[int, str]] = [
    (1, "CREATE TABLE {{snake_plural}} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
        "created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"),
    (2, "ALTER TABLE {{snake_plural}} ADD COLUMN status TEXT NOT NULL DEFAULT 'open'"),
    (3, "CREATE INDEX ix_{{snake_plural}}_status ON {{snake_plural}} (status)"),
    (4, "ALTER TABLE {{snake_plural}} ADD COLUMN notes TEXT"),
]''',
    '''MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "CREATE TABLE {{snake_plural}} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
        "created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)", "DROP TABLE {{snake_plural}}"),
    (2, "ALTER TABLE {{snake_plural}} ADD COLUMN status TEXT NOT NULL DEFAULT 'open'",
        "ALTER TABLE {{snake_plural}} DROP COLUMN status"),
    (3, "CREATE INDEX ix_{{snake_plural}}_status ON {{snake_plural}} (status)",
        "DROP INDEX ix_{{snake_plural}}_status"),
    (4, "ALTER TABLE {{snake_plural}} ADD COLUMN notes TEXT", "ALTER TABLE {{snake_plural}} DROP COLUMN notes"),
]''',
    "    latest = max(version for version, _ in MIGRATIONS)\n",
    "    latest = max(version for version, _, _ in MIGRATIONS)\n",
    "    for step, sql in MIGRATIONS:\n",
    "    for step, sql, _ in MIGRATIONS:\n",
    '''    return version


if __name__''',
    '''    return version


def downgrade_{{snake_plural}}(conn: sqlite3.Connection, target: int) -> int:
    """Undo applied steps, newest first, until the schema is at `target`; returns the version reached."""
    conn.isolation_level = None
    version = current_version(conn)
    for step, _, down in sorted(MIGRATIONS, reverse=True):
        if target < step <= version:
            _apply(conn, down, step, "DELETE FROM schema_migrations WHERE version = ?")
            log.info("{{words}} schema downgraded below version %d", step)
            version = step - 1
    return version


if __name__''',
)


def _migrations_common(f: Forms) -> list[str]:
    sp = f["snake_plural"]
    return [
        "import sqlite3",
        f'{f["upper"]}_DB = Path("{sp}.db")',
        f"CREATE TABLE {sp} (id INTEGER PRIMARY KEY AUTOINCREMENT",
        f"ALTER TABLE {sp} ADD COLUMN status TEXT NOT NULL DEFAULT 'open'",
        f"CREATE INDEX ix_{sp}_status ON {sp} (status)",
        f"def migrate_{sp}(conn: sqlite3.Connection, target: int | None = None) -> int:",
        "INSERT INTO schema_migrations (version, applied_at)",
    ]


# ==========================================================================
# 5. heapq due-time scheduler (+ cancellation)
# ==========================================================================

_HEAP = '''
"""A due-time scheduler of {{words_plural}} on heapq: schedule a {{words}} for a moment, then pop every {{words}}
that is due, earliest first, lower priority number first at the same moment, arrival order on full ties."""
from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone


@dataclass(order=True)
class Scheduled{{pascal}}:
    """One heap entry, ordered by due time, then priority, then arrival."""

    due_at: datetime
    priority: int
    seq: int
    {{snake}}_id: str = field(compare=False)
    payload: dict[str, str] = field(default_factory=dict, compare=False)


class {{pascal}}Scheduler:
    """A min-heap of pending {{words_plural}}."""

    def __init__(self) -> None:
        self._heap: list[Scheduled{{pascal}}] = []
        self._seq = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def schedule(
        self, {{snake}}_id: str, due_at: datetime, priority: int = 5, payload: dict[str, str] | None = None
    ) -> Scheduled{{pascal}}:
        """Add a {{words}} due at `due_at` (timezone-aware)."""
        if due_at.tzinfo is None:
            raise ValueError("due_at must be timezone-aware")
        entry = Scheduled{{pascal}}(due_at, priority, next(self._seq), {{snake}}_id, dict(payload or {}))
        heapq.heappush(self._heap, entry)
        return entry

    def schedule_in(self, {{snake}}_id: str, delay: timedelta, priority: int = 5) -> Scheduled{{pascal}}:
        """Add a {{words}} due `delay` from now."""
        return self.schedule({{snake}}_id, datetime.now(timezone.utc) + delay, priority)

    def next_due(self) -> datetime | None:
        """When the earliest pending {{words}} is due, or None when nothing is pending."""
        return self._heap[0].due_at if self._heap else None

    def pop_due(self, now: datetime | None = None) -> list[Scheduled{{pascal}}]:
        """Remove and return every {{words}} due at `now` (default: the current time), in order."""
        now = now or datetime.now(timezone.utc)
        due = []
        while self._heap and self._heap[0].due_at <= now:
            due.append(heapq.heappop(self._heap))
        return due
'''

_HEAP_CANCEL = _patch(
    _HEAP,
    "arrival order on full ties.",
    "arrival order on full ties. A\nscheduled {{words}} can be cancelled by id (lazy deletion: skipped when popped).",
    "    payload: dict[str, str] = field(default_factory=dict, compare=False)\n",
    "    payload: dict[str, str] = field(default_factory=dict, compare=False)\n"
    "    cancelled: bool = field(default=False, compare=False)\n",
    "        self._seq = itertools.count()\n\n    def __len__(self) -> int:\n        return len(self._heap)\n",
    "        self._seq = itertools.count()\n        self._live: dict[str, Scheduled{{pascal}}] = {}\n\n"
    "    def __len__(self) -> int:\n        return len(self._live)\n",
    "        heapq.heappush(self._heap, entry)\n        return entry\n",
    "        self.cancel({{snake}}_id)  # one pending entry per id: rescheduling replaces\n"
    "        heapq.heappush(self._heap, entry)\n        self._live[{{snake}}_id] = entry\n        return entry\n\n"
    "    def cancel(self, {{snake}}_id: str) -> bool:\n"
    '        """Cancel the pending {{words}} with this id; False when none is pending."""\n'
    "        entry = self._live.pop({{snake}}_id, None)\n"
    "        if entry is None:\n            return False\n"
    "        entry.cancelled = True\n        return True\n",
    "        return self._heap[0].due_at if self._heap else None\n",
    "        while self._heap and self._heap[0].cancelled:\n            heapq.heappop(self._heap)\n"
    "        return self._heap[0].due_at if self._heap else None\n",
    "            due.append(heapq.heappop(self._heap))\n",
    "            entry = heapq.heappop(self._heap)\n            if not entry.cancelled:\n"
    "                del self._live[entry.{{snake}}_id]\n                due.append(entry)\n",
)


def _heap_common(f: Forms) -> list[str]:
    p, s = f["pascal"], f["snake"]
    return [
        "import heapq",
        f"class Scheduled{p}:",
        f"class {p}Scheduler:",
        f"    {s}_id: str = field(compare=False)",
        "heapq.heappush(self._heap, entry)",
        f"def pop_due(self, now: datetime | None = None) -> list[Scheduled{p}]:",
        f"def schedule_in(self, {s}_id: str, delay: timedelta",
    ]


# ==========================================================================
# 6. enum state machine (+ on-enter hooks)
# ==========================================================================

_STATES = '''
"""State machine of a {{words}}: the states are an Enum, the allowed moves a table, every move is kept in the
{{words}}'s history, and an illegal move raises Invalid{{pascal}}Move."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum


class {{pascal}}State(StrEnum):
    """Where a {{words}} is in its lifecycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    CLOSED = "closed"


{{upper}}_MOVES: dict[{{pascal}}State, frozenset[{{pascal}}State]] = {
    {{pascal}}State.DRAFT: frozenset(({{pascal}}State.SUBMITTED, {{pascal}}State.CLOSED)),
    {{pascal}}State.SUBMITTED: frozenset(({{pascal}}State.APPROVED, {{pascal}}State.REJECTED)),
    {{pascal}}State.APPROVED: frozenset(({{pascal}}State.CLOSED,)),
    {{pascal}}State.REJECTED: frozenset(({{pascal}}State.DRAFT, {{pascal}}State.CLOSED)),
    {{pascal}}State.CLOSED: frozenset(),
}


class Invalid{{pascal}}Move(ValueError):
    """A move the {{words}} table does not allow."""


@dataclass
class {{pascal}}:
    """A {{words}}, its current state and the moves it made: (from, to, when, who)."""

    {{snake}}_id: str
    state: {{pascal}}State = {{pascal}}State.DRAFT
    history: list[tuple[{{pascal}}State, {{pascal}}State, datetime, str]] = field(default_factory=list)

    def can_move_to(self, target: {{pascal}}State) -> bool:
        """Whether the table allows moving from the current state to `target`."""
        return target in {{upper}}_MOVES[self.state]

    def move_to(self, target: {{pascal}}State, actor: str = "system") -> None:
        """Move to `target` on behalf of `actor`; raises Invalid{{pascal}}Move when not allowed."""
        if not self.can_move_to(target):
            raise Invalid{{pascal}}Move(
                f"{{words}} {self.{{snake}}_id}: {self.state} -> {target} is not allowed"
            )
        self.history.append((self.state, target, datetime.now(timezone.utc), actor))
        self.state = target

    def submit(self, actor: str) -> None:
        """draft -> submitted."""
        self.move_to({{pascal}}State.SUBMITTED, actor)

    def approve(self, actor: str) -> None:
        """submitted -> approved."""
        self.move_to({{pascal}}State.APPROVED, actor)

    def reject(self, actor: str) -> None:
        """submitted -> rejected."""
        self.move_to({{pascal}}State.REJECTED, actor)

    @property
    def is_final(self) -> bool:
        """True once the {{words}} can move no further."""
        return not {{upper}}_MOVES[self.state]
'''

_STATES_HOOKS = _patch(
    _STATES,
    "and an illegal move raises Invalid{{pascal}}Move.",
    "an illegal move raises Invalid{{pascal}}Move, and\nhooks registered with on_enter(state, callback) run after each "
    "move into their state.",
    "from dataclasses import dataclass, field\n",
    "from collections import defaultdict\nfrom collections.abc import Callable\nfrom dataclasses import dataclass, field\n",
    '''class Invalid{{pascal}}Move(ValueError):
    """A move the {{words}} table does not allow."""
''',
    '''class Invalid{{pascal}}Move(ValueError):
    """A move the {{words}} table does not allow."""


{{pascal}}Hook = Callable[["{{pascal}}", {{pascal}}State], None]
_HOOKS: defaultdict[{{pascal}}State, list[{{pascal}}Hook]] = defaultdict(list)


def on_enter(state: {{pascal}}State, callback: {{pascal}}Hook) -> None:
    """Run `callback(item, previous_state)` every time a {{words}} enters `state`."""
    _HOOKS[state].append(callback)
''',
    "        self.history.append((self.state, target, datetime.now(timezone.utc), actor))\n        self.state = target\n",
    "        previous = self.state\n"
    "        self.history.append((previous, target, datetime.now(timezone.utc), actor))\n        self.state = target\n"
    "        for hook in list(_HOOKS[target]):\n            hook(self, previous)\n",
)


def _states_common(f: Forms) -> list[str]:
    p, u = f["pascal"], f["upper"]
    return [
        "from enum import StrEnum",
        f"class {p}State(StrEnum):",
        f"{u}_MOVES: dict[{p}State, frozenset[{p}State]] = {{",
        f"class Invalid{p}Move(ValueError):",
        f"    {f['snake']}_id: str",
        f"def move_to(self, target: {p}State, actor: str = \"system\") -> None:",
        f"{p}State.SUBMITTED: frozenset(({p}State.APPROVED, {p}State.REJECTED)),",
    ]


# ==========================================================================
# 7. e-mail notifications: smtplib + email.message (+ CSV attachment)
# ==========================================================================

_MAIL_OUT = '''
"""E-mail notices about {{words_plural}}: a plain-text message with an HTML alternative (email.message), sent over
SMTP with STARTTLS; host, port, sender, user and password come from the environment."""
from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape

SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
{{upper}}_MAIL_FROM = os.environ.get("{{upper}}_MAIL_FROM", "noreply@example.com")


def build_{{snake}}_email(
    recipient: str, {{snake}}_id: str, status: str, details: dict[str, str]
) -> EmailMessage:
    """The notice for one {{words}}: subject, a text body and an HTML alternative."""
    msg = EmailMessage()
    msg["Subject"] = f"[{{title}} {{{snake}}_id}] now {status}"
    msg["From"] = {{upper}}_MAIL_FROM
    msg["To"] = recipient
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="example.com")
    lines = [f"{key}: {value}" for key, value in sorted(details.items())]
    msg.set_content(f"{{sentence}} {{{snake}}_id} is now {status}.\\n\\n" + "\\n".join(lines))
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in sorted(details.items()))
    msg.add_alternative(
        f"<p>{{sentence}} <b>{escape({{snake}}_id)}</b> is now {escape(status)}.</p><table>{rows}</table>",
        subtype="html",
    )
    return msg


def send_{{snake}}_email(msg: EmailMessage) -> None:
    """Send one message over SMTP with STARTTLS, logging in when SMTP_USER is set."""
    context = ssl.create_default_context()
    with smtplib.SMTP(SMTP_HOST, SMTP_PORT, timeout=30) as smtp:
        smtp.starttls(context=context)
        user = os.environ.get("SMTP_USER")
        if user:
            smtp.login(user, os.environ["SMTP_PASSWORD"])
        smtp.send_message(msg)


def notify_{{snake}}_change(
    recipients: list[str], {{snake}}_id: str, status: str, details: dict[str, str]
) -> int:
    """Mail every recipient that a {{words}} changed status; returns how many mails were sent."""
    for recipient in recipients:
        send_{{snake}}_email(build_{{snake}}_email(recipient, {{snake}}_id, status, details))
    return len(recipients)
'''

_MAIL_OUT_CSV = _patch(
    _MAIL_OUT,
    "sent over\nSMTP with STARTTLS;",
    "with the\nrelated rows attached as {{snake_plural}}.csv,\nsent over SMTP with STARTTLS;",
    "import os\n",
    "import csv\nimport io\nimport os\n",
    "def build_{{snake}}_email(\n    recipient: str, {{snake}}_id: str, status: str, details: dict[str, str]\n"
    ") -> EmailMessage:\n"
    '    """The notice for one {{words}}: subject, a text body and an HTML alternative."""\n',
    "def build_{{snake}}_email(\n"
    "    recipient: str, {{snake}}_id: str, status: str, details: dict[str, str], rows_csv: list[dict[str, str]]\n"
    ") -> EmailMessage:\n"
    '    """The notice for one {{words}}: subject, text body, HTML alternative and the rows as a CSV file."""\n',
    "        subtype=\"html\",\n    )\n    return msg\n",
    "        subtype=\"html\",\n    )\n"
    "    buffer = io.StringIO()\n"
    "    writer = csv.DictWriter(buffer, fieldnames=sorted({key for row in rows_csv for key in row}))\n"
    "    writer.writeheader()\n    writer.writerows(rows_csv)\n"
    '    msg.add_attachment(buffer.getvalue().encode("utf-8"), maintype="text", subtype="csv",\n'
    '                       filename="{{snake_plural}}.csv")\n'
    "    return msg\n",
    "def notify_{{snake}}_change(\n    recipients: list[str], {{snake}}_id: str, status: str, details: dict[str, str]\n"
    ") -> int:\n",
    "def notify_{{snake}}_change(\n"
    "    recipients: list[str], {{snake}}_id: str, status: str, details: dict[str, str], rows: list[dict[str, str]]\n"
    ") -> int:\n",
    "        send_{{snake}}_email(build_{{snake}}_email(recipient, {{snake}}_id, status, details))\n",
    "        send_{{snake}}_email(build_{{snake}}_email(recipient, {{snake}}_id, status, details, rows))\n",
)


def _mail_out_common(f: Forms) -> list[str]:
    s = f["snake"]
    return [
        "import smtplib",
        "from email.message import EmailMessage",
        f'msg["Subject"] = f"[{f["title"]} {{{s}_id}}] now {{status}}"',
        f"def build_{s}_email(",
        f"def send_{s}_email(msg: EmailMessage) -> None:",
        f"def notify_{s}_change(",
        "smtp.starttls(context=context)",
        f'{f["upper"]}_MAIL_FROM = os.environ.get("{f["upper"]}_MAIL_FROM"',
    ]


# ==========================================================================
# 8. parse incoming .eml files with the email package (+ IMAP mailbox)
# ==========================================================================

_MAIL_IN = '''
"""Incoming e-mails about {{words_plural}}, read from the .eml files the mail gateway drops in a folder: parsed with
the email package's modern policy, the {{words}} number taken from a subject tag such as [{{upper}}-123]."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import cast

{{upper}}_TAG = re.compile(r"\\[{{upper}}-(\\d+)\\]")


@dataclass(frozen=True)
class Inbound{{pascal}}Mail:
    """What we keep of one e-mail about a {{words}}."""

    {{snake}}_id: int | None
    sender: str
    subject: str
    received_at: datetime | None
    body: str
    attachments: tuple[str, ...]


def parse_{{snake}}_mail(raw: bytes) -> Inbound{{pascal}}Mail:
    """Parse one raw message (RFC 5322 bytes)."""
    msg = cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(raw))
    subject = str(msg.get("Subject", ""))
    tag = {{upper}}_TAG.search(subject)
    part = msg.get_body(preferencelist=("plain", "html"))
    date = msg.get("Date")
    return Inbound{{pascal}}Mail(
        {{snake}}_id=int(tag.group(1)) if tag else None,
        sender=parseaddr(str(msg.get("From", "")))[1].lower(),
        subject=subject,
        received_at=parsedate_to_datetime(str(date)) if date else None,
        body=part.get_content().strip() if part is not None else "",
        attachments=tuple(item.get_filename() or "unnamed" for item in msg.iter_attachments()),
    )


def read_{{snake}}_inbox(folder: Path) -> list[Inbound{{pascal}}Mail]:
    """Every .eml file in `folder` that names a {{words}}, oldest first."""
    mails = [parse_{{snake}}_mail(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]
    tagged = [mail for mail in mails if mail.{{snake}}_id is not None]
    return sorted(tagged, key=lambda mail: mail.received_at.timestamp() if mail.received_at else 0.0)
'''

_MAIL_IN_IMAP = _patch(
    _MAIL_IN,
    "read from the .eml files the mail gateway drops in a folder:",
    "fetched unread from an IMAP mailbox over SSL\n(IMAP_HOST, IMAP_USER, IMAP_PASSWORD from the environment):",
    "import re\n",
    "import imaplib\nimport os\nimport re\n",
    "from pathlib import Path\n",
    "",
    '''def read_{{snake}}_inbox(folder: Path) -> list[Inbound{{pascal}}Mail]:
    """Every .eml file in `folder` that names a {{words}}, oldest first."""
    mails = [parse_{{snake}}_mail(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]
''',
    '''def read_{{snake}}_inbox(mailbox: str = "INBOX") -> list[Inbound{{pascal}}Mail]:
    """Every unread mail in `mailbox` that names a {{words}}, oldest first (fetching marks them read)."""
    mails = []
    with imaplib.IMAP4_SSL(os.environ["IMAP_HOST"], timeout=30) as imap:
        imap.login(os.environ["IMAP_USER"], os.environ["IMAP_PASSWORD"])
        imap.select(mailbox)
        _, found = imap.search(None, "UNSEEN")
        for number in found[0].split():
            _, data = imap.fetch(number.decode(), "(RFC822)")
            raw = next((item[1] for item in data if isinstance(item, tuple)), b"")
            mails.append(parse_{{snake}}_mail(raw))
''',
)


def _mail_in_common(f: Forms) -> list[str]:
    s, u = f["snake"], f["upper"]
    return [
        "from email.parser import BytesParser",
        "BytesParser(policy=policy.default).parsebytes(raw)",
        f'{u}_TAG = re.compile(r"\\[{u}-(\\d+)\\]")',
        f"class Inbound{f['pascal']}Mail:",
        f"def parse_{s}_mail(raw: bytes) -> Inbound{f['pascal']}Mail:",
        f"def read_{s}_inbox(",
        'msg.get_body(preferencelist=("plain", "html"))',
    ]


# ==========================================================================
# 9. ZIP archive export (+ tar.gz instead)
# ==========================================================================

_ZIP_OUT = '''
"""Archive {{words_plural}}: every {{words}} is written as its own JSON file into a dated ZIP (deflated), with a
manifest.json that lists each member with its SHA-256 and size."""
from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

{{upper}}_ARCHIVE_DIR = Path("archives/{{kebab_plural}}")


def {{snake}}_member_name(record: dict[str, Any]) -> str:
    """The path of one {{words}} inside the archive."""
    return f"{{snake_plural}}/{{kebab}}-{int(record['id']):06d}.json"


def export_{{snake_plural}}_zip(
    records: list[dict[str, Any]], out_dir: Path = {{upper}}_ARCHIVE_DIR, day: date | None = None
) -> Path:
    """Write `records` to out_dir/{{kebab_plural}}-YYYY-MM-DD.zip and return the archive's path."""
    day = day or date.today()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{{kebab_plural}}-{day.isoformat()}.zip"
    files: list[dict[str, Any]] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for record in records:
            data = json.dumps(record, indent=2, sort_keys=True, default=str).encode("utf-8")
            name = {{snake}}_member_name(record)
            archive.writestr(name, data)
            files.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
        manifest = {"kind": "{{snake}}", "date": day.isoformat(), "count": len(files), "files": files}
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return target


def archived_{{snake}}_days(out_dir: Path = {{upper}}_ARCHIVE_DIR) -> list[str]:
    """The dates that already have a {{words}} archive, oldest first."""
    prefix = "{{kebab_plural}}-"
    return sorted(path.name[len(prefix):].split(".")[0] for path in out_dir.glob(prefix + "*.zip"))
'''

_TAR_OUT = _patch(
    _ZIP_OUT,
    "into a dated ZIP (deflated),",
    "into a dated gzipped tarball\n(.tar.gz),",
    "import hashlib\nimport json\nimport zipfile\n",
    "import hashlib\nimport io\nimport json\nimport tarfile\nimport time\n",
    "def export_{{snake_plural}}_zip(",
    "def export_{{snake_plural}}_tar(",
    "out_dir/{{kebab_plural}}-YYYY-MM-DD.zip and",
    "out_dir/{{kebab_plural}}-YYYY-MM-DD.tar.gz and",
    '    target = out_dir / f"{{kebab_plural}}-{day.isoformat()}.zip"\n',
    '    target = out_dir / f"{{kebab_plural}}-{day.isoformat()}.tar.gz"\n',
    '''    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for record in records:
            data = json.dumps(record, indent=2, sort_keys=True, default=str).encode("utf-8")
            name = {{snake}}_member_name(record)
            archive.writestr(name, data)
            files.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
        manifest = {"kind": "{{snake}}", "date": day.isoformat(), "count": len(files), "files": files}
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return target
''',
    '''    with tarfile.open(target, "w:gz") as archive:
        for record in records:
            data = json.dumps(record, indent=2, sort_keys=True, default=str).encode("utf-8")
            name = {{snake}}_member_name(record)
            _add_bytes(archive, name, data)
            files.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
        manifest = {"kind": "{{snake}}", "date": day.isoformat(), "count": len(files), "files": files}
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))
    return target


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))
''',
    'out_dir.glob(prefix + "*.zip"))',
    'out_dir.glob(prefix + "*.tar.gz"))',
)


def _archive_out_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_ARCHIVE_DIR = Path("archives/{f["kebab_plural"]}")',
        f"def {f['snake']}_member_name(record: dict[str, Any]) -> str:",
        f'return f"{f["snake_plural"]}/{f["kebab"]}-{{int(record[\'id\']):06d}}.json"',
        f'manifest = {{"kind": "{f["snake"]}", "date": day.isoformat()',
        '"sha256": hashlib.sha256(data).hexdigest()',
        f"def archived_{f['snake']}_days(",
    ]


# ==========================================================================
# 10. safe import of an uploaded ZIP (the distractor of 9)
# ==========================================================================

_ZIP_IN = '''
"""Import {{words_plural}} from an uploaded ZIP: the archive is checked before anything is read (no absolute or
`..` paths, not too many members, not too large unpacked, no zip bombs), then every {{snake_plural}}/*.json
member is loaded as a {{words}} record. Nothing is extracted to disk."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

MAX_{{upper}}_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100


class Unsafe{{pascal}}Archive(ValueError):
    """The upload is not a ZIP of {{words_plural}} we are willing to read."""


def _check_member(info: zipfile.ZipInfo) -> None:
    path = PurePosixPath(info.filename.replace("\\\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in info.filename:
        raise Unsafe{{pascal}}Archive(f"unsafe member path {info.filename!r}")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise Unsafe{{pascal}}Archive(f"{info.filename!r} is compressed suspiciously well")


def import_{{snake_plural}}_zip(upload: Path) -> list[dict[str, Any]]:
    """Every {{words}} record in the uploaded archive; raises Unsafe{{pascal}}Archive when it is refused."""
    if not zipfile.is_zipfile(upload):
        raise Unsafe{{pascal}}Archive("not a ZIP file")
    with zipfile.ZipFile(upload) as archive:
        members = archive.infolist()
        if len(members) > MAX_{{upper}}_MEMBERS:
            raise Unsafe{{pascal}}Archive(f"{len(members)} members, at most {MAX_{{upper}}_MEMBERS}")
        for info in members:
            _check_member(info)
        if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
            raise Unsafe{{pascal}}Archive("too large once unpacked")
        records = []
        for info in members:
            name = info.filename
            if info.is_dir() or not name.startswith("{{snake_plural}}/") or not name.endswith(".json"):
                continue
            record = json.loads(archive.read(info).decode("utf-8"))
            if not isinstance(record, dict) or "id" not in record:
                raise Unsafe{{pascal}}Archive(f"{name}: not a {{words}} record")
            records.append(record)
    return records
'''


def _archive_in_common(f: Forms) -> list[str]:
    p, u = f["pascal"], f["upper"]
    return [
        "import zipfile",
        "if not zipfile.is_zipfile(upload):",
        f"class Unsafe{p}Archive(ValueError):",
        f"def import_{f['snake_plural']}_zip(upload: Path) -> list[dict[str, Any]]:",
        f"MAX_{u}_MEMBERS = 10_000",
        f'not name.startswith("{f["snake_plural"]}/")',
        'if path.is_absolute() or ".." in path.parts',
    ]


# ==========================================================================
# 11. rich console table report (+ live refresh)
# ==========================================================================

_RICH = '''
"""Console report of {{words_plural}} with rich: a table of id, name, status (coloured) and amount, largest amount
first, with the count and the total in its footer; reads {{snake_plural}}.json (or the file given)."""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

STATUS_STYLE = {"open": "yellow", "done": "green", "failed": "bold red"}
{{upper}}_FILE = Path("{{snake_plural}}.json")


def load_{{snake_plural}}(path: Path) -> list[dict[str, Any]]:
    """The {{words_plural}} of a JSON array file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON array of {{words_plural}}")
    return data


def _amount(row: dict[str, Any]) -> Decimal:
    return Decimal(str(row.get("amount", 0)))


def {{snake_plural}}_table(rows: list[dict[str, Any]]) -> Table:
    """A rich Table of `rows`, largest amount first, with the count and the total in the footer."""
    total = sum((_amount(row) for row in rows), Decimal("0"))
    table = Table(title="{{title_plural}}", show_footer=True, header_style="bold cyan")
    table.add_column("ID", justify="right")
    table.add_column("Name", footer=f"{len(rows)} {{words_plural}}")
    table.add_column("Status")
    table.add_column("Amount", justify="right", footer=f"{total:,.2f}")
    for row in sorted(rows, key=_amount, reverse=True):
        status = str(row.get("status", "open"))
        table.add_row(
            str(row["id"]), str(row.get("name", "")), Text(status, style=STATUS_STYLE.get(status, "white")),
            f"{_amount(row):,.2f}",
        )
    return table


def main(argv: list[str] | None = None) -> int:
    """Print the {{words}} table; exit code 1 when the file is missing."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else {{upper}}_FILE
    console = Console()
    if not path.exists():
        console.print(Text(f"no such file: {path}", style="red"))
        return 1
    console.print({{snake_plural}}_table(load_{{snake_plural}}(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''

_RICH_LIVE = _patch(
    _RICH,
    "reads {{snake_plural}}.json (or the file given).",
    "reads {{snake_plural}}.json (or the file given) again every\nfew seconds and refreshes the table live until "
    "Ctrl-C.",
    "import sys\n",
    "import sys\nimport time\n",
    "from rich.console import Console\n",
    "from rich.console import Console\nfrom rich.live import Live\n",
    '''def main(argv: list[str] | None = None) -> int:
    """Print the {{words}} table; exit code 1 when the file is missing."""''',
    '''def main(argv: list[str] | None = None, every: float = 2.0) -> int:
    """Show the {{words}} table, re-read every `every` seconds; exit code 1 when the file is missing."""''',
    "    console.print({{snake_plural}}_table(load_{{snake_plural}}(path)))\n    return 0\n",
    '''    with Live({{snake_plural}}_table(load_{{snake_plural}}(path)), console=console, refresh_per_second=4) as live:
        try:
            while True:
                time.sleep(every)
                live.update({{snake_plural}}_table(load_{{snake_plural}}(path)))
        except KeyboardInterrupt:
            pass
    return 0
''',
)


def _rich_common(f: Forms) -> list[str]:
    sp = f["snake_plural"]
    return [
        "from rich.table import Table",
        f"def {sp}_table(rows: list[dict[str, Any]]) -> Table:",
        f'table = Table(title="{f["title_plural"]}", show_footer=True',
        f'footer=f"{{len(rows)}} {f["words_plural"]}"',
        f'{f["upper"]}_FILE = Path("{sp}.json")',
        f"def load_{sp}(path: Path) -> list[dict[str, Any]]:",
        "Text(status, style=STATUS_STYLE.get(status,",
    ]


# ==========================================================================
# 12. HMAC-signed expiring download URLs (+ key rotation)
# ==========================================================================

_SIGNED = '''
"""Signed, expiring download URLs for {{words}} files: an HMAC-SHA256 of the path and the expiry, with a key from
{{upper}}_URL_KEY, checked in constant time. A forged, altered or expired URL is refused."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from urllib.parse import parse_qs, urlencode, urlsplit

{{upper}}_URL_PREFIX = "/files/{{kebab_plural}}/"
DEFAULT_TTL_SECONDS = 900


class Invalid{{pascal}}Url(Exception):
    """A {{words}} URL that is forged, altered or expired."""


def _key() -> bytes:
    key = os.environ.get("{{upper}}_URL_KEY", "")
    if len(key) < 32:
        raise RuntimeError("{{upper}}_URL_KEY must hold at least 32 characters")
    return key.encode("utf-8")


def _signature(key: bytes, path: str, expires: int) -> str:
    digest = hmac.new(key, f"{path}\\n{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign_{{snake}}_url(
    {{snake}}_id: int, filename: str, ttl: int = DEFAULT_TTL_SECONDS, now: float | None = None
) -> str:
    """A URL that lets its holder fetch one {{words}} file until it expires."""
    path = f"{{{upper}}_URL_PREFIX}{int({{snake}}_id)}/{filename}"
    expires = int((time.time() if now is None else now) + ttl)
    return f"{path}?{urlencode({'expires': expires, 'sig': _signature(_key(), path, expires)})}"


def verify_{{snake}}_url(url: str, now: float | None = None) -> tuple[int, str]:
    """The ({{snake}}_id, filename) a signed URL grants; raises Invalid{{pascal}}Url otherwise."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    try:
        expires = int(query["expires"][0])
        sig = query["sig"][0]
    except (KeyError, IndexError, ValueError) as exc:
        raise Invalid{{pascal}}Url("missing expiry or signature") from exc
    if not hmac.compare_digest(sig, _signature(_key(), parts.path, expires)):
        raise Invalid{{pascal}}Url("bad signature")
    if (time.time() if now is None else now) > expires:
        raise Invalid{{pascal}}Url("expired")
    if not parts.path.startswith({{upper}}_URL_PREFIX):
        raise Invalid{{pascal}}Url("not a {{words}} file")
    number, _, filename = parts.path[len({{upper}}_URL_PREFIX):].partition("/")
    if not number.isdigit() or not filename or "/" in filename:
        raise Invalid{{pascal}}Url("malformed path")
    return int(number), filename
'''

_SIGNED_ROTATING = _patch(
    _SIGNED,
    "with a key from\n{{upper}}_URL_KEY, checked in constant time.",
    "with rotating keys\nfrom {{upper}}_URL_KEYS (\"kid:key,kid:key\", newest first): the newest signs, the URL names "
    "its key id,\nevery listed key still verifies, checked in constant time.",
    '''def _key() -> bytes:
    key = os.environ.get("{{upper}}_URL_KEY", "")
    if len(key) < 32:
        raise RuntimeError("{{upper}}_URL_KEY must hold at least 32 characters")
    return key.encode("utf-8")
''',
    '''def _keys() -> dict[str, bytes]:
    """Key id -> key, newest first, from {{upper}}_URL_KEYS."""
    keys: dict[str, bytes] = {}
    for entry in os.environ.get("{{upper}}_URL_KEYS", "").split(","):
        kid, _, key = entry.strip().partition(":")
        if kid and len(key) >= 32:
            keys[kid] = key.encode("utf-8")
    if not keys:
        raise RuntimeError("{{upper}}_URL_KEYS must hold at least one kid:key of 32+ characters")
    return keys
''',
    '''    expires = int((time.time() if now is None else now) + ttl)
    return f"{path}?{urlencode({'expires': expires, 'sig': _signature(_key(), path, expires)})}"''',
    '''    expires = int((time.time() if now is None else now) + ttl)
    kid, key = next(iter(_keys().items()))
    return f"{path}?{urlencode({'expires': expires, 'kid': kid, 'sig': _signature(key, path, expires)})}"''',
    '''        sig = query["sig"][0]
    except (KeyError, IndexError, ValueError) as exc:
        raise Invalid{{pascal}}Url("missing expiry or signature") from exc
    if not hmac.compare_digest(sig, _signature(_key(), parts.path, expires)):''',
    '''        sig = query["sig"][0]
        key = _keys()[query["kid"][0]]
    except (KeyError, IndexError, ValueError) as exc:
        raise Invalid{{pascal}}Url("missing expiry, key id or signature, or a retired key") from exc
    if not hmac.compare_digest(sig, _signature(key, parts.path, expires)):''',
)


def _signed_common(f: Forms) -> list[str]:
    s, u = f["snake"], f["upper"]
    return [
        "import hmac",
        f'{u}_URL_PREFIX = "/files/{f["kebab_plural"]}/"',
        f"class Invalid{f['pascal']}Url(Exception):",
        f"def sign_{s}_url(\n    {s}_id: int, filename: str",
        f"def verify_{s}_url(url: str, now: float | None = None) -> tuple[int, str]:",
        "hmac.compare_digest(sig, _signature(",
        "hashlib.sha256).digest()",
    ]



# ==========================================================================
# FAMILIES
# ==========================================================================

FAMILIES: list[Family] = [
    Family(
        name="fastapi-websocket-broadcast",
        stack=("python", "fastapi"),
        tasks=(
            "FastAPI websocket endpoint broadcasting {words_plural} to connected clients",
            "Hi! Could you write a small FastAPI app where browsers open a WebSocket at /ws/{kebab_plural} and every "
            "{words} we POST to /{kebab_plural} gets pushed to all of them as JSON? Please cap the number of "
            "clients. Thanks!",
            "Live {sentence} feed:\n- FastAPI, one WebSocket route /ws/{kebab_plural}\n- POST /{kebab_plural} "
            "publishes to every open socket\n- dead sockets are dropped\n- a maximum number of clients",
            "How do I push each new {pascal} to all websocket clients with FastAPI?",
            "{title_plural} must be broadcast in real time over websockets to every connected dashboard; write the "
            "FastAPI hub and its routes.",
            "need a websocket broadcaster (fastapi) for `{snake}` messages, with a connection manager class",
        ),
        code=_code("app/{{snake}}_feed.py", _WS),
        must=lambda f: _ws_common(f),
        must_not=("compare_digest", "token", "code=1008"),
        entities=("event", "status update", "shipment", "courier", "delivery person", "vehicle"),
    ),
    Family(
        name="pytest-conftest-fixtures",
        stack=("python", "pytest"),
        tasks=(
            "Task: write pytest fixtures\nEntity: {title}\nRequirements:\n- a factory fixture make_{snake}()\n- "
            "three sample {words_plural}\n- an in-memory sqlite3 database seeded with them\n- a parametrized "
            "status fixture\nOutput: tests/conftest.py",
            "[qa-agent] Generate conftest.py for the {words} test suite. Entity: {pascal}. Fixtures: factory, "
            "samples, seeded sqlite db (closed after each test), status params.",
            "Task: test fixtures for {words_plural} (pytest).\nEntity: {title}.\nRequirements: factory fixture with "
            "unique ids; a list of samples; a sqlite3 :memory: connection with a `{snake_plural}` table; fixture "
            "params for open/closed.",
            "Hi, could you set up the pytest conftest for our {words} tests? We need a factory, a few samples and a "
            "throwaway SQLite DB with those rows in it.",
            "pytest fixtures for {pascal}: factory + seeded in-memory sqlite",
            "Which fixtures would a conftest.py need to test {words_plural}? Please write them (pytest, sqlite3 in "
            "memory).",
        ),
        code=_code("tests/conftest.py", _CONFTEST, "tests/test_{{snake}}_fixtures.py", _CONFTEST_TEST),
        must=lambda f: _conftest_common(f) + [
            'sqlite3.connect(":memory:")',
            f"def {f['snake']}_db(sample_{f['snake_plural']}: list[{f['pascal']}]) -> Iterator[sqlite3.Connection]:",
        ],
        must_not=("pytest_asyncio", "aiosqlite", "async def"),
        entities=("test case", "patient", "line item", "warranty claim", "lab analysis", "subscription"),
    ),
    Family(
        name="pillow-thumbnails",
        stack=("python", "pillow"),
        tasks=(
            "Pillow thumbnails for {words} photos",
            "Hey, could you write a script that walks media/{kebab_plural}/ and makes a 320px JPEG thumbnail of "
            "each photo with Pillow, skipping anything that isn't an image? Thanks!",
            "{sentence} photo thumbnails:\n- PIL, Image.thumbnail to 320x320\n- output to "
            "media/{kebab_plural}/thumbs/*.jpg\n- skip non-images and thumbnails that are up to date",
            "How can I generate small preview images for every {pascal} picture using PIL?",
            "Thumbnails are to be created for the uploaded images of {words_plural} (Pillow, JPEG output, "
            "decompression bombs refused).",
            "make_{snake}_thumbnail(path) with pillow + a function that thumbnails the whole folder",
        ),
        code=_code("media_tools/{{snake}}_thumbnails.py", _THUMBS),
        must=lambda f: _thumbs_common(f) + ["        with Image.open(source) as image:\n            image.thumbnail"],
        must_not=("exif_transpose", "ImageOps"),
        entities=("vehicle", "shelf", "warranty claim", "delivery person", "shipment", "work order"),
    ),
    Family(
        name="sqlite3-migrations",
        stack=("python", "sqlite3"),
        tasks=(
            "sqlite3 schema migrations for the {words_plural} table",
            "Hi! Could you write a tiny migration runner for our {words_plural} SQLite database? Numbered steps "
            "(create the table, add a status column, an index, a notes column), each applied once in its own "
            "transaction, with the applied versions recorded in a table. Thanks!",
            "Migrations, {snake_plural}.db:\n1. create {snake_plural}\n2. add status\n3. index on status\n4. add "
            "notes\nRun the pending ones in order; record versions in schema_migrations; stdlib sqlite3 only.",
            "How would you version the schema of a `{snake_plural}` table in SQLite without Alembic?",
            "Task: database migrations\nEntity: {title}\nRequirements: sqlite3, ordered steps applied once each, "
            "one transaction per step, migrate up to a target version",
            "The {words} SQLite schema should be upgraded step by step by a plain-Python migrate function; please "
            "write it.",
        ),
        code=_code("db/{{snake}}_migrations.py", _MIGRATIONS),
        must=lambda f: _migrations_common(f),
        must_not=("DROP COLUMN", "def downgrade_", "DELETE FROM schema_migrations"),
        entities=("time entry", "ticket type", "subscription", "patient", "grading criterion"),
    ),
    Family(
        name="heapq-due-scheduler",
        stack=("python", "heapq"),
        tasks=(
            "heapq scheduler for {words_plural}",
            "Hey, could you write a small in-memory scheduler with heapq where I schedule a {words} for a time and "
            "later pop everything that's due, earliest first and by priority on ties? Thanks!",
            "{pascal}Scheduler:\n- heapq min-heap\n- schedule(id, due_at, priority), schedule_in(id, delay)\n- "
            "pop_due(now) returns the due {words_plural} in order\n- stable for equal keys",
            "What's a clean way to queue {words_plural} by due time and priority with Python's heapq?",
            "Due {words_plural} should be released from a priority queue built on heapq when their time comes; "
            "write the scheduler class.",
        ),
        code=_code("scheduling/{{snake}}_scheduler.py", _HEAP),
        must=lambda f: _heap_common(f) + ["due.append(heapq.heappop(self._heap))"],
        must_not=("def cancel(", "cancelled", "_live"),
        entities=("queue item", "work order", "status update", "courier", "lab analysis"),
    ),
    Family(
        name="enum-state-machine",
        stack=("python", "enum"),
        tasks=(
            "Enum state machine for a {words}",
            "Hi there, could you model the lifecycle of a {words} in Python: states draft, submitted, approved, "
            "rejected and closed as an Enum, a table of allowed transitions, and an error when someone tries an "
            "illegal move? Keep a history too. Thanks!",
            "{pascal} workflow states:\n- StrEnum {pascal}State\n- allowed moves in a dict\n- move_to(target, "
            "actor) raises on a bad move\n- history of (from, to, when, who)",
            "How should I implement the status transitions of {words_plural} with enum so that invalid ones are "
            "rejected?",
            "Every {words} moves draft -> submitted -> approved/rejected -> closed; write the state machine (enum + "
            "transition table), refusing illegal moves.",
            "state machine: `{snake}` lifecycle, enum-based, transition table + history",
        ),
        code=_code("domain/{{snake}}_states.py", _STATES),
        must=lambda f: _states_common(f) + [
            "        self.history.append((self.state, target, datetime.now(timezone.utc), actor))"
        ],
        must_not=("on_enter", "_HOOKS", "Callable"),
        entities=(
            "transition request", "work order", "warranty claim", "expense report", "subscription", "shipment",
        ),
    ),
    Family(
        name="smtplib-email-notice",
        stack=("python", "email"),
        tasks=(
            "Send e-mail notifications about {words_plural} with smtplib",
            "Hi! Could you write the code that emails people when a {words} changes status? Plain text plus an "
            "HTML version, sent through our SMTP server with STARTTLS; credentials from environment variables "
            "please.",
            "{sentence} notification mail:\n- email.message.EmailMessage, text + HTML alternative\n- subject "
            "'[{title} <id>] now <status>'\n- smtplib with STARTTLS, login from env\n- one mail per recipient",
            "How do I send a status-change email for a {pascal} using Python's standard library?",
            "Recipients must be notified by e-mail whenever a {words} is updated; build the message and send it "
            "over SMTP.",
            "notify_{snake}_change(recipients, id, status, details) -> sends the mail (smtplib + EmailMessage)",
        ),
        code=_code("notifications/{{snake}}_mail.py", _MAIL_OUT),
        must=lambda f: _mail_out_common(f) + [
            f"send_{f['snake']}_email(build_{f['snake']}_email(recipient, {f['snake']}_id, status, details))"
        ],
        must_not=("add_attachment", "BytesParser", "imaplib"),
        entities=("work order", "expense report", "patient", "warranty claim", "status update", "lab analysis"),
        sensitive=True,
    ),
    Family(
        name="eml-inbox-parser",
        stack=("python", "email"),
        tasks=(
            "Parse incoming {words} e-mails from .eml files",
            "Hey, could you write something that reads the .eml files our mail gateway drops in a folder, finds the "
            "{words} number in the subject like [{upper}-123], and gives me sender, date, plain-text body and "
            "attachment names? Thanks!",
            "Inbound mail about {words_plural}:\n- email.parser.BytesParser with policy.default\n- subject tag "
            "[{upper}-<n>] -> id\n- body: plain text preferred\n- skip mails without a tag, oldest first",
            "How can I extract the {words} reference and the message body from saved email files in Python?",
            "E-mails about {title_plural} are saved as .eml files; they should be parsed into records (id, sender, "
            "date, body, attachments).",
        ),
        code=_code("mailin/{{snake}}_inbox.py", _MAIL_IN),
        must=lambda f: _mail_in_common(f) + [
            f"def read_{f['snake']}_inbox(folder: Path) -> list[Inbound{f['pascal']}Mail]:",
            'folder.glob("*.eml")',
        ],
        must_not=("imaplib", "smtplib", "send_message"),
        entities=("work order", "warranty claim", "expense report", "courier", "patient"),
    ),
    Family(
        name="zipfile-archive-export",
        stack=("python", "zipfile"),
        tasks=(
            "Export {words_plural} to a ZIP archive",
            "Hi, could you write a function that archives our {words_plural}: one JSON file per {words} inside a "
            "dated .zip (deflate compression) plus a manifest.json with each file's SHA-256? Thanks!",
            "{sentence} archive export:\n- zipfile, ZIP_DEFLATED\n- {snake_plural}/<kebab>-<id>.json members\n- "
            "manifest.json with sha256 + size\n- archives/{kebab_plural}/{kebab_plural}-YYYY-MM-DD.zip",
            "How do I bundle a list of {pascal} records into a zip file with Python?",
            "A daily zip of all {words_plural} should be written to disk, each record as JSON, with a manifest.",
            "export_{snake_plural}_zip(records) -> Path, using zipfile",
        ),
        code=_code("archiving/{{snake}}_archive.py", _ZIP_OUT),
        must=lambda f: _archive_out_common(f) + [
            "zipfile.ZIP_DEFLATED",
            "archive.writestr(name, data)",
            f'target = out_dir / f"{f["kebab_plural"]}-{{day.isoformat()}}.zip"',
        ],
        must_not=("tarfile", "is_zipfile", "archive.read("),
        entities=("archive entry", "time entry", "line item", "lab analysis", "grading criterion", "event"),
    ),
    Family(
        name="zipfile-upload-import",
        stack=("python", "zipfile"),
        tasks=(
            "Import {words_plural} from an uploaded ZIP archive",
            "Hi, could you write a function that reads the .zip a user uploads and loads the {words_plural} inside "
            "it (one JSON file each)? Please refuse zip-slip paths, zip bombs and oversized archives. Thanks!",
            "{sentence} archive import:\n- zipfile, every member checked before reading\n- reject absolute paths, "
            "'..', too many files, too large unpacked\n- load {snake_plural}/*.json into dicts, nothing extracted "
            "to disk",
            "How do I safely read {pascal} records out of an untrusted zip file with Python?",
            "Uploaded archives of {words_plural} must be validated and their JSON records loaded without unpacking "
            "them to disk.",
        ),
        code=_code("archiving/{{snake}}_import.py", _ZIP_IN),
        must=lambda f: _archive_in_common(f),
        must_not=("writestr", "ZIP_DEFLATED", "extractall"),
        entities=("archive entry", "line item", "time entry", "patient", "ticket type"),
        sensitive=True,
    ),
    Family(
        name="rich-console-table",
        stack=("python", "rich"),
        tasks=(
            "rich table report of {words_plural} in the terminal",
            "Hey! Could you write a little script that prints our {words_plural} from {snake_plural}.json as a nice "
            "rich table (id, name, coloured status, amount), biggest amount first, with a total at the bottom? "
            "Thanks!",
            "Console report, {title_plural}:\n- rich.table.Table, footer with count and total\n- status coloured "
            "(open yellow, done green, failed red)\n- sorted by amount, descending\n- exit 1 if the file is missing",
            "How can I show a list of {pascal} rows as a formatted table in the terminal with rich?",
            "A terminal report of the {words_plural} is wanted: render it with the rich library, totals included.",
        ),
        code=_code("cli/{{snake}}_report.py", _RICH),
        must=lambda f: _rich_common(f) + [
            f"    console.print({f['snake_plural']}_table(load_{f['snake_plural']}(path)))\n    return 0"
        ],
        must_not=("rich.live", "Live(", "time.sleep"),
        entities=("expense report", "line item", "time entry", "status update", "grading criterion", "courier"),
    ),
    Family(
        name="hmac-signed-download-urls",
        stack=("python", "hmac"),
        tasks=(
            "Task: signed download URLs\nEntity: {title}\nRequirements:\n- HMAC-SHA256 over path + expiry\n- key "
            "from the environment (at least 32 chars)\n- constant-time verification\n- expired or altered links "
            "rejected",
            "[coder-agent] Implement expiring signed links for {words} files. Entity: {pascal}. Stack: python "
            "stdlib (hmac, hashlib). Functions: sign_{snake}_url, verify_{snake}_url.",
            "Task: generate and verify time-limited download links.\nEntity: {title}.\nConstraints: stdlib only; "
            "signature = HMAC of path and expiry; reject tampering with compare_digest.",
            "Hi! We need links to {words} attachments that stop working after 15 minutes and can't be forged. Could "
            "you write the signing and checking code with hmac?",
            "hmac signed url for {kebab_plural} files, with expiry",
            "Can you sign /files/{kebab_plural}/ URLs so that only the holder can download them until they expire?",
        ),
        code=_code("security/{{snake}}_urls.py", _SIGNED),
        must=lambda f: _signed_common(f) + [
            f'os.environ.get("{f["upper"]}_URL_KEY", "")',
            "_signature(_key(), parts.path, expires)",
        ],
        must_not=("_URL_KEYS", "kid"),
        entities=("download link", "expense report", "lab analysis", "warranty claim", "patient", "vehicle"),
        sensitive=True,
    ),
]


# ==========================================================================
# NEAR MISSES: one requirement added or changed
# ==========================================================================

NEAR_MISSES: list[Family] = [
    Family(
        name="fastapi-websocket-broadcast-token",
        base="fastapi-websocket-broadcast",
        stack=("python", "fastapi"),
        tasks=(
            "FastAPI websocket endpoint broadcasting {words_plural} to clients that present an access token",
            "Hi! Could you write a FastAPI app where dashboards open /ws/{kebab_plural}?token=... and receive every "
            "{words} we POST to /{kebab_plural}? Sockets without the right token (from an env variable) must be "
            "refused. Thanks!",
            "Live {sentence} feed:\n- FastAPI WebSocket route /ws/{kebab_plural}, token checked in constant time "
            "before accept\n- POST /{kebab_plural} publishes to every open socket\n- close code 1008 for a wrong "
            "token",
            "How do I push each new {pascal} to websocket clients with FastAPI, but only to authenticated ones?",
        ),
        code=_code("app/{{snake}}_feed.py", _WS_TOKEN),
        must=lambda f: _ws_common(f) + [
            f'os.environ.get("{f["upper"]}_FEED_TOKEN", "")',
            "hmac.compare_digest(given.encode(",
            "await websocket.close(code=1008)",
        ],
        entities=("event", "courier", "status update", "delivery person"),
        sensitive=True,
    ),
    Family(
        name="pytest-conftest-async-fixtures",
        base="pytest-conftest-fixtures",
        stack=("python", "pytest"),
        tasks=(
            "Task: write async pytest fixtures\nEntity: {title}\nRequirements:\n- a factory fixture make_{snake}()\n"
            "- three sample {words_plural}\n- an aiosqlite in-memory database seeded with them (pytest-asyncio "
            "fixture)\nOutput: tests/conftest.py",
            "[qa-agent] Generate conftest.py for the async {words} test suite. Entity: {pascal}. Fixtures: factory, "
            "samples, seeded aiosqlite db via pytest_asyncio.",
            "Hi, could you set up a pytest conftest for our {words} tests where the throwaway SQLite DB is async "
            "(aiosqlite, pytest-asyncio fixtures)?",
            "pytest-asyncio fixtures for {pascal}: factory + seeded in-memory aiosqlite",
        ),
        code=_code("tests/conftest.py", _CONFTEST_ASYNC, "tests/test_{{snake}}_fixtures.py", _CONFTEST_ASYNC_TEST),
        must=lambda f: _conftest_common(f) + [
            "import pytest_asyncio",
            "@pytest_asyncio.fixture",
            'async with aiosqlite.connect(":memory:") as conn:',
            f"async def {f['snake']}_db(sample_{f['snake_plural']}: list[{f['pascal']}]) -> "
            "AsyncIterator[aiosqlite.Connection]:",
        ],
        must_not=("sqlite3.connect(", "import sqlite3"),
        entities=("test case", "subscription", "lab analysis", "patient"),
    ),
    Family(
        name="pillow-thumbnails-exif",
        base="pillow-thumbnails",
        stack=("python", "pillow"),
        tasks=(
            "Pillow thumbnails for {words} photos, rotated upright from their EXIF orientation",
            "Hey, could you write a script that makes a 320px JPEG thumbnail of each photo in media/{kebab_plural}/ "
            "with Pillow? Phone pictures come out sideways, so honour the EXIF orientation tag. Thanks!",
            "{sentence} photo thumbnails:\n- PIL, ImageOps.exif_transpose before resizing\n- Image.thumbnail to "
            "320x320\n- output to media/{kebab_plural}/thumbs/*.jpg",
            "How can I generate preview images for every {pascal} picture using PIL so that rotated camera shots "
            "show the right way up?",
        ),
        code=_code("media_tools/{{snake}}_thumbnails.py", _THUMBS_EXIF),
        must=lambda f: _thumbs_common(f) + ["from PIL import Image, ImageOps", "ImageOps.exif_transpose(opened)"],
        entities=("vehicle", "shelf", "delivery person", "work order"),
    ),
    Family(
        name="sqlite3-migrations-reversible",
        base="sqlite3-migrations",
        stack=("python", "sqlite3"),
        tasks=(
            "sqlite3 schema migrations for the {words_plural} table, with down steps to roll back",
            "Hi! Could you write a migration runner for our {words_plural} SQLite database where every numbered "
            "step also has a downgrade, so we can roll back to an earlier version? Thanks!",
            "Migrations, {snake_plural}.db:\n1. create {snake_plural}\n2. add status\n3. index on status\n4. add "
            "notes\nEach step with up and down SQL; migrate up to a version or downgrade back to one.",
            "How would you version the schema of a `{snake_plural}` table in SQLite reversibly (upgrade and "
            "downgrade) without Alembic?",
        ),
        code=_code("db/{{snake}}_migrations.py", _MIGRATIONS_DOWN),
        must=lambda f: _migrations_common(f) + [
            f"ALTER TABLE {f['snake_plural']} DROP COLUMN status",
            f"def downgrade_{f['snake_plural']}(conn: sqlite3.Connection, target: int) -> int:",
            "DELETE FROM schema_migrations WHERE version = ?",
        ],
        entities=("time entry", "grading criterion", "ticket type", "patient"),
    ),
    Family(
        name="heapq-due-scheduler-cancel",
        base="heapq-due-scheduler",
        stack=("python", "heapq"),
        tasks=(
            "heapq scheduler for {words_plural} that can cancel a scheduled one",
            "Hey, could you write an in-memory heapq scheduler where I schedule a {words} for a time, can cancel it "
            "by id before it's due, and pop everything that's due? Thanks!",
            "{pascal}Scheduler:\n- heapq min-heap\n- schedule(id, due_at, priority)\n- cancel(id) -> bool (lazy "
            "deletion)\n- pop_due(now) skips cancelled {words_plural}",
            "What's a clean way to queue {words_plural} by due time with heapq and still be able to cancel one?",
        ),
        code=_code("scheduling/{{snake}}_scheduler.py", _HEAP_CANCEL),
        must=lambda f: _heap_common(f) + [
            f"def cancel(self, {f['snake']}_id: str) -> bool:",
            "entry.cancelled = True",
            "if not entry.cancelled:",
        ],
        entities=("queue item", "courier", "work order", "lab analysis"),
    ),
    Family(
        name="enum-state-machine-hooks",
        base="enum-state-machine",
        stack=("python", "enum"),
        tasks=(
            "Enum state machine for a {words}, with callbacks run on entering a state",
            "Hi there, could you model the lifecycle of a {words} (draft, submitted, approved, rejected, closed) as "
            "an Enum with a transition table, and let other code register hooks that run whenever a {words} enters "
            "a given state? Thanks!",
            "{pascal} workflow states:\n- StrEnum {pascal}State, allowed moves in a dict\n- move_to(target, actor) "
            "raises on a bad move\n- on_enter(state, callback) hooks called after each move",
            "How should I implement {words} status transitions with enum and notify listeners when a state is "
            "entered?",
        ),
        code=_code("domain/{{snake}}_states.py", _STATES_HOOKS),
        must=lambda f: _states_common(f) + [
            f"def on_enter(state: {f['pascal']}State, callback: {f['pascal']}Hook) -> None:",
            "for hook in list(_HOOKS[target]):",
        ],
        entities=("transition request", "expense report", "shipment", "warranty claim"),
    ),
    Family(
        name="smtplib-email-notice-csv",
        base="smtplib-email-notice",
        stack=("python", "email"),
        tasks=(
            "Send e-mail notifications about {words_plural} with smtplib, with the rows attached as a CSV file",
            "Hi! Could you write the code that emails people when a {words} changes status (text + HTML, SMTP with "
            "STARTTLS, creds from env) and attaches the related rows as a CSV? Thanks!",
            "{sentence} notification mail:\n- EmailMessage, text + HTML alternative\n- a {snake_plural}.csv "
            "attachment built with the csv module\n- smtplib with STARTTLS, login from env",
            "How do I send a status-change email for a {pascal} with a CSV attachment using the standard library?",
        ),
        code=_code("notifications/{{snake}}_mail.py", _MAIL_OUT_CSV),
        must=lambda f: _mail_out_common(f) + [
            "msg.add_attachment(",
            f'filename="{f["snake_plural"]}.csv"',
            "csv.DictWriter(buffer",
        ],
        entities=("expense report", "work order", "lab analysis", "status update"),
        sensitive=True,
    ),
    Family(
        name="eml-inbox-parser-imap",
        base="eml-inbox-parser",
        stack=("python", "email"),
        tasks=(
            "Parse incoming {words} e-mails straight from an IMAP mailbox",
            "Hey, could you write something that logs into our IMAP inbox over SSL, fetches the unread mails, finds "
            "the {words} number in the subject like [{upper}-123], and gives me sender, date, body and attachment "
            "names? Thanks!",
            "Inbound mail about {words_plural}:\n- imaplib.IMAP4_SSL, credentials from env, UNSEEN messages only\n- "
            "BytesParser with policy.default\n- subject tag [{upper}-<n>] -> id",
            "How can I pull unread {words} emails from an IMAP server and extract their reference and body in "
            "Python?",
        ),
        code=_code("mailin/{{snake}}_inbox.py", _MAIL_IN_IMAP),
        must=lambda f: _mail_in_common(f) + [
            'with imaplib.IMAP4_SSL(os.environ["IMAP_HOST"], timeout=30) as imap:',
            'imap.search(None, "UNSEEN")',
            'imap.login(os.environ["IMAP_USER"], os.environ["IMAP_PASSWORD"])',
        ],
        must_not=('folder.glob("*.eml")',),
        entities=("warranty claim", "courier", "work order", "patient"),
        sensitive=True,
    ),
    Family(
        name="tarfile-archive-export",
        base="zipfile-archive-export",
        stack=("python", "tarfile"),
        tasks=(
            "Export {words_plural} to a .tar.gz archive",
            "Hi, could you write a function that archives our {words_plural}: one JSON file per {words} inside a "
            "dated gzipped tarball plus a manifest.json with each file's SHA-256? Thanks!",
            "{sentence} archive export:\n- tarfile, mode w:gz\n- {snake_plural}/<kebab>-<id>.json members\n- "
            "manifest.json with sha256 + size\n- archives/{kebab_plural}/{kebab_plural}-YYYY-MM-DD.tar.gz",
            "How do I bundle a list of {pascal} records into a tar.gz file with Python?",
        ),
        code=_code("archiving/{{snake}}_archive.py", _TAR_OUT),
        must=lambda f: _archive_out_common(f) + [
            'with tarfile.open(target, "w:gz") as archive:',
            "archive.addfile(info, io.BytesIO(data))",
            f'target = out_dir / f"{f["kebab_plural"]}-{{day.isoformat()}}.tar.gz"',
        ],
        must_not=("zipfile", "writestr"),
        entities=("archive entry", "event", "grading criterion", "line item"),
    ),
    Family(
        name="rich-console-table-live",
        base="rich-console-table",
        stack=("python", "rich"),
        tasks=(
            "rich table report of {words_plural} in the terminal, refreshing live every few seconds",
            "Hey! Could you write a script that shows our {words_plural} from {snake_plural}.json as a rich table "
            "(id, name, coloured status, amount, total) and keeps it updated live, re-reading the file every 2 "
            "seconds? Thanks!",
            "Console report, {title_plural}:\n- rich.table.Table with footer totals\n- rich.live.Live, re-read the "
            "JSON file every N seconds until Ctrl-C\n- sorted by amount, descending",
            "How can I show {pascal} rows as a live-updating table in the terminal with rich?",
        ),
        code=_code("cli/{{snake}}_report.py", _RICH_LIVE),
        must=lambda f: _rich_common(f) + [
            "from rich.live import Live",
            f"live.update({f['snake_plural']}_table(load_{f['snake_plural']}(path)))",
            "time.sleep(every)",
        ],
        entities=("status update", "time entry", "courier", "expense report"),
    ),
    Family(
        name="hmac-signed-download-urls-rotation",
        base="hmac-signed-download-urls",
        stack=("python", "hmac"),
        tasks=(
            "Task: signed download URLs with key rotation\nEntity: {title}\nRequirements:\n- HMAC-SHA256 over path "
            "+ expiry\n- several keys from the environment, each with an id; sign with the newest, accept all\n- "
            "constant-time verification",
            "[coder-agent] Implement expiring signed links for {words} files that survive a key rotation (kid in "
            "the URL, old keys still verify). Entity: {pascal}. Functions: sign_{snake}_url, verify_{snake}_url.",
            "Hi! We need links to {words} attachments that stop working after 15 minutes and can't be forged, and "
            "we must be able to rotate the signing key without breaking links already sent. Could you write it "
            "with hmac?",
            "hmac signed url for {kebab_plural} files, with expiry and rotating keys",
        ),
        code=_code("security/{{snake}}_urls.py", _SIGNED_ROTATING),
        must=lambda f: _signed_common(f) + [
            f'os.environ.get("{f["upper"]}_URL_KEYS", "")',
            "def _keys() -> dict[str, bytes]:",
            'key = _keys()[query["kid"][0]]',
        ],
        must_not=("def _key() -> bytes:",),
        entities=("download link", "patient", "vehicle", "lab analysis"),
        sensitive=True,
    ),
]
