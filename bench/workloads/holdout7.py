"""Seventh blind hold-out workload for the template-learning benchmark: the everyday traffic of a platform's
coding agents (a coder, a QA agent, a data agent) on mainstream stacks, doing jobs the earlier workloads do not.

Written without looking at the engine (only the harness ``bench/learning.py``, ``bench/README.md``, the README,
``contracts/``, the interface of ``holdout6.py`` / ``holdout5.py``, the docstrings of the earlier workloads and
the self-checks ``check_holdout.py`` / ``check_holdout6.py`` were read). The ``forms`` helpers, ``Family``,
``_render``, ``_code`` and ``_patch`` are copied verbatim from ``holdout6.py``.

Fourteen jobs, thirteen of them on mainstream stacks: ETag / If-None-Match conditional GET (FastAPI), bulk upsert
with INSERT ... ON CONFLICT (SQLAlchemy 2, SQLite dialect), keyset pagination with an opaque cursor (SQLAlchemy 2),
a fixed-window rate limiter (redis-py), a sorted-set leaderboard (redis-py), a streaming download through a
.part file (httpx), an OAuth 2.0 client-credentials API client (requests), a discriminated union of message
payloads (pydantic v2), one Markdown page per record (Jinja2), a prune-old-files command (Typer), reconciling two
CSV exports (pandas), combining many CSV exports with de-duplication (pandas), a normaliser with parametrized
tests (pytest) and the next occurrences of an RRULE (python-dateutil). One distractor pair shares its stack and
most of its words but not its job (reconcile two exports / combine many exports); two more pairs share a stack
(SQLAlchemy upsert / keyset pages; Redis rate limit / leaderboard). Twelve near misses change or add exactly one
requirement of a base family: an API-key restriction on the conditional GET (security-sensitive where the base is
not), the PostgreSQL dialect's insert instead of SQLite's, an AsyncSession, a sliding window instead of fixed
buckets, a leaderboard reset every ISO week, a resumable download (HTTP Range), mutual TLS on the OAuth client,
unknown fields forbidden in the payloads, HTML output instead of Markdown, a --keep-last safety net on pruning,
a numeric tolerance in the reconciliation and blackout dates skipped in the recurrence.

Entities include generic words (work item, usage record, account entry, change set, data export, search result,
progress update, report card, daily digest, meeting note, user action, stock level), words that collide with
the job (cache entry and resource version for ETags, rate card for the rate limiter, team score and top
contributor for the leaderboard, identity provider for OAuth, page template for Jinja2, cache file for pruning,
change set for the reconciliation, data export for combining exports, test hypothesis and coupon code for the
pytest suite, recurring reminder for the recurrence), irregular plurals (sales person, crisis, alumnus, test
hypothesis, price matrix, game hero, activity, tax authority, delivery status, customer address, store branch),
and task texts that write the entity as an identifier (PascalCase, snake_case, kebab-case, UPPER_CASE) as well as
in words. Tasks are phrased tersely, chattily ("hey could you put together ..."), as generated agent prompts
("Task: ... Entity: ... Requirements: - ...") and as requirement lists after a colon.

Every rendered reference answer imports cleanly, passes ``ruff check --isolated`` (ruff 0.17 defaults) and
``bandit -ll`` (no medium or high finding), is fully type-hinted with docstrings on its public functions and
classes, and was smoke-run on small temporary data (fakes standing in for Redis and HTTP servers) while this file
was written.

Reference code is written as templates with ``{{key}}`` placeholders over the keys of :func:`forms`; in the
rendered code ``{{`` appears only in the Jinja2 family's ``.md.j2`` template file, as Jinja2's own ``{{ name }}``
(with spaces, so never a placeholder). Near-miss answers are their base's text with one requirement patched in
(``_patch`` fails loudly when a patch no longer applies).
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
# 1. FastAPI: conditional GET with ETag / If-None-Match (+ API key)
# ==========================================================================

_ETAG = r'''
"""Read endpoint for {{words_plural}} with ETags (FastAPI): the ETag is the SHA-256 of the canonical JSON body, and
a request whose If-None-Match names it gets 304 Not Modified without a body."""
from __future__ import annotations

import hashlib
import json

from fastapi import APIRouter, Header, HTTPException, Response
from pydantic import BaseModel

router = APIRouter(prefix="/{{kebab_plural}}", tags=["{{title_plural}}"])


class {{pascal}}(BaseModel):
    """One {{words}} as the API returns it."""

    id: int
    name: str
    version: int = 1


{{upper_plural}}: dict[int, {{pascal}}] = {}


def {{snake}}_etag(record: {{pascal}}) -> str:
    """A strong ETag: the quoted SHA-256 of the canonical JSON of one {{words}}."""
    body = json.dumps(record.model_dump(mode="json"), sort_keys=True, separators=(",", ":")).encode()
    return f'"{hashlib.sha256(body).hexdigest()}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """True when an If-None-Match header lists this ETag (weak or strong) or is *."""
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


@router.get("/{{{snake}}_id}", response_model=None)
def get_{{snake}}(
    {{snake}}_id: int, response: Response, if_none_match: str | None = Header(default=None)
) -> {{pascal}} | Response:
    """One {{words}} with its ETag; 304 when the caller's copy is current, 404 when there is no such {{words}}."""
    record = {{upper_plural}}.get({{snake}}_id)
    if record is None:
        raise HTTPException(status_code=404, detail="{{sentence}} not found")
    etag = {{snake}}_etag(record)
    if etag_matches(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache"
    return record
'''

_ETAG_API_KEY = _patch(
    _ETAG,
    "a request whose If-None-Match names it gets 304 Not Modified without a body.",
    "a request whose If-None-Match names it gets 304 Not Modified without a body. Only callers whose X-API-Key\n"
    "header matches the key in the environment get through.",
    "import hashlib\nimport json\n",
    "import hashlib\nimport json\nimport os\nimport secrets\n",
    "from fastapi import APIRouter, Header, HTTPException, Response",
    "from fastapi import APIRouter, Depends, Header, HTTPException, Response",
    'router = APIRouter(prefix="/{{kebab_plural}}", tags=["{{title_plural}}"])',
    '''
def require_{{snake}}_api_key(x_api_key: str | None = Header(default=None)) -> None:
    """Refuse the call with 401 unless X-API-Key equals {{upper}}_API_KEY (compared in constant time)."""
    expected = os.environ.get("{{upper}}_API_KEY", "")
    if not expected or not x_api_key or not secrets.compare_digest(x_api_key.encode(), expected.encode()):
        raise HTTPException(status_code=401, detail="invalid or missing API key")


router = APIRouter(
    prefix="/{{kebab_plural}}", tags=["{{title_plural}}"], dependencies=[Depends(require_{{snake}}_api_key)]
)''',
)


def _etag_common(f: Forms) -> list[str]:
    return [
        f"class {f['pascal']}(BaseModel):",
        f"{f['upper_plural']}: dict[int, {f['pascal']}] = {{}}",
        f"def {f['snake']}_etag(record: {f['pascal']}) -> str:",
        "return f'\"{hashlib.sha256(body).hexdigest()}\"'",
        f'@router.get("/{{{f["snake"]}_id}}", response_model=None)',
        f"record = {f['upper_plural']}.get({f['snake']}_id)",
        "if_none_match: str | None = Header(default=None)",
        'return Response(status_code=304, headers={"ETag": etag})',
    ]


# ==========================================================================
# 2. SQLAlchemy 2: bulk upsert, SQLite dialect (+ PostgreSQL dialect)
# ==========================================================================

_UPSERT = r'''
"""Bulk upsert of {{words_plural}} with SQLAlchemy 2: one INSERT ... ON CONFLICT (external_id) DO UPDATE per batch
of 500 rows (SQLite dialect), so a feed that is sent again updates the rows it already delivered."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric, String, create_engine
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

BATCH_SIZE = 500
{{upper}}_DATABASE_URL = "sqlite:///{{snake_plural}}.db"


class Base(DeclarativeBase):
    """Declarative base of the {{words}} tables."""


class {{pascal}}(Base):
    """A {{words}} row, unique on the id it has in the system it comes from."""

    __tablename__ = "{{snake_plural}}"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _upsert_batch(session: Session, batch: list[dict[str, Any]]) -> None:
    """One INSERT ... ON CONFLICT DO UPDATE statement for a batch of rows."""
    statement = insert({{pascal}}).values(batch)
    statement = statement.on_conflict_do_update(
        index_elements=[{{pascal}}.external_id],
        set_={
            "name": statement.excluded.name,
            "amount": statement.excluded.amount,
            "updated_at": statement.excluded.updated_at,
        },
    )
    session.execute(statement)


def upsert_{{snake_plural}}(session: Session, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert new {{words_plural}}, update those whose external_id exists; commit and return the rows sent."""
    now = datetime.now(UTC)
    batch: list[dict[str, Any]] = []
    sent = 0
    for row in rows:
        batch.append(
            {
                "external_id": str(row["external_id"]),
                "name": str(row["name"]),
                "amount": Decimal(str(row["amount"])),
                "updated_at": now,
            }
        )
        if len(batch) == BATCH_SIZE:
            _upsert_batch(session, batch)
            sent, batch = sent + len(batch), []
    if batch:
        _upsert_batch(session, batch)
        sent += len(batch)
    session.commit()
    return sent


def {{snake}}_engine(url: str = {{upper}}_DATABASE_URL) -> Engine:
    """An engine on url with the {{words}} table created."""
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    return engine
'''

_UPSERT_PG = _patch(
    _UPSERT,
    "of 500 rows (SQLite dialect), so a feed",
    "of 500 rows (PostgreSQL dialect, psycopg 3), so a feed",
    "from collections.abc import Iterable, Mapping\n",
    "import os\nfrom collections.abc import Iterable, Mapping\n",
    "from sqlalchemy.dialects.sqlite import insert",
    "from sqlalchemy.dialects.postgresql import insert",
    '{{upper}}_DATABASE_URL = "sqlite:///{{snake_plural}}.db"',
    '{{upper}}_DATABASE_URL = os.environ.get("{{upper}}_DATABASE_URL", "postgresql+psycopg://localhost/{{snake_plural}}")',
)


def _upsert_common(f: Forms) -> list[str]:
    return [
        f"class {f['pascal']}(Base):",
        f'__tablename__ = "{f["snake_plural"]}"',
        "external_id: Mapped[str] = mapped_column(String(64), unique=True)",
        f"statement = insert({f['pascal']}).values(batch)",
        "statement = statement.on_conflict_do_update(",
        f"index_elements=[{f['pascal']}.external_id],",
        f"def upsert_{f['snake_plural']}(session: Session, rows: Iterable[Mapping[str, Any]]) -> int:",
        f"def {f['snake']}_engine(url: str = {f['upper']}_DATABASE_URL) -> Engine:",
    ]


# ==========================================================================
# 3. SQLAlchemy 2: keyset pagination with an opaque cursor (+ AsyncSession)
# ==========================================================================

_KEYSET = r'''
"""Keyset (seek) pagination of {{words_plural}} with SQLAlchemy 2: pages ordered by (created_at, id), the next page
found with a row-value comparison instead of OFFSET, the position handed out as an opaque URL-safe cursor."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, String, select, tuple_
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

PAGE_SIZE = 50


class Base(DeclarativeBase):
    """Declarative base of the {{words}} tables."""


class {{pascal}}(Base):
    """A {{words}} row."""

    __tablename__ = "{{snake_plural}}"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)


@dataclass(frozen=True)
class {{pascal}}Page:
    """One page of {{words_plural}} and the cursor of the next one (None on the last page)."""

    rows: list[{{pascal}}]
    next_cursor: str | None


def encode_cursor(created_at: datetime, row_id: int) -> str:
    """An opaque URL-safe cursor for the position just after (created_at, row_id)."""
    raw = json.dumps([created_at.isoformat(), row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (created_at, id) position a cursor stands for; ValueError when it is malformed."""
    try:
        created, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(created), int(row_id)
    except (ValueError, TypeError) as exc:
        raise ValueError("invalid {{words}} cursor") from exc


def list_{{snake_plural}}(session: Session, cursor: str | None = None, limit: int = PAGE_SIZE) -> {{pascal}}Page:
    """The page of {{words_plural}} after the cursor, oldest first; no OFFSET, however deep the page."""
    query = select({{pascal}}).order_by({{pascal}}.created_at, {{pascal}}.id).limit(limit + 1)
    if cursor:
        query = query.where(tuple_({{pascal}}.created_at, {{pascal}}.id) > decode_cursor(cursor))
    found = list(session.scalars(query))
    page = found[:limit]
    last = page[-1] if page else None
    next_cursor = encode_cursor(last.created_at, last.id) if last is not None and len(found) > limit else None
    return {{pascal}}Page(rows=page, next_cursor=next_cursor)
'''

_KEYSET_ASYNC = _patch(
    _KEYSET,
    "found with a row-value comparison instead of OFFSET,",
    "found with a row-value comparison instead of OFFSET, read through an AsyncSession,",
    "from sqlalchemy import DateTime, String, select, tuple_\n",
    "from sqlalchemy import DateTime, String, select, tuple_\nfrom sqlalchemy.ext.asyncio import AsyncSession\n",
    "from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column",
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column",
    "def list_{{snake_plural}}(session: Session, cursor: str | None = None, limit: int = PAGE_SIZE) -> {{pascal}}Page:",
    "async def list_{{snake_plural}}(\n    session: AsyncSession, cursor: str | None = None, limit: int = PAGE_SIZE\n)"
    " -> {{pascal}}Page:",
    "    found = list(session.scalars(query))",
    "    found = list((await session.scalars(query)).all())",
)


def _keyset_common(f: Forms) -> list[str]:
    return [
        f"class {f['pascal']}(Base):",
        f'__tablename__ = "{f["snake_plural"]}"',
        f"class {f['pascal']}Page:",
        f"query = select({f['pascal']}).order_by({f['pascal']}.created_at, {f['pascal']}.id).limit(limit + 1)",
        f"query = query.where(tuple_({f['pascal']}.created_at, {f['pascal']}.id) > decode_cursor(cursor))",
        "return base64.urlsafe_b64encode(raw).decode()",
        f"return {f['pascal']}Page(rows=page, next_cursor=next_cursor)",
    ]


# ==========================================================================
# 4. redis-py: fixed-window rate limiter (+ sliding window)
# ==========================================================================

_RATE = r'''
"""Fixed-window rate limit for {{words_plural}} on Redis: one counter per key and window, INCR and EXPIRE (NX) in a
single MULTI/EXEC pipeline, so that every app server shares the same count."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass

import redis

{{upper}}_LIMIT = int(os.environ.get("{{upper}}_RATE_LIMIT", "100"))
{{upper}}_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class {{pascal}}RateDecision:
    """Whether one {{words}} may go ahead, what is left of the window and when it resets."""

    allowed: bool
    remaining: int
    reset_in: int


class {{pascal}}RateLimiter:
    """At most limit {{words_plural}} per key in each fixed window of window seconds."""

    def __init__(
        self, client: redis.Redis, limit: int = {{upper}}_LIMIT, window: int = {{upper}}_WINDOW_SECONDS
    ) -> None:
        """Count on client; allow limit hits per window seconds."""
        self.client = client
        self.limit = limit
        self.window = window

    def hit(self, key: str) -> {{pascal}}RateDecision:
        """Count one {{words}} for key and say whether it is within the limit."""
        now = time.time()
        window_key = f"ratelimit:{{kebab}}:{key}:{int(now // self.window)}"
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(window_key)
        pipe.expire(window_key, self.window, nx=True)
        count, _ = pipe.execute()
        reset_in = self.window - int(now % self.window)
        return {{pascal}}RateDecision(allowed=count <= self.limit, remaining=max(0, self.limit - count), reset_in=reset_in)


def {{snake}}_rate_limiter() -> {{pascal}}RateLimiter:
    """A limiter on the Redis server of REDIS_URL."""
    return {{pascal}}RateLimiter(redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0")))
'''

_RATE_SLIDING = _patch(
    _RATE,
    '''"""Fixed-window rate limit for {{words_plural}} on Redis: one counter per key and window, INCR and EXPIRE (NX) in a
single MULTI/EXEC pipeline, so that every app server shares the same count."""''',
    '''"""Sliding-window rate limit for {{words_plural}} on Redis: one sorted set of hit timestamps per key; hits older
than the window are trimmed and the rest counted in a single MULTI/EXEC pipeline, so that every app server shares
the same count and no burst slips through at a window boundary."""''',
    "import time\n",
    "import time\nimport uuid\n",
    "per key in each fixed window of window seconds.",
    "per key in any window of window seconds.",
    '''        window_key = f"ratelimit:{{kebab}}:{key}:{int(now // self.window)}"
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(window_key)
        pipe.expire(window_key, self.window, nx=True)
        count, _ = pipe.execute()
        reset_in = self.window - int(now % self.window)''',
    '''        window_key = f"ratelimit:{{kebab}}:{key}"
        member = f"{now:.6f}:{uuid.uuid4().hex[:8]}"
        pipe = self.client.pipeline(transaction=True)
        pipe.zremrangebyscore(window_key, 0, now - self.window)
        pipe.zadd(window_key, {member: now})
        pipe.zcard(window_key)
        pipe.expire(window_key, self.window)
        _, _, count, _ = pipe.execute()
        oldest = self.client.zrange(window_key, 0, 0, withscores=True)
        reset_in = int(oldest[0][1] + self.window - now) + 1 if oldest else self.window''',
)


def _rate_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_LIMIT = int(os.environ.get("{f["upper"]}_RATE_LIMIT", "100"))',
        f"class {f['pascal']}RateDecision:",
        f"class {f['pascal']}RateLimiter:",
        f"def hit(self, key: str) -> {f['pascal']}RateDecision:",
        "pipe = self.client.pipeline(transaction=True)",
        f"def {f['snake']}_rate_limiter() -> {f['pascal']}RateLimiter:",
    ]


# ==========================================================================
# 5. redis-py: sorted-set leaderboard (+ weekly boards)
# ==========================================================================

_BOARD = r'''
"""{{title}} leaderboard on a Redis sorted set: ZINCRBY adds points, ZREVRANGE reads the top N with their scores,
ZREVRANK gives one member's 1-based rank."""
from __future__ import annotations

import os

import redis

{{upper}}_BOARD_KEY = "leaderboard:{{kebab_plural}}"


class {{pascal}}Leaderboard:
    """Scores of {{words_plural}}, highest first."""

    def __init__(self, client: redis.Redis, key: str = {{upper}}_BOARD_KEY) -> None:
        """Keep the board under key on client."""
        self.client = client
        self.key = key

    def add_points(self, member: str, points: float) -> float:
        """Add points to one {{words}} and return its new score."""
        return float(self.client.zincrby(self.key, points, member))

    def top(self, count: int = 10) -> list[tuple[str, float]]:
        """The count best {{words_plural}} with their scores, best first."""
        ranked = self.client.zrevrange(self.key, 0, count - 1, withscores=True)
        return [(_text(member), float(score)) for member, score in ranked]

    def rank(self, member: str) -> int | None:
        """1-based rank of one {{words}}, or None when it has no score yet."""
        position = self.client.zrevrank(self.key, member)
        return None if position is None else int(position) + 1

    def reset(self) -> None:
        """Remove every score."""
        self.client.delete(self.key)


def _text(value: bytes | str) -> str:
    """A member name as text, whether the client decodes responses or not."""
    return value.decode() if isinstance(value, bytes) else value


def {{snake}}_leaderboard() -> {{pascal}}Leaderboard:
    """The board on the Redis server of REDIS_URL."""
    return {{pascal}}Leaderboard(redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0")))
'''

_BOARD_WEEKLY = _patch(
    _BOARD,
    '''ZREVRANK gives one member's 1-based rank."""''',
    '''ZREVRANK gives one member's 1-based rank. There is one board per ISO week (the board starts over every Monday);
the board of a past week expires after eight weeks."""''',
    "import os\n",
    "import os\nfrom datetime import date\n",
    '{{upper}}_BOARD_KEY = "leaderboard:{{kebab_plural}}"',
    '{{upper}}_BOARD_KEY = "leaderboard:{{kebab_plural}}"\n{{upper}}_KEEP_SECONDS = 8 * 7 * 24 * 3600',
    '''    def add_points(self, member: str, points: float) -> float:
        """Add points to one {{words}} and return its new score."""
        return float(self.client.zincrby(self.key, points, member))''',
    '''    def week_key(self, day: date | None = None) -> str:
        """The key of the board of the ISO week of day (today by default)."""
        year, week, _ = (day or date.today()).isocalendar()
        return f"{self.key}:{year}-W{week:02d}"

    def add_points(self, member: str, points: float) -> float:
        """Add points to one {{words}} on this week's board and return its new score."""
        key = self.week_key()
        pipe = self.client.pipeline()
        pipe.zincrby(key, points, member)
        pipe.expire(key, {{upper}}_KEEP_SECONDS)
        score, _ = pipe.execute()
        return float(score)''',
    "ranked = self.client.zrevrange(self.key, 0, count - 1, withscores=True)",
    "ranked = self.client.zrevrange(self.week_key(), 0, count - 1, withscores=True)",
    "position = self.client.zrevrank(self.key, member)",
    "position = self.client.zrevrank(self.week_key(), member)",
    '''        """Remove every score."""
        self.client.delete(self.key)''',
    '''        """Remove every score of this week."""
        self.client.delete(self.week_key())''',
)


def _board_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_BOARD_KEY = "leaderboard:{f["kebab_plural"]}"',
        f"class {f['pascal']}Leaderboard:",
        f"def __init__(self, client: redis.Redis, key: str = {f['upper']}_BOARD_KEY) -> None:",
        "def top(self, count: int = 10) -> list[tuple[str, float]]:",
        "return None if position is None else int(position) + 1",
        f"def {f['snake']}_leaderboard() -> {f['pascal']}Leaderboard:",
    ]


# ==========================================================================
# 6. httpx: streaming download through a .part file (+ resume with Range)
# ==========================================================================

_DOWNLOAD = r'''
"""Download {{words}} files with httpx streaming: the body goes to disk in 256 KiB chunks through a .part file that
is renamed into place only once complete, so a failed download never leaves a truncated {{words}} behind."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import httpx

{{upper}}_DOWNLOAD_DIR = Path("downloads/{{kebab_plural}}")
CHUNK_SIZE = 256 * 1024
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def download_{{snake}}(url: str, name: str, target_dir: Path = {{upper}}_DOWNLOAD_DIR) -> Path:
    """Stream one {{words}} from url to target_dir/name and return the final path."""
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / Path(name).name
    partial = target.with_name(target.name + ".part")
    with (
        httpx.Client(timeout=TIMEOUT, follow_redirects=True) as client,
        client.stream("GET", url) as response,
    ):
        response.raise_for_status()
        expected = int(response.headers.get("Content-Length") or 0)
        with partial.open("wb") as out:
            for chunk in response.iter_bytes(CHUNK_SIZE):
                out.write(chunk)
        if expected and response.num_bytes_downloaded < expected:
            raise OSError(f"{{words}} download cut short: {response.num_bytes_downloaded} of {expected} bytes")
    os.replace(partial, target)
    return target


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m downloads.{{snake}}_download URL NAME")
    print(download_{{snake}}(sys.argv[1], sys.argv[2]))
'''

_DOWNLOAD_RESUME = _patch(
    _DOWNLOAD,
    "so a failed download never leaves a truncated {{words}} behind.",
    "so a failed download never leaves a truncated {{words}} behind. An interrupted download is resumed: when\n"
    "a .part file exists, only the rest is asked for with an HTTP Range header.",
    '''    with (
        httpx.Client(timeout=TIMEOUT, follow_redirects=True) as client,
        client.stream("GET", url) as response,
    ):
        response.raise_for_status()
        expected = int(response.headers.get("Content-Length") or 0)
        with partial.open("wb") as out:''',
    '''    offset = partial.stat().st_size if partial.exists() else 0
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    with (
        httpx.Client(timeout=TIMEOUT, follow_redirects=True) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        response.raise_for_status()
        mode = "ab" if response.status_code == 206 else "wb"
        expected = int(response.headers.get("Content-Length") or 0)
        with partial.open(mode) as out:''',
)


def _download_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_DOWNLOAD_DIR = Path("downloads/{f["kebab_plural"]}")',
        f"def download_{f['snake']}(url: str, name: str, target_dir: Path = {f['upper']}_DOWNLOAD_DIR) -> Path:",
        'partial = target.with_name(target.name + ".part")',
        "for chunk in response.iter_bytes(CHUNK_SIZE):",
        "os.replace(partial, target)",
        f"print(download_{f['snake']}(sys.argv[1], sys.argv[2]))",
    ]


# ==========================================================================
# 7. requests: OAuth 2.0 client-credentials API client (+ mutual TLS)
# ==========================================================================

_OAUTH = r'''
"""Client of the {{words}} API authenticated with the OAuth 2.0 client-credentials grant (requests): the access
token is fetched from the token endpoint, cached until a minute before it expires, and sent as a bearer token."""
from __future__ import annotations

import os
import time
from typing import Any

import requests

{{upper}}_TOKEN_URL = os.environ.get("{{upper}}_TOKEN_URL", "https://auth.example.com/oauth2/token")
{{upper}}_API_URL = os.environ.get("{{upper}}_API_URL", "https://api.example.com")
EXPIRY_MARGIN_SECONDS = 60
TIMEOUT_SECONDS = 15


class {{pascal}}Client:
    """Calls the {{words}} API with a cached client-credentials access token."""

    def __init__(self, client_id: str, client_secret: str, scope: str = "") -> None:
        """This app's credentials at the {{words}} authorization server."""
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.session = requests.Session()
        self._token: str | None = None
        self._expires_at = 0.0

    def access_token(self, force: bool = False) -> str:
        """A valid access token; a new one is requested when the cached one is (nearly) expired."""
        if not force and self._token and time.monotonic() < self._expires_at - EXPIRY_MARGIN_SECONDS:
            return self._token
        response = self.session.post(
            {{upper}}_TOKEN_URL,
            data={"grant_type": "client_credentials", "scope": self.scope},
            auth=(self.client_id, self.client_secret),
            timeout=TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        payload = response.json()
        self._token = str(payload["access_token"])
        self._expires_at = time.monotonic() + float(payload.get("expires_in", 3600))
        return self._token

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET a path of the {{words}} API as JSON; after a 401 the token is renewed and the call made once more."""
        response = self._get(path, params, self.access_token())
        if response.status_code == 401:
            response = self._get(path, params, self.access_token(force=True))
        response.raise_for_status()
        return response.json()

    def _get(self, path: str, params: dict[str, Any] | None, bearer: str) -> requests.Response:
        """One authenticated GET."""
        return self.session.get(
            {{upper}}_API_URL.rstrip("/") + path,
            params=params,
            headers={"Authorization": f"Bearer {bearer}"},
            timeout=TIMEOUT_SECONDS,
        )


def {{snake}}_client() -> {{pascal}}Client:
    """A client with the credentials in {{upper}}_CLIENT_ID and {{upper}}_CLIENT_SECRET."""
    return {{pascal}}Client(os.environ["{{upper}}_CLIENT_ID"], os.environ["{{upper}}_CLIENT_SECRET"])
'''

_OAUTH_MTLS = _patch(
    _OAUTH,
    "cached until a minute before it expires, and sent as a bearer token.",
    "cached until a minute before it expires, and sent as a bearer token. Every connection, to the token endpoint\n"
    "and to the API, is mutual TLS: the session presents this app's client certificate.",
    "        self.session = requests.Session()\n",
    '''        self.session = requests.Session()
        self.session.cert = (os.environ["{{upper}}_CLIENT_CERT"], os.environ["{{upper}}_CLIENT_KEY"])
        self.session.verify = os.environ.get("{{upper}}_CA_BUNDLE") or True
''',
)


def _oauth_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_TOKEN_URL = os.environ.get("{f["upper"]}_TOKEN_URL", "https://auth.example.com/oauth2/token")',
        f"class {f['pascal']}Client:",
        'data={"grant_type": "client_credentials", "scope": self.scope},',
        "auth=(self.client_id, self.client_secret),",
        'self._expires_at = time.monotonic() + float(payload.get("expires_in", 3600))',
        "response = self._get(path, params, self.access_token(force=True))",
        f"def {f['snake']}_client() -> {f['pascal']}Client:",
        f'os.environ["{f["upper"]}_CLIENT_SECRET"]',
    ]


# ==========================================================================
# 8. pydantic v2: discriminated union of message payloads (+ unknown fields forbidden)
# ==========================================================================

_EVENTS = r'''
"""Typed {{words}} messages with pydantic v2: a discriminated union on the "kind" field, so each JSON message is
parsed straight into its own model and an unknown kind is a validation error."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter


class {{pascal}}MessageBase(BaseModel):
    """Fields every {{words}} message carries."""

    id: str
    occurred_at: datetime


class {{pascal}}Created({{pascal}}MessageBase):
    """A {{words}} was created."""

    kind: Literal["created"]
    name: str


class {{pascal}}Changed({{pascal}}MessageBase):
    """Some fields of a {{words}} changed: their new values by name."""

    kind: Literal["changed"]
    changes: dict[str, str]


class {{pascal}}Deleted({{pascal}}MessageBase):
    """A {{words}} was deleted."""

    kind: Literal["deleted"]
    reason: str | None = None


{{pascal}}Message = Annotated[
    {{pascal}}Created | {{pascal}}Changed | {{pascal}}Deleted,
    Field(discriminator="kind"),
]
{{upper}}_ADAPTER: TypeAdapter[{{pascal}}Message] = TypeAdapter({{pascal}}Message)
{{upper}}_BATCH_ADAPTER: TypeAdapter[list[{{pascal}}Message]] = TypeAdapter(list[{{pascal}}Message])


def parse_{{snake}}_message(raw: str | bytes) -> {{pascal}}Message:
    """One JSON {{words}} message as its typed model; pydantic.ValidationError when it is malformed."""
    return {{upper}}_ADAPTER.validate_json(raw)


def parse_{{snake}}_batch(raw: str | bytes) -> list[{{pascal}}Message]:
    """A JSON array of {{words}} messages, each parsed by its kind."""
    return {{upper}}_BATCH_ADAPTER.validate_json(raw)
'''

_EVENTS_FORBID = _patch(
    _EVENTS,
    "parsed straight into its own model and an unknown kind is a validation error.",
    "parsed straight into its own model and an unknown kind is a validation error; so is a field no model\n"
    "declares (extra=\"forbid\"), instead of being dropped silently.",
    "from pydantic import BaseModel, Field, TypeAdapter",
    "from pydantic import BaseModel, ConfigDict, Field, TypeAdapter",
    '''    """Fields every {{words}} message carries."""
''',
    '''    """Fields every {{words}} message carries; any other field is an error."""

    model_config = ConfigDict(extra="forbid")
''',
)


def _events_common(f: Forms) -> list[str]:
    return [
        f"class {f['pascal']}MessageBase(BaseModel):",
        f"class {f['pascal']}Created({f['pascal']}MessageBase):",
        f"class {f['pascal']}Deleted({f['pascal']}MessageBase):",
        'Field(discriminator="kind"),',
        f"{f['upper']}_ADAPTER: TypeAdapter[{f['pascal']}Message] = TypeAdapter({f['pascal']}Message)",
        f"def parse_{f['snake']}_message(raw: str | bytes) -> {f['pascal']}Message:",
        f"def parse_{f['snake']}_batch(raw: str | bytes) -> list[{f['pascal']}Message]:",
    ]


# ==========================================================================
# 9. Jinja2: one Markdown page per record (+ HTML output)
# ==========================================================================

_DOCS = r'''
"""Render one Markdown page per {{words}} with Jinja2: templates from templates/{{kebab_plural}}/, StrictUndefined
so that a missing field fails loudly, trim_blocks / lstrip_blocks for clean Markdown, one file per record."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

{{upper}}_TEMPLATE_DIR = Path("templates/{{kebab_plural}}")
{{upper}}_OUTPUT_DIR = Path("docs/{{kebab_plural}}")


def {{snake}}_environment(template_dir: Path = {{upper}}_TEMPLATE_DIR) -> Environment:
    """A Jinja2 environment for Markdown: no HTML escaping of .md templates, undefined names are errors."""
    return Environment(
        loader=FileSystemLoader(template_dir),
        autoescape=select_autoescape(["html", "xml"], default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def slug(title: str) -> str:
    """A file-name-safe form of a title: lower-case words joined by dashes."""
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())


def render_{{snake_plural}}(records: list[dict[str, Any]], output_dir: Path = {{upper}}_OUTPUT_DIR) -> list[Path]:
    """Write one page per {{words}} into output_dir and return the written paths."""
    template = {{snake}}_environment().get_template("{{kebab}}.md.j2")
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for record in records:
        target = output_dir / f"{slug(record['title'])}.md"
        target.write_text(template.render(**record), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "{{snake_plural}}.json")
    for path in render_{{snake_plural}}(json.loads(source.read_text(encoding="utf-8"))):
        print(path)
'''

_DOCS_TEMPLATE = r'''
# {{ title }}

{{ summary }}

{% if details %}
## Details

{% for key, value in details.items() %}
- **{{ key }}**: {{ value }}
{% endfor %}
{% endif %}
'''

_DOCS_HTML = _patch(
    _DOCS,
    '''"""Render one Markdown page per {{words}} with Jinja2:''',
    '''"""Render one HTML page per {{words}} from a Jinja2 Markdown template, converted with the markdown package:''',
    "trim_blocks / lstrip_blocks for clean Markdown, one file per record.",
    "trim_blocks / lstrip_blocks for clean Markdown, one .html file per record.",
    "import json\nimport sys\n",
    "import html\nimport json\nimport sys\n",
    "from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape\n",
    "import markdown\nfrom jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape\n",
    '''        target = output_dir / f"{slug(record['title'])}.md"
        target.write_text(template.render(**record), encoding="utf-8")''',
    r'''        body = markdown.markdown(template.render(**record), extensions=["tables"])
        title = html.escape(str(record["title"]))
        target = output_dir / f"{slug(record['title'])}.html"
        page = f'<!doctype html>\n<html><head><meta charset="utf-8"><title>{title}</title></head>\n'
        target.write_text(page + f"<body>\n{body}\n</body></html>\n", encoding="utf-8")''',
)


def _docs_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_TEMPLATE_DIR = Path("templates/{f["kebab_plural"]}")',
        f"def {f['snake']}_environment(template_dir: Path = {f['upper']}_TEMPLATE_DIR) -> Environment:",
        "undefined=StrictUndefined,",
        'autoescape=select_autoescape(["html", "xml"], default_for_string=False),',
        f'template = {f["snake"]}_environment().get_template("{f["kebab"]}.md.j2")',
        f"def render_{f['snake_plural']}(records: list[dict[str, Any]], output_dir: Path = {f['upper']}_OUTPUT_DIR)"
        " -> list[Path]:",
        "{% for key, value in details.items() %}",
    ]


# ==========================================================================
# 10. Typer: prune old files with a confirmation (+ --keep-last)
# ==========================================================================

_PRUNE = r'''
"""Typer command that prunes old {{words}} files: everything under the folder last modified more than --days ago is
listed with its total size and, after a confirmation (or --yes), deleted."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Housekeeping of {{words}} files.")
{{upper}}_DIR = Path("var/{{kebab_plural}}")
SECONDS_PER_DAY = 86400


def old_{{snake}}_files(folder: Path, days: int, now: float | None = None) -> list[Path]:
    """Files under folder last modified more than days ago, oldest first."""
    cutoff = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    files = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.stat().st_mtime)
    return [p for p in files if p.stat().st_mtime < cutoff]


@app.command()
def prune(
    folder: Annotated[Path, typer.Option("--folder", help="Where the {{words}} files are.")] = {{upper}}_DIR,
    days: Annotated[int, typer.Option("--days", min=1, help="Delete files older than this many days.")] = 30,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
) -> None:
    """Delete {{words}} files older than --days, after a confirmation."""
    stale = old_{{snake}}_files(folder, days)
    if not stale:
        typer.echo("nothing to prune")
        raise typer.Exit()
    size = sum(p.stat().st_size for p in stale)
    typer.echo(f"{len(stale)} {{words}} files older than {days} days, {size / 1e6:.1f} MB")
    if not yes:
        typer.confirm("Delete them?", abort=True)
    for path in stale:
        path.unlink(missing_ok=True)
    typer.echo(f"deleted {len(stale)} files, freed {size / 1e6:.1f} MB")


if __name__ == "__main__":
    app()
'''

_PRUNE_KEEP_LAST = _patch(
    _PRUNE,
    "listed with its total size and, after a confirmation (or --yes), deleted.",
    "listed with its total size and, after a confirmation (or --yes), deleted; the --keep-last newest files are\n"
    "never deleted, however old they are.",
    '''def old_{{snake}}_files(folder: Path, days: int, now: float | None = None) -> list[Path]:
    """Files under folder last modified more than days ago, oldest first."""''',
    '''def old_{{snake}}_files(folder: Path, days: int, keep_last: int = 0, now: float | None = None) -> list[Path]:
    """Files under folder last modified more than days ago, oldest first; the keep_last newest are spared."""''',
    "    return [p for p in files if p.stat().st_mtime < cutoff]",
    '''    spared = set(files[-keep_last:]) if keep_last > 0 else set()
    return [p for p in files if p.stat().st_mtime < cutoff and p not in spared]''',
    '''    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,''',
    '''    keep_last: Annotated[int, typer.Option("--keep-last", min=0, help="Always keep this many newest files.")] = 5,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,''',
    "    stale = old_{{snake}}_files(folder, days)",
    "    stale = old_{{snake}}_files(folder, days, keep_last)",
)


def _prune_common(f: Forms) -> list[str]:
    return [
        f'app = typer.Typer(help="Housekeeping of {f["words"]} files.")',
        f'{f["upper"]}_DIR = Path("var/{f["kebab_plural"]}")',
        f'folder: Annotated[Path, typer.Option("--folder", help="Where the {f["words"]} files are.")] = {f["upper"]}_DIR,',
        'days: Annotated[int, typer.Option("--days", min=1, help="Delete files older than this many days.")] = 30,',
        'typer.confirm("Delete them?", abort=True)',
        "path.unlink(missing_ok=True)",
    ]


# ==========================================================================
# 11. pandas: reconcile two CSV exports (+ numeric tolerance)
# ==========================================================================

_RECONCILE = r'''
"""Reconcile two CSV exports of {{words_plural}} with pandas: rows are matched on id (an outer merge with an
indicator), and every row that was added, removed or changed between the old and the new export is written to a
report with its status."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

{{upper}}_KEY = "id"


def reconcile_{{snake_plural}}(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """One row per {{words}} that differs, with a status column: added, removed or changed."""
    merged = old.merge(new, on={{upper}}_KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    merged["status"] = merged["_merge"].astype(str).map({"left_only": "removed", "right_only": "added", "both": ""})
    both = merged["_merge"] == "both"
    changed = pd.Series(False, index=merged.index)
    for column in [c for c in old.columns if c != {{upper}}_KEY and c in new.columns]:
        before, after = merged[f"{column}_old"], merged[f"{column}_new"]
        changed |= both & ~(before.eq(after) | (before.isna() & after.isna()))
    merged.loc[changed, "status"] = "changed"
    report = merged.loc[merged["status"] != ""].drop(columns="_merge")
    return report.sort_values({{upper}}_KEY).reset_index(drop=True)


def reconcile_{{snake}}_files(old_path: Path, new_path: Path, report_path: Path) -> int:
    """Compare two {{words}} exports, write the differences as CSV and return how many rows differ."""
    old = pd.read_csv(old_path, dtype={{{upper}}_KEY: str})
    new = pd.read_csv(new_path, dtype={{{upper}}_KEY: str})
    report = reconcile_{{snake_plural}}(old, new)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report.to_csv(report_path, index=False)
    return len(report)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: reconcile_{{snake_plural}} OLD.csv NEW.csv REPORT.csv")
    count = reconcile_{{snake}}_files(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
    print(f"{count} {{words_plural}} differ")
'''

_RECONCILE_TOLERANCE = _patch(
    _RECONCILE,
    "report with its status.",
    "report with its status. Numeric values that differ by no more than an absolute tolerance count as equal.",
    '{{upper}}_KEY = "id"\n',
    '{{upper}}_KEY = "id"\n{{upper}}_TOLERANCE = 0.01\n',
    "        changed |= both & ~(before.eq(after) | (before.isna() & after.isna()))",
    '''        if pd.api.types.is_numeric_dtype(before) and pd.api.types.is_numeric_dtype(after):
            same = (before - after).abs() <= {{upper}}_TOLERANCE
        else:
            same = before.eq(after)
        changed |= both & ~(same | (before.isna() & after.isna()))''',
)


def _reconcile_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_KEY = "id"',
        f"def reconcile_{f['snake_plural']}(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:",
        f'merged = old.merge(new, on={f["upper"]}_KEY, how="outer", suffixes=("_old", "_new"), indicator=True)',
        'merged.loc[changed, "status"] = "changed"',
        f"def reconcile_{f['snake']}_files(old_path: Path, new_path: Path, report_path: Path) -> int:",
        f"old = pd.read_csv(old_path, dtype={{{f['upper']}_KEY: str}})",
    ]


# ==========================================================================
# 12. pandas: combine many CSV exports, latest row per id (distractor of 11)
# ==========================================================================

_COMBINE = r'''
"""Combine many CSV exports of {{words_plural}} into one file with pandas: every export in a folder is read, the
rows are concatenated, and duplicates of an id are dropped, keeping the most recently updated row."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

{{upper}}_KEY = "id"
{{upper}}_EXPORT_GLOB = "{{snake_plural}}_*.csv"


def load_{{snake}}_exports(folder: Path) -> pd.DataFrame:
    """Every {{words}} export in folder as one frame, with the name of the file each row came from."""
    paths = sorted(folder.glob({{upper}}_EXPORT_GLOB))
    if not paths:
        raise FileNotFoundError(f"no {{words}} exports in {folder}")
    frames = [pd.read_csv(path, dtype={{{upper}}_KEY: str}).assign(source_file=path.name) for path in paths]
    return pd.concat(frames, ignore_index=True)


def combine_{{snake_plural}}(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per {{words}} id: of its duplicates, the row with the latest updated_at wins."""
    frame = frame.assign(updated_at=pd.to_datetime(frame["updated_at"], utc=True))
    latest = frame.sort_values(["updated_at", "source_file"]).drop_duplicates({{upper}}_KEY, keep="last")
    return latest.sort_values({{upper}}_KEY).reset_index(drop=True)


def combine_{{snake}}_exports(folder: Path, target: Path) -> int:
    """Write the combined, de-duplicated {{words}} export to target and return its row count."""
    combined = combine_{{snake_plural}}(load_{{snake}}_exports(folder)).drop(columns="source_file")
    target.parent.mkdir(parents=True, exist_ok=True)
    combined.to_csv(target, index=False)
    return len(combined)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: combine_{{snake_plural}} FOLDER TARGET.csv")
    print(f"{combine_{{snake}}_exports(Path(sys.argv[1]), Path(sys.argv[2]))} {{words_plural}} written")
'''


def _combine_must(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_EXPORT_GLOB = "{f["snake_plural"]}_*.csv"',
        f"def load_{f['snake']}_exports(folder: Path) -> pd.DataFrame:",
        "return pd.concat(frames, ignore_index=True)",
        f"def combine_{f['snake_plural']}(frame: pd.DataFrame) -> pd.DataFrame:",
        f'latest = frame.sort_values(["updated_at", "source_file"]).drop_duplicates({f["upper"]}_KEY, keep="last")',
        f"def combine_{f['snake']}_exports(folder: Path, target: Path) -> int:",
    ]


# ==========================================================================
# 13. pytest: a normaliser and its parametrized tests (QA agent)
# ==========================================================================

_RULES_PACKAGE = r'''
"""{{sentence}} identifier rules (normalize.py) and their parametrized pytest tests (test_normalize.py)."""
'''

_RULES = r'''
"""Normalisation of {{words}} identifiers: spaces and dashes are dropped, letters are upper-cased, and the result
must be three ASCII letters followed by six digits (ABC123456)."""
from __future__ import annotations

import re

{{upper}}_PATTERN = re.compile(r"[A-Z]{3}[0-9]{6}")


def normalize_{{snake}}(raw: str) -> str:
    """The canonical form of a {{words}}; ValueError when the input cannot be one."""
    candidate = re.sub(r"[\s-]", "", raw).upper()
    if not {{upper}}_PATTERN.fullmatch(candidate):
        raise ValueError(f"not a valid {{words}}: {raw!r}")
    return candidate
'''

_RULES_TESTS = r'''
"""Parametrized pytest tests of normalize_{{snake}}: accepted spellings of a {{words}} and rejected inputs."""
from __future__ import annotations

import pytest

from .normalize import normalize_{{snake}}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ABC123456", "ABC123456"),
        ("abc123456", "ABC123456"),
        ("  ABC-123-456 ", "ABC123456"),
        ("abc 123 456", "ABC123456"),
    ],
    ids=["canonical", "lower-case", "dashes-and-padding", "inner-spaces"],
)
def test_normalize_{{snake}}_accepts(raw: str, expected: str) -> None:
    """{{sentence_plural}} in any accepted spelling normalise to the canonical form."""
    assert normalize_{{snake}}(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "AB123456", "ABCD12345", "ABC12345X", "ABC1234567", "\u00c4BC123456"],
    ids=["empty", "two-letters", "four-letters", "letter-in-digits", "seven-digits", "non-ascii"],
)
def test_normalize_{{snake}}_rejects(raw: str) -> None:
    """Malformed {{words_plural}} are refused with ValueError."""
    with pytest.raises(ValueError, match="not a valid {{words}}"):
        normalize_{{snake}}(raw)
'''


def _rules_must(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_PATTERN = re.compile(r"[A-Z]{{3}}[0-9]{{6}}")',
        f"def normalize_{f['snake']}(raw: str) -> str:",
        f"from .normalize import normalize_{f['snake']}",
        '@pytest.mark.parametrize(\n    ("raw", "expected"),',
        f"def test_normalize_{f['snake']}_accepts(raw: str, expected: str) -> None:",
        f"def test_normalize_{f['snake']}_rejects(raw: str) -> None:",
        f'with pytest.raises(ValueError, match="not a valid {f["words"]}"):',
    ]


# ==========================================================================
# 14. python-dateutil: next occurrences of an RRULE (+ blackout dates)
# ==========================================================================

_RRULE = r'''
"""Upcoming occurrences of a recurring {{words}} from an iCalendar RRULE (python-dateutil), computed in the
{{words}}'s own time zone (zoneinfo) so that a daylight-saving change keeps the wall-clock time."""
from __future__ import annotations

import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr

{{upper}}_TZ = ZoneInfo(os.environ.get("{{upper}}_TIMEZONE", "Europe/Berlin"))
{{upper}}_RULE = os.environ.get("{{upper}}_RULE", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=0;BYSECOND=0")
{{upper}}_START = datetime(2024, 1, 1, 9, 0, tzinfo={{upper}}_TZ)


def {{snake}}_recurrence(rule: str = {{upper}}_RULE, start: datetime = {{upper}}_START) -> rrule | rruleset:
    """The parsed recurrence of the {{words}}, anchored at an aware start in {{upper}}_TZ."""
    return rrulestr(rule, dtstart=start.astimezone({{upper}}_TZ))


def next_{{snake_plural}}(count: int = 5, after: datetime | None = None, rule: str = {{upper}}_RULE) -> list[datetime]:
    """The next count occurrences strictly after after (now by default), as aware datetimes in {{upper}}_TZ."""
    recurrence = {{snake}}_recurrence(rule)
    current = (after or datetime.now({{upper}}_TZ)).astimezone({{upper}}_TZ)
    found: list[datetime] = []
    while len(found) < count:
        occurrence = recurrence.after(current)
        if occurrence is None:
            break
        found.append(occurrence)
        current = occurrence
    return found


if __name__ == "__main__":
    for when in next_{{snake_plural}}(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
        print(when.isoformat())
'''

_RRULE_BLACKOUT = _patch(
    _RRULE,
    "so that a daylight-saving change keeps the wall-clock time.",
    "so that a daylight-saving change keeps the wall-clock time. Occurrences on blackout dates are skipped and do\n"
    "not count.",
    "from datetime import datetime\n",
    "from datetime import date, datetime\n",
    "{{upper}}_START = datetime(2024, 1, 1, 9, 0, tzinfo={{upper}}_TZ)\n",
    '''{{upper}}_START = datetime(2024, 1, 1, 9, 0, tzinfo={{upper}}_TZ)
{{upper}}_SKIP_DATES = {
    date.fromisoformat(day.strip()) for day in os.environ.get("{{upper}}_SKIP_DATES", "").split(",") if day.strip()
}
''',
    "        found.append(occurrence)\n        current = occurrence\n",
    "        current = occurrence\n        if occurrence.date() not in {{upper}}_SKIP_DATES:\n"
    "            found.append(occurrence)\n",
)


def _rrule_common(f: Forms) -> list[str]:
    return [
        f'{f["upper"]}_TZ = ZoneInfo(os.environ.get("{f["upper"]}_TIMEZONE", "Europe/Berlin"))',
        f"def {f['snake']}_recurrence(rule: str = {f['upper']}_RULE, start: datetime = {f['upper']}_START)"
        " -> rrule | rruleset:",
        f"return rrulestr(rule, dtstart=start.astimezone({f['upper']}_TZ))",
        f"def next_{f['snake_plural']}(count: int = 5, after: datetime | None = None, rule: str = {f['upper']}_RULE)"
        " -> list[datetime]:",
        "occurrence = recurrence.after(current)",
    ]


# ==========================================================================
# FAMILIES
# ==========================================================================

FAMILIES: list[Family] = [
    Family(
        name="fastapi-etag-conditional-get",
        stack=("python", "fastapi"),
        tasks=(
            "ETag and If-None-Match support for the {words} GET endpoint in FastAPI",
            "hey could you put together a FastAPI endpoint that returns one {words} by id with an ETag header (the "
            "sha256 of its JSON) and answers 304 Not Modified when the client sends a matching If-None-Match? 404 if "
            "it doesn't exist. thanks!",
            "Task: conditional GET for {pascal} resources\nStack: FastAPI\nRequirements:\n- GET /{kebab_plural}/"
            "{{{snake}_id}}\n- strong ETag = SHA-256 of the canonical JSON body\n- If-None-Match (also W/ and *) -> "
            "304 with no body\n- Cache-Control: no-cache",
            "{sentence} API, read side: ETag from a SHA-256 of the body, If-None-Match handling, 304 Not Modified, "
            "404 when missing",
            "get_{snake}(id) FastAPI route with ETag / 304 Not Modified revalidation",
            "GET /{kebab_plural}/:id with HTTP ETags so that clients can revalidate their cached {words_plural}",
        ),
        code=_code("app/routers/{{snake}}_etag.py", _ETAG),
        must=lambda f: _etag_common(f) + [f'router = APIRouter(prefix="/{f["kebab_plural"]}", tags=["{f["title_plural"]}"])'],
        must_not=("compare_digest",),
        entities=("product listing", "user profile", "cache entry", "resource version", "menu item",
                  "knowledge article"),
    ),
    Family(
        name="sqlalchemy-bulk-upsert",
        stack=("python", "sqlalchemy"),
        tasks=(
            "Bulk upsert of {words_plural} with SQLAlchemy 2 on SQLite",
            "hey, could you put together a SQLAlchemy 2 function that upserts a list of {words_plural} into SQLite: "
            "insert the new ones, update name/amount/updated_at when the external_id already exists, in batches of "
            "500? thanks a lot",
            "Task: idempotent import of {pascal} rows\nStack: SQLAlchemy 2.x, SQLite\nRequirements:\n- {pascal} "
            "model, table {snake_plural}, unique external_id\n- INSERT ... ON CONFLICT DO UPDATE (sqlite dialect "
            "insert)\n- batches of 500, commit at the end, return the row count",
            "{sentence} sync into SQLite: insert-or-update on external_id, ON CONFLICT DO UPDATE, batches of 500",
            "upsert_{snake_plural}(session, rows) using sqlalchemy.dialects.sqlite insert().on_conflict_do_update",
            "{upper_plural}: merge an incoming feed into the table without duplicate-key errors (SQLAlchemy upsert, "
            "SQLite)",
        ),
        code=_code("app/db/{{snake}}_upsert.py", _UPSERT),
        must=lambda f: _upsert_common(f) + [
            "from sqlalchemy.dialects.sqlite import insert",
            f'{f["upper"]}_DATABASE_URL = "sqlite:///{f["snake_plural"]}.db"',
        ],
        must_not=("dialects.postgresql",),
        entities=("product price", "progress update", "usage record", "exchange rate", "sales person",
                  "stock level"),
    ),
    Family(
        name="sqlalchemy-keyset-pagination",
        stack=("python", "sqlalchemy"),
        tasks=(
            "Keyset pagination of {words_plural} with SQLAlchemy 2",
            "hey could you put together cursor-based paging for our {words_plural} table with SQLAlchemy? OFFSET is "
            "too slow on big tables, so seek on (created_at, id) and hand out an opaque base64 cursor for the next "
            "page. thanks!",
            "Task: seek pagination\nEntity: {pascal}\nRequirements:\n- order by created_at, id\n- WHERE (created_at, "
            "id) > cursor position, no OFFSET\n- opaque URL-safe cursor, None on the last page\n- page size 50",
            "{sentence} listing: keyset pagination, tuple comparison on (created_at, id), base64 cursor, limit + 1 to "
            "detect the last page",
            "list_{snake_plural}(session, cursor) returning a {pascal}Page with next_cursor (no OFFSET)",
            "paginate-{kebab_plural} without OFFSET: SQLAlchemy select with a (created_at, id) seek cursor",
        ),
        code=_code("app/db/{{snake}}_pages.py", _KEYSET),
        must=lambda f: _keyset_common(f) + [
            f"def list_{f['snake_plural']}(session: Session, cursor: str | None = None, limit: int = PAGE_SIZE) -> "
            f"{f['pascal']}Page:",
            "found = list(session.scalars(query))",
        ],
        must_not=("AsyncSession",),
        entities=("search result", "work item", "support ticket", "chat message", "account entry", "activity"),
    ),
    Family(
        name="redis-fixed-window-rate-limit",
        stack=("python", "redis"),
        tasks=(
            "Redis fixed-window rate limiter for {words_plural}",
            "hey could you put together a rate limiter for {words_plural} on top of redis-py? fixed one-minute "
            "windows, INCR + EXPIRE in one pipeline so all our app servers share the count, limit from "
            "{upper}_RATE_LIMIT (default 100). thanks!",
            "Task: distributed rate limiting\nEntity: {pascal}\nStack: redis-py\nRequirements:\n- fixed window of "
            "60 s, one counter key per caller and window\n- INCR then EXPIRE NX inside a MULTI/EXEC pipeline\n- "
            "return allowed / remaining / reset_in",
            "{sentence} throttling: Redis counters per fixed 60-second window, limit {upper}_RATE_LIMIT, remaining "
            "and reset time reported",
            "{pascal}RateLimiter.hit(key) backed by Redis INCR/EXPIRE (fixed window)",
            "{upper}_RATE_LIMIT hits per minute per key, enforced with a Redis fixed-window counter",
        ),
        code=_code("app/limits/{{snake}}_rate_limit.py", _RATE),
        must=lambda f: _rate_common(f) + [
            "pipe.incr(window_key)",
            "pipe.expire(window_key, self.window, nx=True)",
            f'window_key = f"ratelimit:{f["kebab"]}:{{key}}:{{int(now // self.window)}}"',
        ],
        must_not=("zremrangebyscore",),
        entities=("api client", "login attempt", "rate card", "tenant", "webhook delivery", "password reset"),
    ),
    Family(
        name="redis-sorted-set-leaderboard",
        stack=("python", "redis"),
        tasks=(
            "Redis sorted-set leaderboard of {words_plural}",
            "hey could you put together a leaderboard for {words_plural} with redis-py? add points (ZINCRBY), get "
            "the top 10 with scores and one member's 1-based rank. thanks!",
            "Task: leaderboard\nEntity: {pascal}\nStack: redis\nRequirements:\n- sorted set under "
            "leaderboard:{kebab_plural}\n- add_points, top(n) with scores, rank(member) 1-based or None\n- reset()",
            "{title} ranking: ZINCRBY to score, ZREVRANGE WITHSCORES for the top N, ZREVRANK for a position",
            "{pascal}Leaderboard class (add_points / top / rank) over a Redis ZSET",
            "{snake}_leaderboard() returning a Redis-backed high-score table",
        ),
        code=_code("app/boards/{{snake}}_leaderboard.py", _BOARD),
        must=lambda f: _board_common(f) + [
            "return float(self.client.zincrby(self.key, points, member))",
            "ranked = self.client.zrevrange(self.key, 0, count - 1, withscores=True)",
        ],
        must_not=("isocalendar",),
        entities=("game hero", "sales person", "top contributor", "team score", "fitness challenge", "chess club"),
    ),
    Family(
        name="httpx-streaming-download",
        stack=("python", "httpx"),
        tasks=(
            "Streaming download of {words} files with httpx",
            "hey could you put together an httpx download helper for {words_plural}? they can be several GB, so "
            "stream to disk in chunks, write to a .part file and only rename it when it's complete, and check "
            "Content-Length. thanks!",
            "Task: large file download\nEntity: {pascal}\nStack: httpx\nRequirements:\n- client.stream + iter_bytes, "
            "256 KiB chunks\n- temporary .part file, os.replace when done\n- timeouts, follow redirects, raise on "
            "HTTP errors\n- fail when fewer bytes than Content-Length arrived",
            "{sentence} fetcher: httpx streaming, chunked writes, atomic rename from .part, downloads/{kebab_plural}/",
            "download_{snake}(url, name) -> Path using httpx.Client.stream",
            "DOWNLOAD {upper_plural} over HTTP without loading them into memory (httpx stream)",
        ),
        code=_code("downloads/{{snake}}_download.py", _DOWNLOAD),
        must=lambda f: _download_common(f) + [
            'client.stream("GET", url) as response,',
            'with partial.open("wb") as out:',
        ],
        must_not=('"Range"',),
        entities=("dataset snapshot", "firmware bundle", "nightly backup", "price matrix", "podcast episode",
                  "satellite image"),
    ),
    Family(
        name="requests-oauth-client-credentials",
        stack=("python", "requests"),
        tasks=(
            "OAuth2 client-credentials client for the {words} API with requests",
            "hey could you put together a small requests-based client for the {words} API? it uses the OAuth 2.0 "
            "client credentials grant: get a token from {upper}_TOKEN_URL with basic auth, cache it until just "
            "before expires_in runs out, send it as Bearer, and retry once with a new token on a 401. thanks!",
            "Task: machine-to-machine auth\nService: {title} API\nStack: requests\nRequirements:\n- "
            "client_credentials grant against the token endpoint\n- cache the access token, renew 60 s before "
            "expiry\n- Authorization: Bearer on every call, one retry after a 401\n- timeouts on every request",
            "{sentence} API access: OAuth 2.0 client credentials, cached bearer token, refreshed on expiry or 401",
            "{pascal}Client(client_id, client_secret).get(path) with a token from the client-credentials flow",
            "{snake}_client() reading {upper}_CLIENT_ID / {upper}_CLIENT_SECRET, OAuth2 client credentials over a "
            "requests.Session",
        ),
        code=_code("clients/{{snake}}_client.py", _OAUTH),
        must=lambda f: _oauth_common(f) + ["        self.session = requests.Session()\n        self._token"],
        must_not=("session.cert",),
        entities=("payment gateway", "shipping carrier", "partner portal", "tax authority", "identity provider"),
        sensitive=True,
    ),
    Family(
        name="pydantic-discriminated-messages",
        stack=("python", "pydantic"),
        tasks=(
            "Discriminated union of {words} messages with pydantic v2",
            "hey could you put together pydantic v2 models for our {words} messages? there are created, changed and "
            "deleted kinds, told apart by a \"kind\" field; parse raw JSON straight into the right model with a "
            "TypeAdapter. thanks!",
            "Task: typed message parsing\nEntity: {pascal}\nStack: pydantic 2\nRequirements:\n- {pascal}Created / "
            "{pascal}Changed / {pascal}Deleted sharing id and occurred_at\n- Field(discriminator=\"kind\") on the "
            "union\n- parse one message and a JSON array of them",
            "{sentence} payloads: tagged union on kind (created|changed|deleted), TypeAdapter.validate_json, "
            "unknown kinds rejected",
            "parse_{snake}_message(raw) -> {pascal}Message using a pydantic discriminated union",
            "{upper}_ADAPTER = TypeAdapter of the {words} message union (pydantic v2, discriminator kind)",
        ),
        code=_code("app/messages/{{snake}}_messages.py", _EVENTS),
        must=lambda f: _events_common(f) + ["from pydantic import BaseModel, Field, TypeAdapter"],
        must_not=('extra="forbid"',),
        entities=("shipment event", "payment notification", "sensor reading", "user action", "delivery status",
                  "crisis"),
    ),
    Family(
        name="jinja2-markdown-pages",
        stack=("python", "jinja2"),
        tasks=(
            "Render a Markdown page per {words} with Jinja2",
            "hey could you put together a little Jinja2 script that turns our {words_plural} (a JSON list) into one "
            "Markdown file each? templates live in templates/{kebab_plural}/, missing variables should blow up, and "
            "no HTML escaping since it's Markdown. thanks!",
            "Task: docs generation\nEntity: {pascal}\nStack: Jinja2\nRequirements:\n- FileSystemLoader(templates/"
            "{kebab_plural}), StrictUndefined\n- trim_blocks and lstrip_blocks\n- one docs/{kebab_plural}/<slug>.md "
            "per record\n- template {kebab}.md.j2",
            "{sentence} docs: Jinja2 Markdown templates, StrictUndefined, slugged file names, docs/{kebab_plural}/",
            "render_{snake_plural}(records) writing Markdown files with a Jinja2 Environment",
            "{title_plural} to .md files via Jinja2 (FileSystemLoader, strict undefined)",
        ),
        code=_code("docs_builder/{{snake}}_pages.py", _DOCS, "templates/{{kebab_plural}}/{{kebab}}.md.j2", _DOCS_TEMPLATE),
        must=lambda f: _docs_common(f) + [
            "target = output_dir / f\"{slug(record['title'])}.md\"",
            'target.write_text(template.render(**record), encoding="utf-8")',
        ],
        must_not=("import markdown",),
        entities=("service runbook", "api endpoint", "daily digest", "incident postmortem", "meeting note",
                  "page template"),
    ),
    Family(
        name="typer-prune-old-files",
        stack=("python", "typer"),
        tasks=(
            "Typer command to prune old {words} files",
            "hey could you put together a Typer CLI that deletes {words} files older than N days (default 30) from a "
            "folder, shows how many and how much space, and asks before deleting unless --yes is given? thanks!",
            "Task: housekeeping CLI\nEntity: {pascal}\nStack: Typer\nRequirements:\n- prune command, --folder "
            "(default var/{kebab_plural}), --days (min 1), --yes/-y\n- files sorted by modification time, oldest "
            "first\n- typer.confirm before deleting, print the freed MB",
            "{sentence} cleanup: a Typer `prune` with --days and --yes, confirmation prompt, freed space reported",
            "prune-{kebab_plural} --days 30 --yes (Typer) removing stale files",
            "old_{snake}_files(folder, days) plus a Typer prune command around it",
        ),
        code=_code("tools/prune_{{snake_plural}}.py", _PRUNE),
        must=lambda f: _prune_common(f) + [
            f"def old_{f['snake']}_files(folder: Path, days: int, now: float | None = None) -> list[Path]:",
            f"stale = old_{f['snake']}_files(folder, days)\n",
        ],
        must_not=("keep_last",),
        entities=("crash dump", "nightly backup", "cache file", "screenshot", "report card", "build artifact"),
    ),
    Family(
        name="pandas-reconcile-exports",
        stack=("python", "pandas"),
        tasks=(
            "Reconcile two CSV exports of {words_plural} with pandas",
            "hey could you put together a pandas script that compares yesterday's and today's {words} CSV export by "
            "id and writes out which rows were added, removed or changed? just the differences, with a status "
            "column. thanks!",
            "Task: export reconciliation\nEntity: {pascal}\nStack: pandas\nRequirements:\n- outer merge on id with "
            "indicator=True\n- status added / removed / changed (NaN equals NaN)\n- write only the differing rows "
            "to a CSV, sorted by id",
            "{sentence} diff: old vs new CSV, pandas merge on id, added/removed/changed report",
            "reconcile_{snake_plural}(old_df, new_df) -> DataFrame of the differences",
            "{upper}_KEY-based comparison of two {words} exports (pandas), report of what changed",
        ),
        code=_code("data/reconcile_{{snake_plural}}.py", _RECONCILE),
        must=lambda f: _reconcile_common(f) + [
            "changed |= both & ~(before.eq(after) | (before.isna() & after.isna()))",
        ],
        must_not=("drop_duplicates", "TOLERANCE"),
        entities=("change set", "account entry", "customer address", "inventory count", "employee",
                  "bank transaction"),
    ),
    Family(
        name="pandas-combine-exports",
        stack=("python", "pandas"),
        tasks=(
            "Combine several CSV exports of {words_plural} into one with pandas",
            "hey could you put together a pandas script that merges all our {words} CSV exports in a folder into one "
            "file, dropping duplicate ids and keeping the row with the latest updated_at? thanks!",
            "Task: export consolidation\nEntity: {pascal}\nStack: pandas\nRequirements:\n- read every "
            "{snake_plural}_*.csv in a folder\n- concat, parse updated_at as UTC\n- drop_duplicates on id keeping "
            "the most recent\n- write one CSV sorted by id",
            "{sentence} exports: concatenate the CSV files, de-duplicate on id (latest updated_at wins), one output "
            "file",
            "combine_{snake}_exports(folder, target) using pd.concat and drop_duplicates",
            "merge-{kebab_plural} CSV dumps into a single de-duplicated export (pandas)",
        ),
        code=_code("data/combine_{{snake_plural}}.py", _COMBINE),
        must=_combine_must,
        must_not=("indicator=True",),
        entities=("data export", "customer address", "employee", "usage record", "alumnus", "store branch"),
    ),
    Family(
        name="pytest-parametrized-normalizer",
        stack=("python", "pytest"),
        tasks=(
            "Parametrized pytest tests for normalising {words} identifiers",
            "hey could you put together normalize_{snake}() (strip spaces and dashes, upper-case, must be 3 letters "
            "+ 6 digits) and a pytest file that covers it with parametrized good and bad inputs? thanks!",
            "Task: implement and test\nEntity: {pascal}\nStack: pytest\nRequirements:\n- normalize_{snake}(raw) -> "
            "canonical ABC123456 form, ValueError otherwise\n- @pytest.mark.parametrize with ids for the accepted "
            "spellings\n- pytest.raises(ValueError, match=...) for the rejected ones",
            "{sentence} validation: a normaliser function plus parametrized pytest cases (valid spellings, invalid "
            "inputs)",
            "{snake}_rules/test_normalize.py: pytest.mark.parametrize over normalize_{snake}",
            "{pascal} identifier rules with a parametrized pytest suite",
        ),
        code=_code(
            "{{snake}}_rules/__init__.py",
            _RULES_PACKAGE,
            "{{snake}}_rules/normalize.py",
            _RULES,
            "{{snake}}_rules/test_normalize.py",
            _RULES_TESTS,
        ),
        must=_rules_must,
        entities=("coupon code", "booking reference", "product sku", "vat number", "test hypothesis",
                  "serial number"),
    ),
    Family(
        name="dateutil-rrule-occurrences",
        stack=("python", "dateutil"),
        tasks=(
            "Next occurrences of a recurring {words} from an RRULE with dateutil",
            "hey could you put together a helper that gives the next 5 dates of our {words} from an iCalendar RRULE "
            "string (python-dateutil), in the time zone from {upper}_TIMEZONE so that daylight saving doesn't shift "
            "the time? thanks!",
            "Task: recurrence expansion\nEntity: {pascal}\nStack: python-dateutil\nRequirements:\n- rrulestr with an "
            "aware dtstart (zoneinfo)\n- default rule Mon/Wed/Fri 09:00\n- next N occurrences after now, wall-clock "
            "time kept across DST",
            "{sentence} schedule: RRULE parsing with dateutil.rrule, next N occurrences, zoneinfo time zone",
            "next_{snake_plural}(count=5) using rrulestr and ZoneInfo",
            "{upper}_RULE (an RRULE) -> upcoming datetimes, dateutil",
        ),
        code=_code("schedules/{{snake}}_schedule.py", _RRULE),
        must=lambda f: _rrule_common(f) + ["        found.append(occurrence)\n        current = occurrence\n"],
        must_not=("SKIP_DATES",),
        entities=("maintenance window", "team standup", "billing cycle", "payroll run", "cleaning shift",
                  "recurring reminder"),
    ),
]


# ==========================================================================
# NEAR MISSES: one requirement added or changed
# ==========================================================================

NEAR_MISSES: list[Family] = [
    Family(
        name="fastapi-etag-conditional-get-api-key",
        base="fastapi-etag-conditional-get",
        stack=("python", "fastapi"),
        tasks=(
            "ETag-aware FastAPI GET for {words_plural}, restricted to callers with a valid X-API-Key",
            "hi! we need the {words} by-id endpoint with ETag/304 like the others, but it's private data now: only "
            "requests whose X-API-Key header matches {upper}_API_KEY (constant-time compare) get through, 401 "
            "otherwise. thanks",
            "Task: conditional GET for {pascal} records behind an API key\nRequirements:\n- ETag = SHA-256 of the "
            "JSON body, 304 on If-None-Match\n- X-API-Key checked with secrets.compare_digest against "
            "{upper}_API_KEY\n- 401 when missing or wrong",
            "{snake} router with ETags, every route guarded by an API-key dependency",
        ),
        code=_code("app/routers/{{snake}}_etag.py", _ETAG_API_KEY),
        must=lambda f: _etag_common(f) + [
            f"dependencies=[Depends(require_{f['snake']}_api_key)]",
            "secrets.compare_digest(x_api_key.encode(), expected.encode())",
            f'expected = os.environ.get("{f["upper"]}_API_KEY", "")',
        ],
        entities=("user profile", "salary slip", "cache entry"),
        sensitive=True,
    ),
    Family(
        name="sqlalchemy-bulk-upsert-postgresql",
        base="sqlalchemy-bulk-upsert",
        stack=("python", "sqlalchemy"),
        tasks=(
            "Bulk upsert of {words_plural} with SQLAlchemy 2 on PostgreSQL",
            "hi! same upsert of {words_plural} as on our SQLite prototype (ON CONFLICT on external_id, batches of "
            "500), but the target is PostgreSQL now with psycopg 3, so use the postgresql dialect's insert. thanks!",
            "Task: idempotent import of {pascal} rows into Postgres\nRequirements:\n- "
            "sqlalchemy.dialects.postgresql.insert with on_conflict_do_update\n- unique external_id, batches of "
            "500\n- URL from {upper}_DATABASE_URL (postgresql+psycopg)",
            "upsert_{snake_plural}() for PostgreSQL: INSERT ... ON CONFLICT (external_id) DO UPDATE via the "
            "postgresql dialect",
        ),
        code=_code("app/db/{{snake}}_upsert.py", _UPSERT_PG),
        must=lambda f: _upsert_common(f) + [
            "from sqlalchemy.dialects.postgresql import insert",
            f'"postgresql+psycopg://localhost/{f["snake_plural"]}"',
        ],
        must_not=("dialects.sqlite",),
        entities=("exchange rate", "stock level", "usage record"),
    ),
    Family(
        name="sqlalchemy-keyset-pagination-async",
        base="sqlalchemy-keyset-pagination",
        stack=("python", "sqlalchemy"),
        tasks=(
            "Keyset pagination of {words_plural} with SQLAlchemy 2's AsyncSession",
            "hi! we moved to async SQLAlchemy (aiosqlite / asyncpg). Could you write the (created_at, id) seek "
            "pagination of {words_plural} with an opaque cursor as an async function taking an AsyncSession? thanks",
            "Task: async seek pagination\nEntity: {pascal}\nRequirements:\n- sqlalchemy.ext.asyncio.AsyncSession, "
            "await session.scalars\n- (created_at, id) > cursor, no OFFSET\n- base64 cursor, next_cursor None at "
            "the end",
            "async def list_{snake_plural}(session: AsyncSession, cursor) with keyset paging",
        ),
        code=_code("app/db/{{snake}}_pages.py", _KEYSET_ASYNC),
        must=lambda f: _keyset_common(f) + [
            f"async def list_{f['snake_plural']}(\n    session: AsyncSession, cursor: str | None = None, limit: int "
            f"= PAGE_SIZE\n) -> {f['pascal']}Page:",
            "found = list((await session.scalars(query)).all())",
        ],
        entities=("chat message", "support ticket", "activity"),
    ),
    Family(
        name="redis-sliding-window-rate-limit",
        base="redis-fixed-window-rate-limit",
        stack=("python", "redis"),
        tasks=(
            "Redis sliding-window rate limiter for {words_plural}",
            "hi! the fixed one-minute windows let a caller burst twice the limit around the boundary. Could you "
            "write the {words} rate limiter as a sliding window instead: a Redis sorted set of hit timestamps, trim "
            "entries older than 60 s, count the rest? thanks",
            "Task: sliding-window rate limiting\nEntity: {pascal}\nRequirements:\n- one sorted set per key, scores "
            "are timestamps\n- ZREMRANGEBYSCORE + ZADD + ZCARD in one pipeline\n- limit {upper}_RATE_LIMIT per "
            "rolling 60 s",
            "{pascal}RateLimiter with a rolling window (Redis ZSET log) instead of fixed buckets",
        ),
        code=_code("app/limits/{{snake}}_rate_limit.py", _RATE_SLIDING),
        must=lambda f: _rate_common(f) + [
            "pipe.zremrangebyscore(window_key, 0, now - self.window)",
            "pipe.zadd(window_key, {member: now})",
            f'window_key = f"ratelimit:{f["kebab"]}:{{key}}"',
        ],
        must_not=("pipe.incr(",),
        entities=("login attempt", "tenant", "password reset"),
    ),
    Family(
        name="redis-sorted-set-leaderboard-weekly",
        base="redis-sorted-set-leaderboard",
        stack=("python", "redis"),
        tasks=(
            "Weekly Redis leaderboard of {words_plural} that starts over every ISO week",
            "hi! the {words} leaderboard (ZINCRBY, top N, rank) should reset every Monday: keep one sorted set per "
            "ISO week and let old weeks expire after 8 weeks. thanks!",
            "Task: weekly leaderboard\nEntity: {pascal}\nRequirements:\n- key leaderboard:{kebab_plural}:YYYY-Www "
            "per ISO week\n- ZINCRBY + EXPIRE in a pipeline\n- top(n) and rank() read the current week",
            "{pascal}Leaderboard with per-week boards (isocalendar key suffix), old weeks expiring",
        ),
        code=_code("app/boards/{{snake}}_leaderboard.py", _BOARD_WEEKLY),
        must=lambda f: _board_common(f) + [
            'return f"{self.key}:{year}-W{week:02d}"',
            f"pipe.expire(key, {f['upper']}_KEEP_SECONDS)",
            "ranked = self.client.zrevrange(self.week_key(), 0, count - 1, withscores=True)",
        ],
        entities=("team score", "fitness challenge", "game hero"),
    ),
    Family(
        name="httpx-streaming-download-resume",
        base="httpx-streaming-download",
        stack=("python", "httpx"),
        tasks=(
            "Resumable streaming download of {words} files with httpx (HTTP Range)",
            "hi! our {words} downloads over flaky links keep restarting from zero. Could you make the httpx "
            "streaming download resume: if a .part file exists, ask for the rest with a Range header and append on "
            "206 (start over on 200)? thanks",
            "Task: resumable download\nEntity: {pascal}\nRequirements:\n- httpx stream, 256 KiB chunks, .part file\n"
            "- Range: bytes=<size>- when a partial file exists\n- append on 206 Partial Content, rewrite on 200",
            "download_{snake}() that continues an interrupted transfer via Range requests",
        ),
        code=_code("downloads/{{snake}}_download.py", _DOWNLOAD_RESUME),
        must=lambda f: _download_common(f) + [
            'headers = {"Range": f"bytes={offset}-"} if offset else {}',
            'mode = "ab" if response.status_code == 206 else "wb"',
            'client.stream("GET", url, headers=headers) as response,',
        ],
        entities=("firmware bundle", "podcast episode", "satellite image"),
    ),
    Family(
        name="requests-oauth-client-credentials-mtls",
        base="requests-oauth-client-credentials",
        stack=("python", "requests"),
        tasks=(
            "OAuth2 client-credentials client for the {words} API over mutual TLS (requests)",
            "hi! the {words} API now requires mutual TLS on top of the client-credentials token: present our client "
            "certificate ({upper}_CLIENT_CERT / {upper}_CLIENT_KEY) on the token call and on the API calls, with "
            "their CA bundle from {upper}_CA_BUNDLE. thanks",
            "Task: machine-to-machine auth with a client certificate\nService: {title} API\nRequirements:\n- "
            "client_credentials grant, cached bearer token\n- requests.Session.cert = (cert, key) for mTLS\n- custom "
            "CA bundle via session.verify",
            "{pascal}Client with OAuth client credentials and a TLS client certificate on every request",
        ),
        code=_code("clients/{{snake}}_client.py", _OAUTH_MTLS),
        must=lambda f: _oauth_common(f) + [
            f'self.session.cert = (os.environ["{f["upper"]}_CLIENT_CERT"], os.environ["{f["upper"]}_CLIENT_KEY"])',
            f'self.session.verify = os.environ.get("{f["upper"]}_CA_BUNDLE") or True',
        ],
        entities=("payment gateway", "tax authority", "bank feed"),
        sensitive=True,
    ),
    Family(
        name="pydantic-discriminated-messages-forbid-extra",
        base="pydantic-discriminated-messages",
        stack=("python", "pydantic"),
        tasks=(
            "Discriminated union of {words} messages with pydantic v2 that rejects unknown fields",
            "hi! same pydantic v2 tagged union for {words} messages (created/changed/deleted on kind), but a "
            "producer keeps sneaking in fields we don't know, so unknown fields must be a validation error instead "
            "of being dropped. thanks",
            "Task: strict message contract\nEntity: {pascal}\nRequirements:\n- discriminated union on kind\n- "
            "model_config extra=\"forbid\" on the shared base\n- TypeAdapter.validate_json for one message and for "
            "a batch",
            "parse_{snake}_message() with a kind discriminator and extra fields forbidden",
        ),
        code=_code("app/messages/{{snake}}_messages.py", _EVENTS_FORBID),
        must=lambda f: _events_common(f) + [
            'model_config = ConfigDict(extra="forbid")',
            "from pydantic import BaseModel, ConfigDict, Field, TypeAdapter",
        ],
        entities=("payment notification", "sensor reading", "crisis"),
    ),
    Family(
        name="jinja2-markdown-pages-html",
        base="jinja2-markdown-pages",
        stack=("python", "jinja2"),
        tasks=(
            "Render an HTML page per {words} from Jinja2 Markdown templates",
            "hi! the Jinja2 Markdown pages for {words_plural} are nice, but people want to open them in a browser: "
            "after rendering the Markdown, convert it to HTML with the markdown package and write .html files. "
            "thanks",
            "Task: docs generation to HTML\nEntity: {pascal}\nRequirements:\n- Jinja2 Markdown template with "
            "StrictUndefined\n- markdown.markdown(..., extensions=[\"tables\"])\n- one docs/{kebab_plural}/<slug>."
            "html per record",
            "render_{snake_plural}() producing HTML (Jinja2 -> Markdown -> the markdown library)",
        ),
        code=_code("docs_builder/{{snake}}_pages.py", _DOCS_HTML, "templates/{{kebab_plural}}/{{kebab}}.md.j2",
                   _DOCS_TEMPLATE),
        must=lambda f: _docs_common(f) + [
            'body = markdown.markdown(template.render(**record), extensions=["tables"])',
            "target = output_dir / f\"{slug(record['title'])}.html\"",
        ],
        entities=("service runbook", "daily digest", "api endpoint"),
    ),
    Family(
        name="typer-prune-old-files-keep-last",
        base="typer-prune-old-files",
        stack=("python", "typer"),
        tasks=(
            "Typer command to prune old {words} files but always keep the newest N",
            "hi! the Typer prune command for {words} files (older than --days, confirm unless --yes) must never "
            "delete the last few: add --keep-last N (default 5) so that the N newest files survive whatever their "
            "age. thanks",
            "Task: housekeeping CLI with a safety net\nEntity: {pascal}\nRequirements:\n- prune files older than "
            "--days, confirmation unless --yes\n- --keep-last N: the N most recent files are never deleted\n- print "
            "the freed space",
            "prune-{kebab_plural} --days 30 --keep-last 5 (Typer)",
        ),
        code=_code("tools/prune_{{snake_plural}}.py", _PRUNE_KEEP_LAST),
        must=lambda f: _prune_common(f) + [
            'keep_last: Annotated[int, typer.Option("--keep-last", min=0, help="Always keep this many newest files.")] = 5,',
            "spared = set(files[-keep_last:]) if keep_last > 0 else set()",
            f"stale = old_{f['snake']}_files(folder, days, keep_last)",
        ],
        entities=("nightly backup", "crash dump", "build artifact"),
    ),
    Family(
        name="pandas-reconcile-exports-tolerance",
        base="pandas-reconcile-exports",
        stack=("python", "pandas"),
        tasks=(
            "Reconcile two CSV exports of {words_plural} with pandas, ignoring tiny numeric differences",
            "hi! the {words} reconciliation (outer merge on id, added/removed/changed) flags rows as changed when an "
            "amount differs by a rounding cent. Numeric columns should only count as changed beyond an absolute "
            "tolerance, {upper}_TOLERANCE = 0.01. thanks",
            "Task: export reconciliation with a tolerance\nEntity: {pascal}\nRequirements:\n- outer merge on id, "
            "indicator=True\n- numeric columns equal within 0.01 absolute\n- other columns compared exactly, NaN "
            "equals NaN",
            "reconcile_{snake_plural}(old, new) where numbers within a 0.01 tolerance are not changes",
        ),
        code=_code("data/reconcile_{{snake_plural}}.py", _RECONCILE_TOLERANCE),
        must=lambda f: _reconcile_common(f) + [
            f"{f['upper']}_TOLERANCE = 0.01",
            f"same = (before - after).abs() <= {f['upper']}_TOLERANCE",
        ],
        must_not=("drop_duplicates",),
        entities=("account entry", "bank transaction", "inventory count"),
    ),
    Family(
        name="dateutil-rrule-occurrences-blackout",
        base="dateutil-rrule-occurrences",
        stack=("python", "dateutil"),
        tasks=(
            "Next occurrences of a recurring {words} from an RRULE with dateutil, skipping blackout dates",
            "hi! the RRULE expansion for {words_plural} (dateutil, zoneinfo, next 5) must leave out our blackout "
            "days: they come from {upper}_SKIP_DATES as comma-separated ISO dates, and skipped ones must not count "
            "towards the 5. thanks",
            "Task: recurrence expansion with exclusions\nEntity: {pascal}\nRequirements:\n- rrulestr with an aware "
            "dtstart\n- drop occurrences on the dates listed in {upper}_SKIP_DATES\n- still return N occurrences",
            "next_{snake_plural}() that excludes blackout dates from the dateutil recurrence",
        ),
        code=_code("schedules/{{snake}}_schedule.py", _RRULE_BLACKOUT),
        must=lambda f: _rrule_common(f) + [
            f'os.environ.get("{f["upper"]}_SKIP_DATES", "").split(",")',
            f"if occurrence.date() not in {f['upper']}_SKIP_DATES:",
        ],
        entities=("maintenance window", "payroll run", "team standup"),
    ),
]
