"""Blind hold-out workload for the template-learning benchmark.

Written without looking at the engine: each family is a job a coding agent
typically asks for in Python web/data work, with several paraphrases, a
reference answer per entity and the strings a correct answer must (and must
not) contain. Near misses change exactly one requirement of a base family.

Reference code is written as templates with ``{{key}}`` placeholders over the
keys of :func:`forms`; ``{{`` never appears in the rendered code.
Only the standard library is imported here.
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
# 1. FastAPI CRUD router (+ soft delete, + JWT auth)
# ==========================================================================

_ROUTER = '''
"""CRUD routes for {{words_plural}}."""
from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import get_session
from app.models import {{pascal}}
from app.schemas import {{pascal}}Create, {{pascal}}Read, {{pascal}}Update

router = APIRouter(prefix="/{{kebab_plural}}", tags=["{{words_plural}}"])


def _get_or_404(session: Session, {{snake}}_id: int) -> {{pascal}}:
    """Load one {{words}} or answer 404."""
    {{snake}} = session.get({{pascal}}, {{snake}}_id)
    if {{snake}} is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="{{sentence}} not found")
    return {{snake}}


@router.get("", response_model=list[{{pascal}}Read])
def list_{{snake_plural}}(session: Session = Depends(get_session)) -> list[{{pascal}}]:
    """Return every {{words}}, ordered by id."""
    return list(session.scalars(select({{pascal}}).order_by({{pascal}}.id)))


@router.get("/{{{snake}}_id}", response_model={{pascal}}Read)
def get_{{snake}}({{snake}}_id: int, session: Session = Depends(get_session)) -> {{pascal}}:
    """Return one {{words}} by id."""
    return _get_or_404(session, {{snake}}_id)


@router.post("", response_model={{pascal}}Read, status_code=status.HTTP_201_CREATED)
def create_{{snake}}(payload: {{pascal}}Create, session: Session = Depends(get_session)) -> {{pascal}}:
    """Store a new {{words}} and return it."""
    {{snake}} = {{pascal}}(**payload.model_dump())
    session.add({{snake}})
    session.commit()
    session.refresh({{snake}})
    return {{snake}}


@router.patch("/{{{snake}}_id}", response_model={{pascal}}Read)
def update_{{snake}}(
    {{snake}}_id: int, payload: {{pascal}}Update, session: Session = Depends(get_session)
) -> {{pascal}}:
    """Apply a partial update to one {{words}}."""
    {{snake}} = _get_or_404(session, {{snake}}_id)
    changes = payload.model_dump(exclude_unset=True)
    for field in changes:
        setattr({{snake}}, field, changes[field])
    session.commit()
    session.refresh({{snake}})
    return {{snake}}


@router.delete("/{{{snake}}_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_{{snake}}({{snake}}_id: int, session: Session = Depends(get_session)) -> None:
    """Delete one {{words}} for good."""
    session.delete(_get_or_404(session, {{snake}}_id))
    session.commit()
'''

_ROUTER_SOFT = '''
"""CRUD routes for {{words_plural}}; deleting only stamps `deleted_at` (soft delete)."""
from datetime import datetime, timezone

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import get_session
from app.models import {{pascal}}
from app.schemas import {{pascal}}Create, {{pascal}}Read, {{pascal}}Update

router = APIRouter(prefix="/{{kebab_plural}}", tags=["{{words_plural}}"])


def _get_live_or_404(session: Session, {{snake}}_id: int) -> {{pascal}}:
    """Load one {{words}} that is not soft-deleted, or answer 404."""
    {{snake}} = session.scalar(
        select({{pascal}}).where({{pascal}}.id == {{snake}}_id, {{pascal}}.deleted_at.is_(None))
    )
    if {{snake}} is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="{{sentence}} not found")
    return {{snake}}


@router.get("", response_model=list[{{pascal}}Read])
def list_{{snake_plural}}(session: Session = Depends(get_session)) -> list[{{pascal}}]:
    """Return every {{words}} that has not been deleted, ordered by id."""
    stmt = select({{pascal}}).where({{pascal}}.deleted_at.is_(None)).order_by({{pascal}}.id)
    return list(session.scalars(stmt))


@router.get("/{{{snake}}_id}", response_model={{pascal}}Read)
def get_{{snake}}({{snake}}_id: int, session: Session = Depends(get_session)) -> {{pascal}}:
    """Return one live {{words}} by id."""
    return _get_live_or_404(session, {{snake}}_id)


@router.post("", response_model={{pascal}}Read, status_code=status.HTTP_201_CREATED)
def create_{{snake}}(payload: {{pascal}}Create, session: Session = Depends(get_session)) -> {{pascal}}:
    """Store a new {{words}} and return it."""
    {{snake}} = {{pascal}}(**payload.model_dump())
    session.add({{snake}})
    session.commit()
    session.refresh({{snake}})
    return {{snake}}


@router.patch("/{{{snake}}_id}", response_model={{pascal}}Read)
def update_{{snake}}(
    {{snake}}_id: int, payload: {{pascal}}Update, session: Session = Depends(get_session)
) -> {{pascal}}:
    """Apply a partial update to one live {{words}}."""
    {{snake}} = _get_live_or_404(session, {{snake}}_id)
    changes = payload.model_dump(exclude_unset=True)
    for field in changes:
        setattr({{snake}}, field, changes[field])
    session.commit()
    session.refresh({{snake}})
    return {{snake}}


@router.delete("/{{{snake}}_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_{{snake}}({{snake}}_id: int, session: Session = Depends(get_session)) -> None:
    """Soft-delete one {{words}}: the row stays, stamped with deleted_at."""
    {{snake}} = _get_live_or_404(session, {{snake}}_id)
    {{snake}}.deleted_at = datetime.now(timezone.utc)
    session.commit()
'''

_ROUTER_JWT = '''
"""CRUD routes for {{words_plural}}, open only to callers with a valid JWT."""
import os

import jwt
from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import get_session
from app.models import {{pascal}}
from app.schemas import {{pascal}}Create, {{pascal}}Read, {{pascal}}Update

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")


def get_current_user(token: str = Depends(oauth2_scheme)) -> dict[str, object]:
    """Decode and verify the bearer JWT; answer 401 if it is missing, expired or forged."""
    try:
        return jwt.decode(token, os.environ["JWT_SECRET_KEY"], algorithms=["HS256"])
    except jwt.PyJWTError as exc:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid or expired token",
            headers={"WWW-Authenticate": "Bearer"},
        ) from exc


router = APIRouter(
    prefix="/{{kebab_plural}}", tags=["{{words_plural}}"], dependencies=[Depends(get_current_user)]
)


def _get_or_404(session: Session, {{snake}}_id: int) -> {{pascal}}:
    """Load one {{words}} or answer 404."""
    {{snake}} = session.get({{pascal}}, {{snake}}_id)
    if {{snake}} is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="{{sentence}} not found")
    return {{snake}}


@router.get("", response_model=list[{{pascal}}Read])
def list_{{snake_plural}}(session: Session = Depends(get_session)) -> list[{{pascal}}]:
    """Return every {{words}}, ordered by id."""
    return list(session.scalars(select({{pascal}}).order_by({{pascal}}.id)))


@router.get("/{{{snake}}_id}", response_model={{pascal}}Read)
def get_{{snake}}({{snake}}_id: int, session: Session = Depends(get_session)) -> {{pascal}}:
    """Return one {{words}} by id."""
    return _get_or_404(session, {{snake}}_id)


@router.post("", response_model={{pascal}}Read, status_code=status.HTTP_201_CREATED)
def create_{{snake}}(payload: {{pascal}}Create, session: Session = Depends(get_session)) -> {{pascal}}:
    """Store a new {{words}} and return it."""
    {{snake}} = {{pascal}}(**payload.model_dump())
    session.add({{snake}})
    session.commit()
    session.refresh({{snake}})
    return {{snake}}


@router.patch("/{{{snake}}_id}", response_model={{pascal}}Read)
def update_{{snake}}(
    {{snake}}_id: int, payload: {{pascal}}Update, session: Session = Depends(get_session)
) -> {{pascal}}:
    """Apply a partial update to one {{words}}."""
    {{snake}} = _get_or_404(session, {{snake}}_id)
    changes = payload.model_dump(exclude_unset=True)
    for field in changes:
        setattr({{snake}}, field, changes[field])
    session.commit()
    session.refresh({{snake}})
    return {{snake}}


@router.delete("/{{{snake}}_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_{{snake}}({{snake}}_id: int, session: Session = Depends(get_session)) -> None:
    """Delete one {{words}} for good."""
    session.delete(_get_or_404(session, {{snake}}_id))
    session.commit()
'''


def _router_common(f: Forms) -> list[str]:
    s, p = f["snake"], f["pascal"]
    return [
        "APIRouter(",
        f'prefix="/{f["kebab_plural"]}"',
        f"def list_{f['snake_plural']}(",
        f"def get_{s}(",
        f"def create_{s}(",
        f"def update_{s}(",
        f"def delete_{s}(",
        f"{p}Create",
        f"{p}Update",
        "status.HTTP_201_CREATED",
        "status.HTTP_204_NO_CONTENT",
        "HTTP_404_NOT_FOUND",
    ]


# ==========================================================================
# 2. SQLAlchemy ORM model (2.x typed; near miss: 1.x Column style)
# ==========================================================================

_MODEL = '''
"""SQLAlchemy 2.0 model for {{words_plural}}."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Numeric, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base class shared by every model."""


class {{pascal}}(Base):
    """One {{words}}, stored in the `{{snake_plural}}` table."""

    __tablename__ = "{{snake_plural}}"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="ck_{{snake_plural}}_amount_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    def __repr__(self) -> str:
        return f"<{{pascal}} id={self.id} reference={self.reference!r}>"
'''

_MODEL_LEGACY = '''
"""SQLAlchemy 1.x-style (declarative_base + Column) model for {{words_plural}}."""
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class {{pascal}}(Base):
    """One {{words}}, stored in the `{{snake_plural}}` table."""

    __tablename__ = "{{snake_plural}}"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="ck_{{snake_plural}}_amount_non_negative"),
    )

    id = Column(Integer, primary_key=True)
    reference = Column(String(64), unique=True, index=True, nullable=False)
    name = Column(String(200), nullable=False)
    notes = Column(Text)
    amount = Column(Numeric(12, 2), nullable=False, default=Decimal("0.00"))
    owner_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    is_active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), server_default=func.now())
    updated_at = Column(DateTime(timezone=True), server_default=func.now(), onupdate=func.now())

    def __repr__(self) -> str:
        return f"<{{pascal}} id={self.id} reference={self.reference!r}>"
'''


# ==========================================================================
# 3. pydantic schemas (v2; near miss: v1)
# ==========================================================================

_SCHEMAS = '''
"""Request and response schemas for {{words_plural}} (pydantic v2, camelCase JSON).

Example body for ``POST /{{kebab_plural}}``: ``{"name": "Spare parts", "total": "12.50"}``.
"""
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator
from pydantic.alias_generators import to_camel


class {{pascal}}Base(BaseModel):
    """Fields shared by every {{words}} schema."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    name: str = Field(min_length=1, max_length=120)
    description: str | None = None
    total: Decimal = Field(default=Decimal("0"), ge=0, decimal_places=2)

    @field_validator("name")
    @classmethod
    def strip_name(cls, value: str) -> str:
        """Trim whitespace and refuse blank names."""
        value = value.strip()
        if not value:
            raise ValueError("name must not be blank")
        return value


class {{pascal}}Create({{pascal}}Base):
    """Payload to create a new {{words}}."""


class {{pascal}}Update(BaseModel):
    """Partial update of one {{words}}; every field is optional."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    name: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = None
    total: Decimal | None = Field(default=None, ge=0, decimal_places=2)


class {{pascal}}Read({{pascal}}Base):
    """One {{words}} as returned by the API, built from the ORM object."""

    model_config = ConfigDict(
        from_attributes=True, alias_generator=to_camel, populate_by_name=True
    )

    id: int
    created_at: datetime
    updated_at: datetime | None = None

    @computed_field
    @property
    def url(self) -> str:
        """Path of this {{words}} in the API."""
        return f"/{{kebab_plural}}/{self.id}"
'''

_SCHEMAS_V1 = '''
"""Request and response schemas for {{words_plural}} (pydantic v1, camelCase JSON).

Example body for ``POST /{{kebab_plural}}``: ``{"name": "Spare parts", "total": "12.50"}``.
"""
from datetime import datetime
from decimal import Decimal
from typing import Optional

from pydantic import BaseModel, Field, validator


def to_camel(name: str) -> str:
    """Turn a snake_case field name into its camelCase JSON key."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class {{pascal}}Base(BaseModel):
    """Fields shared by every {{words}} schema."""

    name: str = Field(..., min_length=1, max_length=120)
    description: Optional[str] = None
    total: Decimal = Field(Decimal("0"), ge=0)

    @validator("name")
    def strip_name(cls, value: str) -> str:
        """Trim whitespace and refuse blank names."""
        value = value.strip()
        if not value:
            raise ValueError("name must not be blank")
        return value

    class Config:
        alias_generator = to_camel
        allow_population_by_field_name = True


class {{pascal}}Create({{pascal}}Base):
    """Payload to create a new {{words}}."""


class {{pascal}}Update(BaseModel):
    """Partial update of one {{words}}; every field is optional."""

    name: Optional[str] = Field(None, min_length=1, max_length=120)
    description: Optional[str] = None
    total: Optional[Decimal] = Field(None, ge=0)

    class Config:
        alias_generator = to_camel
        allow_population_by_field_name = True


class {{pascal}}Read({{pascal}}Base):
    """One {{words}} as returned by the API, built from the ORM object."""

    id: int
    created_at: datetime
    updated_at: Optional[datetime] = None

    class Config:
        orm_mode = True
'''


# ==========================================================================
# 4. repository over a SQLAlchemy session (sync; near miss: async)
# ==========================================================================

_REPO = '''
"""Data access for {{words_plural}}."""
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import {{pascal}}

MAX_PAGE_SIZE = 200


class {{pascal}}Repository:
    """Query and persist {{words_plural}} through a SQLAlchemy session.

    The repository flushes but never commits: the unit of work belongs to the caller.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, {{snake}}_id: int) -> {{pascal}} | None:
        """Return the {{words}} with this id, or None."""
        return self.session.get({{pascal}}, {{snake}}_id)

    def list(self, *, offset: int = 0, limit: int = 50) -> Sequence[{{pascal}}]:
        """Return one page of {{words_plural}}, newest first."""
        if offset < 0 or not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"bad page: offset={offset} limit={limit}")
        stmt = (
            select({{pascal}})
            .order_by({{pascal}}.created_at.desc(), {{pascal}}.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def add(self, {{snake}}: {{pascal}}) -> {{pascal}}:
        """Stage a new {{words}} and flush it so it gets an id."""
        self.session.add({{snake}})
        self.session.flush()
        return {{snake}}

    def delete(self, {{snake}}: {{pascal}}) -> None:
        """Remove one {{words}}; the caller commits."""
        self.session.delete({{snake}})
        self.session.flush()
'''

_REPO_ASYNC = '''
"""Async data access for {{words_plural}}."""
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import {{pascal}}

MAX_PAGE_SIZE = 200


class {{pascal}}Repository:
    """Query and persist {{words_plural}} through a SQLAlchemy AsyncSession.

    The repository flushes but never commits: the unit of work belongs to the caller.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, {{snake}}_id: int) -> {{pascal}} | None:
        """Return the {{words}} with this id, or None."""
        return await self.session.get({{pascal}}, {{snake}}_id)

    async def list(self, *, offset: int = 0, limit: int = 50) -> Sequence[{{pascal}}]:
        """Return one page of {{words_plural}}, newest first."""
        if offset < 0 or not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"bad page: offset={offset} limit={limit}")
        stmt = (
            select({{pascal}})
            .order_by({{pascal}}.created_at.desc(), {{pascal}}.id.desc())
            .offset(offset)
            .limit(limit)
        )
        result = await self.session.scalars(stmt)
        return result.all()

    async def add(self, {{snake}}: {{pascal}}) -> {{pascal}}:
        """Stage a new {{words}} and flush it so it gets an id."""
        self.session.add({{snake}})
        await self.session.flush()
        return {{snake}}

    async def delete(self, {{snake}}: {{pascal}}) -> None:
        """Remove one {{words}}; the caller commits."""
        await self.session.delete({{snake}})
        await self.session.flush()
'''


# ==========================================================================
# 5. Typer CLI: CSV import (near miss: CSV export)
# ==========================================================================

_CLI_IMPORT = '''
"""Command-line import of {{words_plural}} from a CSV file into SQLite."""
import csv
import sqlite3
from pathlib import Path

import typer

app = typer.Typer(help="{{title}} tools.")

REQUIRED_COLUMNS = ("reference", "name", "amount")


@app.command("import")
def import_{{snake_plural}}(
    csv_path: Path = typer.Argument(..., exists=True, dir_okay=False, help="One {{words}} per row."),
    db_path: Path = typer.Option(Path("app.db"), "--db", envvar="{{upper}}_DB_PATH", help="SQLite file."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate the rows without writing them."),
) -> None:
    """Import {{words_plural}} from CSV_PATH, replacing rows with the same reference."""
    rows: list[tuple[str, str, float]] = []
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(REQUIRED_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            typer.secho(f"Missing columns: {', '.join(sorted(missing))}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=2)
        for line_no, row in enumerate(reader, start=2):
            try:
                rows.append((row["reference"].strip(), row["name"].strip(), float(row["amount"])))
            except ValueError:
                typer.secho(f"line {line_no}: amount is not a number, skipped", fg="yellow", err=True)
    if dry_run:
        typer.echo(f"{len(rows)} {{words_plural}} would be imported.")
        return
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS {{snake_plural}} "
                "(reference TEXT PRIMARY KEY, name TEXT NOT NULL, amount REAL NOT NULL)"
            )
            conn.executemany(
                "INSERT OR REPLACE INTO {{snake_plural}} (reference, name, amount) VALUES (?, ?, ?)",
                rows,
            )
    finally:
        conn.close()
    typer.echo(f"Imported {len(rows)} {{words_plural}}.")


if __name__ == "__main__":
    app()
'''

_CLI_EXPORT = '''
"""Command-line export of {{words_plural}} from SQLite to a CSV file."""
import csv
import sqlite3
import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(help="{{title}} tools.")

COLUMNS = ("reference", "name", "amount")


@app.command("export")
def export_{{snake_plural}}(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="CSV file (default: stdout)."),
    db_path: Path = typer.Option(
        Path("app.db"), "--db", envvar="{{upper}}_DB_PATH", exists=True, dir_okay=False
    ),
    min_amount: float = typer.Option(0.0, "--min-amount", help="Skip {{words_plural}} below this."),
) -> None:
    """Write every {{words}} with amount >= --min-amount as CSV, ordered by reference."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT reference, name, amount FROM {{snake_plural}} WHERE amount >= ? ORDER BY reference",
            (min_amount,),
        ).fetchall()
    finally:
        conn.close()
    handle = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(dict(row) for row in rows)
    finally:
        if output:
            handle.close()
    typer.echo(f"Exported {len(rows)} {{words_plural}}.", err=True)


if __name__ == "__main__":
    app()
'''


# ==========================================================================
# 6. httpx API client (sync; near misses: async, retries with backoff)
# ==========================================================================

_CLIENT = '''
"""Synchronous client for the /{{kebab_plural}} endpoints of our REST API."""
import os
from typing import Any

import httpx

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class {{pascal}}NotFoundError(LookupError):
    """Raised when the API has no {{words}} with the requested id."""


class {{pascal}}Client:
    """Call the remote `/{{kebab_plural}}` resource with a bearer token."""

    def __init__(self, base_url: str | None = None, token: str | None = None) -> None:
        self._client = httpx.Client(
            base_url=base_url or os.environ["API_BASE_URL"],
            headers={"Authorization": f"Bearer {token or os.environ['API_TOKEN']}"},
            timeout=DEFAULT_TIMEOUT,
        )

    def list_{{snake_plural}}(self, page: int = 1, per_page: int = 50) -> list[dict[str, Any]]:
        """Fetch one page of {{words_plural}}."""
        response = self._client.get("/{{kebab_plural}}", params={"page": page, "perPage": per_page})
        response.raise_for_status()
        return response.json()["{{camel_plural}}"]

    def get_{{snake}}(self, {{snake}}_id: str) -> dict[str, Any]:
        """Fetch one {{words}}; raise {{pascal}}NotFoundError on 404."""
        response = self._client.get(f"/{{kebab_plural}}/{{{snake}}_id}")
        if response.status_code == httpx.codes.NOT_FOUND:
            raise {{pascal}}NotFoundError({{snake}}_id)
        response.raise_for_status()
        return response.json()["{{camel}}"]

    def create_{{snake}}(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Create a new {{words}} and return it as stored by the API."""
        response = self._client.post("/{{kebab_plural}}", json={"{{camel}}": payload})
        response.raise_for_status()
        return response.json()["{{camel}}"]

    def close(self) -> None:
        """Close the underlying connection pool."""
        self._client.close()

    def __enter__(self) -> "{{pascal}}Client":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
'''

_CLIENT_ASYNC = '''
"""Asynchronous client for the /{{kebab_plural}} endpoints of our REST API."""
import os
from typing import Any

import httpx

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class {{pascal}}NotFoundError(LookupError):
    """Raised when the API has no {{words}} with the requested id."""


class {{pascal}}Client:
    """Call the remote `/{{kebab_plural}}` resource with a bearer token, without blocking."""

    def __init__(self, base_url: str | None = None, token: str | None = None) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url or os.environ["API_BASE_URL"],
            headers={"Authorization": f"Bearer {token or os.environ['API_TOKEN']}"},
            timeout=DEFAULT_TIMEOUT,
        )

    async def list_{{snake_plural}}(self, page: int = 1, per_page: int = 50) -> list[dict[str, Any]]:
        """Fetch one page of {{words_plural}}."""
        response = await self._client.get(
            "/{{kebab_plural}}", params={"page": page, "perPage": per_page}
        )
        response.raise_for_status()
        return response.json()["{{camel_plural}}"]

    async def get_{{snake}}(self, {{snake}}_id: str) -> dict[str, Any]:
        """Fetch one {{words}}; raise {{pascal}}NotFoundError on 404."""
        response = await self._client.get(f"/{{kebab_plural}}/{{{snake}}_id}")
        if response.status_code == httpx.codes.NOT_FOUND:
            raise {{pascal}}NotFoundError({{snake}}_id)
        response.raise_for_status()
        return response.json()["{{camel}}"]

    async def create_{{snake}}(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Create a new {{words}} and return it as stored by the API."""
        response = await self._client.post("/{{kebab_plural}}", json={"{{camel}}": payload})
        response.raise_for_status()
        return response.json()["{{camel}}"]

    async def aclose(self) -> None:
        """Close the underlying connection pool."""
        await self._client.aclose()

    async def __aenter__(self) -> "{{pascal}}Client":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
'''

_CLIENT_RETRY = '''
"""Client for the /{{kebab_plural}} endpoints that retries rate limits and flaky upstreams."""
import os
import time
from typing import Any

import httpx

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 0.5


class {{pascal}}NotFoundError(LookupError):
    """Raised when the API has no {{words}} with the requested id."""


class {{pascal}}Client:
    """Call the remote `/{{kebab_plural}}` resource, backing off on 429 and 5xx."""

    def __init__(self, base_url: str | None = None, token: str | None = None) -> None:
        self._client = httpx.Client(
            base_url=base_url or os.environ["API_BASE_URL"],
            headers={"Authorization": f"Bearer {token or os.environ['API_TOKEN']}"},
            timeout=DEFAULT_TIMEOUT,
        )

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send a request; retry with exponential backoff, honouring Retry-After."""
        for attempt in range(MAX_ATTEMPTS):
            last_attempt = attempt == MAX_ATTEMPTS - 1
            try:
                response = self._client.request(method, url, **kwargs)
            except httpx.TransportError:
                if last_attempt:
                    raise
                delay = BACKOFF_SECONDS * 2**attempt
            else:
                if response.status_code not in RETRY_STATUSES or last_attempt:
                    return response
                retry_after = response.headers.get("Retry-After", "")
                delay = float(retry_after) if retry_after.isdigit() else BACKOFF_SECONDS * 2**attempt
            time.sleep(delay)
        raise RuntimeError("retry loop exhausted")

    def list_{{snake_plural}}(self, page: int = 1, per_page: int = 50) -> list[dict[str, Any]]:
        """Fetch one page of {{words_plural}}."""
        response = self._request("GET", "/{{kebab_plural}}", params={"page": page, "perPage": per_page})
        response.raise_for_status()
        return response.json()["{{camel_plural}}"]

    def get_{{snake}}(self, {{snake}}_id: str) -> dict[str, Any]:
        """Fetch one {{words}}; raise {{pascal}}NotFoundError on 404."""
        response = self._request("GET", f"/{{kebab_plural}}/{{{snake}}_id}")
        if response.status_code == httpx.codes.NOT_FOUND:
            raise {{pascal}}NotFoundError({{snake}}_id)
        response.raise_for_status()
        return response.json()["{{camel}}"]

    def create_{{snake}}(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Create a new {{words}} and return it as stored by the API."""
        response = self._request("POST", "/{{kebab_plural}}", json={"{{camel}}": payload})
        response.raise_for_status()
        return response.json()["{{camel}}"]

    def close(self) -> None:
        """Close the underlying connection pool."""
        self._client.close()
'''


def _client_common(f: Forms) -> list[str]:
    s = f["snake"]
    return [
        f"class {f['pascal']}Client",
        f"{f['pascal']}NotFoundError",
        f'"/{f["kebab_plural"]}"',
        f'["{f["camel_plural"]}"]',
        f'{{"{f["camel"]}": payload}}',
        f"def list_{f['snake_plural']}(",
        f"def get_{s}(",
        f"def create_{s}(",
        ".raise_for_status()",
        'os.environ["API_BASE_URL"]',
    ]


# ==========================================================================
# 7. pytest tests of the HTTP API (near miss: tests of the repository layer)
# ==========================================================================

_API_TESTS = '''
"""HTTP tests for the /{{kebab_plural}} endpoints."""
from collections.abc import Iterator

import pytest
from fastapi import status
from fastapi.testclient import TestClient

from app.main import app

NEW_{{upper}} = {"name": "First {{words}}", "description": "created by the test suite"}


@pytest.fixture()
def client() -> Iterator[TestClient]:
    """Yield a TestClient that runs the app's startup and shutdown hooks."""
    with TestClient(app) as test_client:
        yield test_client


def test_create_{{snake}}_returns_201(client: TestClient) -> None:
    """POST creates one {{words}} and echoes it back with an id."""
    response = client.post("/{{kebab_plural}}", json=NEW_{{upper}})
    assert response.status_code == status.HTTP_201_CREATED
    body = response.json()
    assert body["name"] == NEW_{{upper}}["name"]
    assert isinstance(body["id"], int)


def test_get_unknown_{{snake}}_returns_404(client: TestClient) -> None:
    """GET on an id that does not exist answers 404."""
    response = client.get("/{{kebab_plural}}/999999")
    assert response.status_code == status.HTTP_404_NOT_FOUND


def test_list_{{snake_plural}}_includes_new_one(client: TestClient) -> None:
    """A freshly created {{words}} shows up in the list."""
    created = client.post("/{{kebab_plural}}", json=NEW_{{upper}}).json()
    response = client.get("/{{kebab_plural}}")
    assert response.status_code == status.HTTP_200_OK
    assert created["id"] in [row["id"] for row in response.json()]


def test_delete_{{snake}}_then_get_returns_404(client: TestClient) -> None:
    """After DELETE the {{words}} is gone."""
    created = client.post("/{{kebab_plural}}", json=NEW_{{upper}}).json()
    url = f"/{{kebab_plural}}/{created['id']}"
    assert client.delete(url).status_code == status.HTTP_204_NO_CONTENT
    assert client.get(url).status_code == status.HTTP_404_NOT_FOUND


@pytest.mark.parametrize("payload", [{}, {"name": ""}, {"name": None}])
def test_create_{{snake}}_rejects_invalid_payload(client: TestClient, payload: dict[str, object]) -> None:
    """Missing, blank or null names are rejected with 422."""
    response = client.post("/{{kebab_plural}}", json=payload)
    assert response.status_code == 422
'''

_REPO_TESTS = '''
"""Tests for {{pascal}}Repository against an in-memory SQLite database."""
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from app.models import Base, {{pascal}}
from app.repositories.{{snake}}_repository import {{pascal}}Repository


@pytest.fixture()
def session() -> Iterator[Session]:
    """Yield a session bound to a fresh in-memory database."""
    engine = create_engine("sqlite+pysqlite:///:memory:")
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as db_session:
        yield db_session
    engine.dispose()


@pytest.fixture()
def repository(session: Session) -> {{pascal}}Repository:
    """The repository under test."""
    return {{pascal}}Repository(session)


def _make(n: int) -> {{pascal}}:
    return {{pascal}}(reference=f"REF-{n:04d}", name=f"{{sentence}} {n}")


def test_add_{{snake}}_assigns_id(repository: {{pascal}}Repository) -> None:
    """add() flushes, so the new {{words}} gets a primary key."""
    {{snake}} = repository.add(_make(1))
    assert {{snake}}.id is not None


def test_get_unknown_{{snake}}_returns_none(repository: {{pascal}}Repository) -> None:
    """get() answers None for an id that does not exist."""
    assert repository.get(12345) is None


def test_list_pages_through_{{snake_plural}}(repository: {{pascal}}Repository) -> None:
    """list() honours offset and limit without overlap."""
    for n in range(5):
        repository.add(_make(n))
    first = repository.list(offset=0, limit=2)
    rest = repository.list(offset=2, limit=10)
    assert len(first) == 2
    assert len(rest) == 3
    assert not {row.id for row in first} & {row.id for row in rest}


def test_delete_{{snake}}_removes_row(repository: {{pascal}}Repository, session: Session) -> None:
    """delete() removes the row from the session's view."""
    {{snake}} = repository.add(_make(9))
    repository.delete({{snake}})
    assert session.get({{pascal}}, {{snake}}.id) is None
'''


# ==========================================================================
# 8. dataclass domain service: approval workflow
# ==========================================================================

_APPROVAL = '''
"""Approval workflow for {{words_plural}}: draft, submitted, approved or rejected."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum


class {{pascal}}State(str, Enum):
    """Where one {{words}} is in its approval lifecycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


ALLOWED_TRANSITIONS: dict[{{pascal}}State, frozenset[{{pascal}}State]] = {
    {{pascal}}State.DRAFT: frozenset({{{pascal}}State.SUBMITTED}),
    {{pascal}}State.SUBMITTED: frozenset({{{pascal}}State.APPROVED, {{pascal}}State.REJECTED}),
    {{pascal}}State.REJECTED: frozenset({{{pascal}}State.DRAFT}),
    {{pascal}}State.APPROVED: frozenset(),
}


class {{pascal}}TransitionError(ValueError):
    """Raised when a {{words}} may not move to the requested state."""


@dataclass
class {{pascal}}:
    """One {{words}} with the audit trail of its state changes."""

    id: int
    author: str
    state: {{pascal}}State = {{pascal}}State.DRAFT
    rejection_reason: str | None = None
    history: list[tuple[{{pascal}}State, str, datetime]] = field(default_factory=list)

    def move_to(self, target: {{pascal}}State, actor: str) -> None:
        """Change state if the transition table allows it, and record who did it."""
        if target not in ALLOWED_TRANSITIONS[self.state]:
            raise {{pascal}}TransitionError(f"cannot go from {self.state.value} to {target.value}")
        self.state = target
        self.history.append((target, actor, datetime.now(timezone.utc)))


@dataclass(frozen=True)
class {{pascal}}ApprovalService:
    """Business rules for approving {{words_plural}}."""

    approvers: frozenset[str]

    def submit(self, {{snake}}: {{pascal}}, actor: str) -> None:
        """Send a draft {{words}} for approval; only its author may do so."""
        if actor != {{snake}}.author:
            raise PermissionError("only the author can submit")
        {{snake}}.move_to({{pascal}}State.SUBMITTED, actor)

    def approve(self, {{snake}}: {{pascal}}, actor: str) -> None:
        """Approve a submitted {{words}} (four-eyes rule: never your own)."""
        self._check_approver({{snake}}, actor)
        {{snake}}.move_to({{pascal}}State.APPROVED, actor)

    def reject(self, {{snake}}: {{pascal}}, actor: str, reason: str) -> None:
        """Reject a submitted {{words}}; a reason is mandatory."""
        if not reason.strip():
            raise ValueError("a rejection needs a reason")
        self._check_approver({{snake}}, actor)
        {{snake}}.move_to({{pascal}}State.REJECTED, actor)
        {{snake}}.rejection_reason = reason.strip()

    def reopen(self, {{snake}}: {{pascal}}, actor: str) -> None:
        """Turn a rejected {{words}} back into a draft; only its author may do so."""
        if actor != {{snake}}.author:
            raise PermissionError("only the author can reopen")
        {{snake}}.move_to({{pascal}}State.DRAFT, actor)
        {{snake}}.rejection_reason = None

    def _check_approver(self, {{snake}}: {{pascal}}, actor: str) -> None:
        if actor not in self.approvers:
            raise PermissionError(f"{actor} is not an approver")
        if actor == {{snake}}.author:
            raise PermissionError("nobody may approve their own {{words}}")
'''


# ==========================================================================
# 9. async Redis stream consumer (near miss: with dead-letter stream)
# ==========================================================================

_CONSUMER = '''
"""Async worker consuming {{words}} events from a Redis stream."""
import asyncio
import json
import logging
import os
import signal
import socket

import redis.asyncio as redis
from redis.exceptions import ResponseError

{{upper_plural}}_STREAM = "{{kebab_plural}}:events"
CONSUMER_GROUP = "{{kebab}}-workers"
CONSUMER_NAME = os.environ.get("WORKER_NAME", socket.gethostname())
BATCH_SIZE = 20
BLOCK_MS = 5_000

logger = logging.getLogger(__name__)


async def handle_{{snake}}_event(event: dict[str, object]) -> None:
    """Apply one {{words}} event; raising leaves it pending for a later retry."""
    logger.info("%s %s: %s", "{{sentence}}", event["{{camel}}Id"], event["type"])


async def ensure_group(client: redis.Redis) -> None:
    """Create the consumer group (and the stream) unless it already exists."""
    try:
        await client.xgroup_create({{upper_plural}}_STREAM, CONSUMER_GROUP, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def consume(stop: asyncio.Event) -> None:
    """Read, handle and acknowledge {{words}} events until `stop` is set."""
    client = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    await ensure_group(client)
    try:
        while not stop.is_set():
            response = await client.xreadgroup(
                CONSUMER_GROUP,
                CONSUMER_NAME,
                {{{upper_plural}}_STREAM: ">"},
                count=BATCH_SIZE,
                block=BLOCK_MS,
            )
            for _stream, messages in response:
                for message_id, fields in messages:
                    try:
                        await handle_{{snake}}_event(json.loads(fields["payload"]))
                    except Exception:
                        logger.exception("{{sentence}} event %s failed; left pending", message_id)
                        continue
                    await client.xack({{upper_plural}}_STREAM, CONSUMER_GROUP, message_id)
    finally:
        await client.aclose()


async def run() -> None:
    """Consume until SIGINT or SIGTERM, finishing the batch in hand."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await consume(stop)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(run())
'''

_CONSUMER_DLQ = '''
"""Async worker consuming {{words}} events from a Redis stream, with a dead-letter stream."""
import asyncio
import json
import logging
import os
import signal
import socket

import redis.asyncio as redis
from redis.exceptions import ResponseError

{{upper_plural}}_STREAM = "{{kebab_plural}}:events"
DEAD_LETTER_STREAM = "{{kebab_plural}}:dead-letter"
CONSUMER_GROUP = "{{kebab}}-workers"
CONSUMER_NAME = os.environ.get("WORKER_NAME", socket.gethostname())
BATCH_SIZE = 20
BLOCK_MS = 5_000
MAX_DELIVERIES = 5
RECLAIM_IDLE_MS = 60_000

logger = logging.getLogger(__name__)


async def handle_{{snake}}_event(event: dict[str, object]) -> None:
    """Apply one {{words}} event; raising leaves it pending for a later retry."""
    logger.info("%s %s: %s", "{{sentence}}", event["{{camel}}Id"], event["type"])


async def ensure_group(client: redis.Redis) -> None:
    """Create the consumer group (and the stream) unless it already exists."""
    try:
        await client.xgroup_create({{upper_plural}}_STREAM, CONSUMER_GROUP, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def process(client: redis.Redis, message_id: str, fields: dict[str, str]) -> None:
    """Handle one message; ack it on success, dead-letter it after MAX_DELIVERIES failures."""
    try:
        await handle_{{snake}}_event(json.loads(fields["payload"]))
    except Exception:
        logger.exception("{{sentence}} event %s failed", message_id)
        pending = await client.xpending_range(
            {{upper_plural}}_STREAM, CONSUMER_GROUP, min=message_id, max=message_id, count=1
        )
        if not pending or pending[0]["times_delivered"] < MAX_DELIVERIES:
            return
        await client.xadd(DEAD_LETTER_STREAM, {**fields, "source_id": message_id})
        logger.error("{{sentence}} event %s moved to %s", message_id, DEAD_LETTER_STREAM)
    await client.xack({{upper_plural}}_STREAM, CONSUMER_GROUP, message_id)


async def consume(stop: asyncio.Event) -> None:
    """Reclaim stuck messages, then read new ones, until `stop` is set."""
    client = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    await ensure_group(client)
    try:
        while not stop.is_set():
            claimed = await client.xautoclaim(
                {{upper_plural}}_STREAM, CONSUMER_GROUP, CONSUMER_NAME,
                min_idle_time=RECLAIM_IDLE_MS, start_id="0-0", count=BATCH_SIZE,
            )
            for message_id, fields in claimed[1]:
                await process(client, message_id, fields)
            response = await client.xreadgroup(
                CONSUMER_GROUP, CONSUMER_NAME, {{{upper_plural}}_STREAM: ">"},
                count=BATCH_SIZE, block=BLOCK_MS,
            )
            for _stream, messages in response:
                for message_id, fields in messages:
                    await process(client, message_id, fields)
    finally:
        await client.aclose()


async def run() -> None:
    """Consume until SIGINT or SIGTERM, finishing the batch in hand."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await consume(stop)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(run())
'''


# ==========================================================================
# 10. FastAPI dependency: load by path id or 404 (near miss: + ownership)
# ==========================================================================

_DEPENDENCY = '''
"""FastAPI dependency that resolves a `{{snake}}_id` path parameter to a {{words}}.

Usage::

    @router.get("/{{kebab_plural}}/{{{snake}}_id}")
    def read_{{snake}}({{snake}}: {{pascal}}Dep) -> {{pascal}}Read: ...
"""
from typing import Annotated

from fastapi import Depends, HTTPException, Path, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import get_session
from app.models import {{pascal}}

SessionDep = Annotated[Session, Depends(get_session)]


def get_{{snake}}_or_404(
    {{snake}}_id: Annotated[int, Path(ge=1, description="Id of the {{words}}")],
    session: SessionDep,
) -> {{pascal}}:
    """Return the {{words}} named by `{{snake}}_id`, or raise 404."""
    {{snake}} = session.scalar(select({{pascal}}).where({{pascal}}.id == {{snake}}_id))
    if {{snake}} is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=f"{{sentence}} {{{snake}}_id} not found",
        )
    return {{snake}}


{{pascal}}Dep = Annotated[{{pascal}}, Depends(get_{{snake}}_or_404)]
'''

_DEPENDENCY_OWNER = '''
"""FastAPI dependency that resolves `{{snake}}_id` to a {{words}} the caller owns.

Usage::

    @router.get("/{{kebab_plural}}/{{{snake}}_id}")
    def read_{{snake}}({{snake}}: {{pascal}}Dep) -> {{pascal}}Read: ...
"""
from typing import Annotated

from fastapi import Depends, HTTPException, Path, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import get_current_user
from app.database import get_session
from app.models import User, {{pascal}}

SessionDep = Annotated[Session, Depends(get_session)]
CurrentUser = Annotated[User, Depends(get_current_user)]


def get_{{snake}}_or_404(
    {{snake}}_id: Annotated[int, Path(ge=1, description="Id of the {{words}}")],
    session: SessionDep,
    current_user: CurrentUser,
) -> {{pascal}}:
    """Return the {{words}} named by `{{snake}}_id` if the authenticated user owns it.

    Raises 404 when it does not exist and 403 when it belongs to someone else.
    """
    {{snake}} = session.scalar(select({{pascal}}).where({{pascal}}.id == {{snake}}_id))
    if {{snake}} is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=f"{{sentence}} {{{snake}}_id} not found",
        )
    if {{snake}}.owner_id != current_user.id:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail="You do not own this {{words}}",
        )
    return {{snake}}


{{pascal}}Dep = Annotated[{{pascal}}, Depends(get_{{snake}}_or_404)]
'''


# ==========================================================================
# 11. pandas monthly report (CSV out; near miss: Excel workbook)
# ==========================================================================

_REPORT_HEAD = '''
"""Monthly report of {{words_plural}} built from the CSV export."""
import sys
from pathlib import Path

import pandas as pd

DATE_COLUMN = "created_at"
AMOUNT_COLUMN = "amount"
{{upper}}_COLUMNS = {DATE_COLUMN, AMOUNT_COLUMN, "status"}


def load_{{snake_plural}}(csv_path: Path) -> pd.DataFrame:
    """Read the {{words}} export and parse its timestamps."""
    frame = pd.read_csv(csv_path, parse_dates=[DATE_COLUMN])
    missing = {{upper}}_COLUMNS - set(frame.columns)
    if missing:
        raise ValueError(f"{csv_path} lacks columns: {sorted(missing)}")
    return frame


def monthly_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Count, total and average amount of {{words_plural}} per calendar month."""
    monthly = (
        frame.set_index(DATE_COLUMN)
        .sort_index()
        .resample("MS")[AMOUNT_COLUMN]
        .agg(["count", "sum", "mean"])
        .rename(columns={"count": "{{snake_plural}}", "sum": "total", "mean": "average"})
    )
    monthly.index = monthly.index.strftime("%Y-%m")
    monthly.index.name = "month"
    return monthly.round(2)


def status_breakdown(frame: pd.DataFrame) -> pd.DataFrame:
    """Number of {{words_plural}} per month and status."""
    months = frame[DATE_COLUMN].dt.to_period("M").astype(str).rename("month")
    return frame.groupby([months, "status"]).size().unstack("status", fill_value=0)
'''

_REPORT_CSV = _REPORT_HEAD + '''

def write_report(csv_path: Path, out_dir: Path) -> Path:
    """Write the monthly summary and the status breakdown as two CSV files."""
    frame = load_{{snake_plural}}(csv_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary_path = out_dir / "{{kebab_plural}}-monthly.csv"
    monthly_summary(frame).to_csv(summary_path)
    status_breakdown(frame).to_csv(out_dir / "{{kebab_plural}}-by-status.csv")
    return summary_path


if __name__ == "__main__":
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("reports")
    print(write_report(Path(sys.argv[1]), target))
'''

_REPORT_XLSX = _REPORT_HEAD + '''

def write_report(csv_path: Path, out_dir: Path) -> Path:
    """Write one Excel workbook with a Monthly sheet and a By status sheet."""
    frame = load_{{snake_plural}}(csv_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    workbook_path = out_dir / "{{kebab_plural}}-report.xlsx"
    with pd.ExcelWriter(workbook_path, engine="openpyxl") as writer:
        monthly_summary(frame).to_excel(writer, sheet_name="Monthly")
        status_breakdown(frame).to_excel(writer, sheet_name="By status")
    return workbook_path


if __name__ == "__main__":
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("reports")
    print(write_report(Path(sys.argv[1]), target))
'''


# ==========================================================================
# 12. Django model (near miss: + admin registration)
# ==========================================================================

_DJANGO_MODEL = '''
"""Django model for {{words_plural}}."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse


class {{pascal}}(models.Model):
    """One {{words}}, owned by a user."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    reference = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="{{snake_plural}}"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "{{snake_plural}}"
        ordering = ["-created_at"]
        verbose_name = "{{words}}"
        verbose_name_plural = "{{words_plural}}"
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"

    def get_absolute_url(self) -> str:
        """URL of this {{words}}'s detail page."""
        return reverse("{{snake_plural}}:detail", kwargs={"reference": self.reference})
'''

_DJANGO_ADMIN = '''
"""Admin registration for {{words_plural}}."""
from django.contrib import admin

from {{snake_plural}}.models import {{pascal}}


@admin.register({{pascal}})
class {{pascal}}Admin(admin.ModelAdmin):
    """Changelist, filters and search for {{words_plural}}."""

    list_display = ("reference", "title", "status", "amount", "owner", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("reference", "title", "owner__email")
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
'''


# ==========================================================================
# 13. signed webhook receiver (FastAPI; near miss: Flask)
# ==========================================================================

_WEBHOOK = '''
"""FastAPI receiver for signed {{words}} webhooks."""
import hashlib
import hmac
import json
import logging
import os
import time

from fastapi import APIRouter, Header, HTTPException, Request, status

router = APIRouter()
logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE_SECONDS = 300
{{upper}}_EVENTS = frozenset({"{{snake}}.created", "{{snake}}.updated", "{{snake}}.deleted"})


def verify_signature(payload: bytes, timestamp: str, signature: str) -> bool:
    """Check the HMAC-SHA256 of `timestamp.payload` against the shared secret in constant time."""
    secret = os.environ["WEBHOOK_SIGNING_SECRET"].encode()
    expected = hmac.new(secret, timestamp.encode() + b"." + payload, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


@router.post("/webhooks/{{kebab_plural}}", status_code=status.HTTP_204_NO_CONTENT)
async def receive_{{snake}}_webhook(
    request: Request,
    x_signature: str = Header(...),
    x_timestamp: str = Header(...),
) -> None:
    """Verify, parse and dispatch one {{words}} event."""
    if not x_timestamp.isdigit() or abs(time.time() - int(x_timestamp)) > SIGNATURE_TOLERANCE_SECONDS:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Stale or bad timestamp")
    payload = await request.body()
    if not verify_signature(payload, x_timestamp, x_signature):
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Invalid signature")
    try:
        event = json.loads(payload)
    except ValueError:
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail="Body is not JSON") from None
    if event.get("type") not in {{upper}}_EVENTS:
        logger.info("ignoring event type %r", event.get("type"))
        return
    logger.info("%s event %s for id %s", "{{sentence}}", event["type"], event["data"]["id"])
'''

_WEBHOOK_FLASK = '''
"""Flask receiver for signed {{words}} webhooks."""
import hashlib
import hmac
import json
import logging
import os
import time

from flask import Blueprint, abort, request

bp = Blueprint("{{snake}}_webhooks", __name__)
logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE_SECONDS = 300
{{upper}}_EVENTS = frozenset({"{{snake}}.created", "{{snake}}.updated", "{{snake}}.deleted"})


def verify_signature(payload: bytes, timestamp: str, signature: str) -> bool:
    """Check the HMAC-SHA256 of `timestamp.payload` against the shared secret in constant time."""
    secret = os.environ["WEBHOOK_SIGNING_SECRET"].encode()
    expected = hmac.new(secret, timestamp.encode() + b"." + payload, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


@bp.post("/webhooks/{{kebab_plural}}")
def receive_{{snake}}_webhook() -> tuple[str, int]:
    """Verify, parse and dispatch one {{words}} event."""
    timestamp = request.headers.get("X-Timestamp", "")
    signature = request.headers.get("X-Signature", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > SIGNATURE_TOLERANCE_SECONDS:
        abort(401)
    payload = request.get_data()
    if not verify_signature(payload, timestamp, signature):
        abort(401)
    try:
        event = json.loads(payload)
    except ValueError:
        abort(400)
    if event.get("type") not in {{upper}}_EVENTS:
        logger.info("ignoring event type %r", event.get("type"))
        return "", 204
    logger.info("%s event %s for id %s", "{{sentence}}", event["type"], event["data"]["id"])
    return "", 204
'''


def _webhook_common(f: Forms) -> list[str]:
    s = f["snake"]
    return [
        "hmac.compare_digest(",
        "hashlib.sha256",
        'os.environ["WEBHOOK_SIGNING_SECRET"]',
        f'"/webhooks/{f["kebab_plural"]}"',
        f'"{s}.created"',
        f"{f['upper']}_EVENTS",
        f"def receive_{s}_webhook(",
        "SIGNATURE_TOLERANCE_SECONDS",
    ]


# ==========================================================================
# FAMILIES
# ==========================================================================

FAMILIES: list[Family] = [
    Family(
        name="fastapi-crud-router",
        stack=("python", "fastapi", "sqlalchemy"),
        tasks=(
            "FastAPI CRUD router for {title_plural}",
            "Hi! Could you put together the CRUD endpoints for our {words_plural} in FastAPI? "
            "List, get, create, update and delete, using the SQLAlchemy session dependency. Thanks!",
            "REST routes for the {pascal} resource: list, retrieve, create, partial update, delete",
            "Write an APIRouter mounted at /{kebab_plural} with GET, POST, PATCH and DELETE "
            "(/{kebab_plural}/{{id}}) for {words_plural}",
            "{sentence} API: create/read/update/delete endpoints (FastAPI + SQLAlchemy)",
            "need crud routes for `{snake}` rows, fastapi, 404 when missing",
        ),
        code=_code("app/routers/{{snake_plural}}.py", _ROUTER),
        must=lambda f: _router_common(f) + ["session.delete("],
        must_not=("deleted_at", "get_current_user", "OAuth2PasswordBearer", "jwt."),
        entities=(
            "purchase order", "time entry", "support ticket", "shipping address",
            "category", "person", "employee leave request", "order line",
        ),
    ),
    Family(
        name="sqlalchemy-orm-model",
        stack=("python", "sqlalchemy"),
        tasks=(
            "SQLAlchemy model: {title}",
            "Define the SQLAlchemy 2.0 ORM model for {words_plural} (typed Mapped columns, timestamps)",
            "Hey, can you write a declarative SQLAlchemy model for the `{snake_plural}` table? "
            "Mapped[] annotations please, thanks!",
            "ORM class {pascal} for SQLAlchemy 2.x with created_at/updated_at",
            "{sentence} table as a SQLAlchemy mapped class",
        ),
        code=_code("app/models/{{snake}}.py", _MODEL),
        must=lambda f: [
            f"class {f['pascal']}(Base)",
            f'__tablename__ = "{f["snake_plural"]}"',
            "DeclarativeBase",
            "Mapped[int] = mapped_column(primary_key=True)",
            "DateTime(timezone=True)",
            f"ck_{f['snake_plural']}_amount_non_negative",
        ],
        must_not=("declarative_base", "= Column("),
        entities=(
            "time entry", "record type", "data point", "user account",
            "price list", "cost analysis", "delivery time slot", "order status",
        ),
    ),
    Family(
        name="pydantic-v2-schemas",
        stack=("python", "pydantic"),
        tasks=(
            "Pydantic schemas for {title}",
            "pydantic v2 models for {words_plural}: create, update (all optional), read (from ORM attributes)",
            "Could you write the request/response schemas for our {words} API? Pydantic 2, "
            "camelCase JSON aliases. Thanks a lot",
            "{pascal}Create / {pascal}Update / {pascal}Read pydantic classes",
            "Schemas: {sentence} - base, create, partial update and read models with validation (pydantic v2)",
        ),
        code=_code("app/schemas/{{snake}}.py", _SCHEMAS),
        must=lambda f: [
            f"class {f['pascal']}Base(BaseModel)",
            f"class {f['pascal']}Create({f['pascal']}Base)",
            f"class {f['pascal']}Update(BaseModel)",
            f"class {f['pascal']}Read({f['pascal']}Base)",
            "from_attributes=True",
            "@field_validator(",
            "ConfigDict(",
        ],
        must_not=("orm_mode", "@validator(", "class Config:"),
        entities=(
            "purchase order", "line item", "status report", "customer",
            "sales tax rate", "subscription", "inventory stock level adjustment",
        ),
    ),
    Family(
        name="sqlalchemy-repository",
        stack=("python", "sqlalchemy"),
        tasks=(
            "Repository for {title}: get by id, list with paging, add, delete",
            "{pascal}Repository over a SQLAlchemy Session (get, paginated list, add, delete)",
            "Hi, could you write a small repository class wrapping the SQLAlchemy session for "
            "{words_plural}? Need get, list with offset/limit, add and delete. Thanks!",
            "data access layer for `{snake_plural}`: repository pattern, SQLAlchemy 2.0 select(), pagination",
            "{sentence} repository (sqlalchemy, sync Session): fetch one, page through, add, remove",
        ),
        code=_code("app/repositories/{{snake}}_repository.py", _REPO),
        must=lambda f: [
            f"class {f['pascal']}Repository",
            "from sqlalchemy.orm import Session",
            f"def get(self, {f['snake']}_id: int)",
            "def list(self, *, offset: int = 0, limit: int = 50)",
            f"def add(self, {f['snake']}: {f['pascal']})",
            f"def delete(self, {f['snake']}: {f['pascal']})",
            ".offset(offset)",
            ".limit(limit)",
        ],
        must_not=("AsyncSession", "async def", "await "),
        entities=(
            "invoice", "time entry", "user session", "data point",
            "shipment batch", "item", "company",
        ),
    ),
    Family(
        name="typer-csv-import",
        stack=("python", "typer"),
        tasks=(
            "Typer CLI command to import {words_plural} from CSV",
            "Write a typer command `import` that loads {words_plural} from a CSV file into SQLite, "
            "with a --dry-run flag",
            "Hey! We need a small CLI to bulk-load our {words_plural} from a spreadsheet export (CSV). "
            "Typer please, validate the columns and support --dry-run. Thanks",
            "CLI: import `{snake_plural}` rows from a CSV file (typer, sqlite3)",
            "{sentence} CSV import command for the command line",
        ),
        code=_code("cli/import_{{snake_plural}}.py", _CLI_IMPORT),
        must=lambda f: [
            "typer.Typer(",
            '@app.command("import")',
            f"def import_{f['snake_plural']}(",
            "csv.DictReader(",
            f"INSERT OR REPLACE INTO {f['snake_plural']}",
            '"--dry-run"',
        ],
        must_not=("csv.DictWriter", '@app.command("export")'),
        entities=(
            "customer", "time entry", "price list", "line item",
            "data point", "category", "shipping address",
        ),
    ),
    Family(
        name="httpx-api-client",
        stack=("python", "httpx"),
        tasks=(
            "httpx client for the {title} API",
            "Write a {pascal}Client class around httpx.Client: list, get by id, create; "
            "base URL and token from the environment",
            "Could you write a small synchronous Python client for our /{kebab_plural} REST endpoints? "
            "httpx, bearer token, raise on errors. Thanks!",
            "API client: {words_plural} (list with page/perPage, fetch one, create) using httpx",
            "{sentence} REST client in python with httpx, 404 mapped to a custom exception",
        ),
        code=_code("clients/{{snake}}_client.py", _CLIENT),
        must=lambda f: _client_common(f) + ["httpx.Client(", "def __enter__("],
        must_not=("httpx.AsyncClient", "async def", "RETRY_STATUSES", "Retry-After", "time.sleep("),
        entities=(
            "invoice", "support ticket", "shipping address", "payment",
            "status report", "employee leave request", "person",
        ),
    ),
    Family(
        name="pytest-api-tests",
        stack=("python", "pytest", "fastapi"),
        tasks=(
            "pytest tests for the {title} API endpoints",
            "Write pytest tests using FastAPI's TestClient for /{kebab_plural}: create, 404 on missing, "
            "list, delete, validation errors",
            "Hi! Could you add API tests for our {words_plural} routes? pytest + TestClient please. Thanks",
            "tests: {sentence} endpoints (TestClient, status codes, 422 on bad payload)",
            "test_{snake_plural}_api.py: cover the HTTP endpoints of the {pascal} resource",
        ),
        code=_code("tests/test_{{snake_plural}}_api.py", _API_TESTS),
        must=lambda f: [
            "from fastapi.testclient import TestClient",
            "TestClient(app)",
            "@pytest.fixture",
            "@pytest.mark.parametrize",
            f"def test_create_{f['snake']}_returns_201(",
            f'client.post("/{f["kebab_plural"]}"',
            "status.HTTP_404_NOT_FOUND",
        ],
        must_not=("create_engine", "sessionmaker", "Repository("),
        entities=(
            "purchase order", "support ticket", "time entry", "category",
            "status report", "user account", "cost analysis",
        ),
    ),
    Family(
        name="approval-workflow-service",
        stack=("python", "dataclasses"),
        tasks=(
            "Approval workflow service for {title_plural}",
            "{pascal}ApprovalService: draft -> submitted -> approved/rejected, only listed approvers may "
            "approve, nobody approves their own",
            "Could you write the business logic for approving {words_plural}? Plain dataclasses, a state "
            "enum, allowed transitions, four-eyes rule, a rejection needs a reason. Thanks!",
            "domain service (dataclasses): submit / approve / reject / reopen a {words}",
            "{sentence} approval rules as a python service class with a transition table",
        ),
        code=_code("app/services/{{snake}}_approval.py", _APPROVAL),
        must=lambda f: [
            f"class {f['pascal']}State(str, Enum)",
            f"class {f['pascal']}ApprovalService",
            f"class {f['pascal']}TransitionError",
            "ALLOWED_TRANSITIONS",
            "@dataclass",
            f"def approve(self, {f['snake']}: {f['pascal']}, actor: str)",
            f"def reject(self, {f['snake']}: {f['pascal']}, actor: str, reason: str)",
            f"def reopen(self, {f['snake']}: {f['pascal']}",
        ],
        entities=(
            "purchase order", "time entry", "employee leave request", "cost analysis",
            "invoice", "inventory stock level adjustment", "price list",
        ),
    ),
    Family(
        name="redis-stream-consumer",
        stack=("python", "redis", "asyncio"),
        tasks=(
            "Async Redis stream consumer for {words} events",
            "Write an asyncio worker that reads {words_plural} events from a Redis stream with a consumer "
            "group and acks them",
            "Hey, could you put together a background worker for our {words} events? redis.asyncio, "
            "XREADGROUP, ack after handling, stop cleanly on SIGTERM. Thanks",
            "worker: consume the `{kebab_plural}:events` stream (consumer group, batch reads, graceful shutdown)",
            "{sentence} event consumer, python asyncio + redis streams",
        ),
        code=_code("workers/{{snake}}_consumer.py", _CONSUMER),
        must=lambda f: [
            "import redis.asyncio as redis",
            "xreadgroup(",
            "xack(",
            f'{f["upper_plural"]}_STREAM = "{f["kebab_plural"]}:events"',
            f"async def handle_{f['snake']}_event(",
            'os.environ["REDIS_URL"]',
            "add_signal_handler",
        ],
        must_not=("DEAD_LETTER_STREAM", "MAX_DELIVERIES", "xautoclaim"),
        entities=(
            "payment", "order line", "data point", "shipment batch",
            "support ticket", "user account",
        ),
    ),
    Family(
        name="fastapi-lookup-dependency",
        stack=("python", "fastapi", "sqlalchemy"),
        tasks=(
            "FastAPI dependency that loads a {words} or returns 404",
            "Write get_{snake}_or_404 as a FastAPI dependency plus an Annotated alias {pascal}Dep",
            "Could you add a reusable dependency for our {words_plural} routes that fetches the row by path "
            "id with the session and raises 404 if it doesn't exist? Thanks",
            "Depends() helper: resolve the `{snake}_id` path param to a {pascal} instance (404 if missing)",
            "{sentence} lookup dependency for FastAPI",
        ),
        code=_code("app/dependencies/{{snake}}.py", _DEPENDENCY),
        must=lambda f: [
            f"def get_{f['snake']}_or_404(",
            f"{f['pascal']}Dep = Annotated[{f['pascal']}, Depends(get_{f['snake']}_or_404)]",
            "status.HTTP_404_NOT_FOUND",
            "Path(ge=1",
            "SessionDep",
        ],
        must_not=("HTTP_403_FORBIDDEN", "owner_id", "get_current_user"),
        entities=(
            "invoice", "support ticket", "shipping address", "user session",
            "child", "record type",
        ),
    ),
    Family(
        name="pandas-monthly-report",
        stack=("python", "pandas"),
        tasks=(
            "pandas monthly report for {words_plural}",
            "Write a pandas script that loads a {words} CSV export and writes monthly count/total/average "
            "plus a per-status breakdown as CSV files",
            "Hi! Can you build a quick monthly summary of our {words_plural} with pandas? Input is the CSV "
            "export, output CSV files. Thanks",
            "report: {sentence} per month (resample), totals and status counts, to_csv",
            "monthly `{snake_plural}` stats with pandas (count, sum, mean by month), written to CSV",
        ),
        code=_code("reports/{{snake}}_monthly_report.py", _REPORT_CSV),
        must=lambda f: [
            "import pandas as pd",
            "pd.read_csv(",
            'resample("MS")',
            f"def load_{f['snake_plural']}(",
            f'"{f["kebab_plural"]}-monthly.csv"',
            ".to_csv(",
            ".groupby(",
        ],
        must_not=("to_excel", "ExcelWriter"),
        entities=(
            "time entry", "invoice", "support ticket", "order line",
            "payment", "shipment batch",
        ),
    ),
    Family(
        name="django-model",
        stack=("python", "django"),
        tasks=(
            "Django model for {title_plural}",
            "Write the Django ORM model {pascal} with status choices, owner FK, timestamps and Meta ordering",
            "Could you write models.py for our {words_plural} app in Django? TextChoices status, amount, "
            "owner, created/updated. Thanks!",
            "django: `{snake_plural}` table model with verbose names and get_absolute_url",
            "{sentence} model (Django)",
        ),
        code=_code("{{snake_plural}}/models.py", _DJANGO_MODEL),
        must=lambda f: [
            f"class {f['pascal']}(models.Model)",
            f'db_table = "{f["snake_plural"]}"',
            f'verbose_name_plural = "{f["words_plural"]}"',
            f'related_name="{f["snake_plural"]}"',
            "models.TextChoices",
            "on_delete=models.PROTECT",
        ],
        must_not=("admin.register", "ModelAdmin"),
        entities=(
            "purchase order", "support ticket", "invoice", "time entry",
            "employee leave request", "shipment batch", "status report", "company",
        ),
    ),
    Family(
        name="signed-webhook-receiver",
        stack=("python", "fastapi"),
        tasks=(
            "Webhook receiver for {words} events (FastAPI, HMAC signature)",
            "Write a FastAPI endpoint POST /webhooks/{kebab_plural} that verifies an HMAC-SHA256 signature "
            "and timestamp before handling {words} events",
            "Hi, we get signed webhooks when {words_plural} change. Could you write the FastAPI receiver? "
            "Check the X-Signature header against our shared secret, reject stale timestamps. Thanks!",
            "{sentence} webhook endpoint: verify signature with hmac.compare_digest, ignore unknown event types",
            "signed `{snake}.*` webhook handler in FastAPI",
        ),
        code=_code("app/webhooks/{{snake_plural}}.py", _WEBHOOK),
        must=lambda f: _webhook_common(f) + ["APIRouter(", "@router.post(", "await request.body()"],
        must_not=("Blueprint", "from flask"),
        entities=(
            "payment", "invoice", "subscription", "support ticket",
            "shipment batch", "customer",
        ),
        sensitive=True,
    ),
]


# ==========================================================================
# NEAR MISSES: one requirement added or changed
# ==========================================================================

NEAR_MISSES: list[Family] = [
    Family(
        name="fastapi-crud-router-soft-delete",
        base="fastapi-crud-router",
        stack=("python", "fastapi", "sqlalchemy"),
        tasks=(
            "FastAPI CRUD router for {title_plural} with soft delete",
            "Hi! Could you put together the CRUD endpoints for our {words_plural} in FastAPI? Deleting should "
            "only set deleted_at (soft delete) and deleted rows must vanish from list/get. Thanks!",
            "REST routes for the {pascal} resource: list, retrieve, create, partial update, soft delete "
            "via a deleted_at timestamp",
            "{sentence} API with soft-delete: CRUD endpoints that never hard-delete rows (FastAPI + SQLAlchemy)",
        ),
        code=_code("app/routers/{{snake_plural}}.py", _ROUTER_SOFT),
        must=lambda f: _router_common(f) + [
            "deleted_at.is_(None)",
            ".deleted_at = datetime.now(timezone.utc)",
        ],
        must_not=("session.delete(", "get_current_user"),
        entities=("support ticket", "shipping address", "category"),
    ),
    Family(
        name="fastapi-crud-router-jwt",
        base="fastapi-crud-router",
        stack=("python", "fastapi", "sqlalchemy"),
        tasks=(
            "FastAPI CRUD router for {title_plural}, JWT-protected",
            "Hi! Could you put together the CRUD endpoints for our {words_plural} in FastAPI, but only "
            "authenticated users (bearer JWT) may call them? Thanks!",
            "REST routes for the {pascal} resource: list, retrieve, create, partial update, delete; every "
            "route requires a valid JWT bearer token",
            "{sentence} API: CRUD endpoints restricted to logged-in users via OAuth2 bearer JWT",
        ),
        code=_code("app/routers/{{snake_plural}}.py", _ROUTER_JWT),
        must=lambda f: _router_common(f) + [
            "OAuth2PasswordBearer(",
            "jwt.decode(",
            'algorithms=["HS256"]',
            'os.environ["JWT_SECRET_KEY"]',
            "HTTP_401_UNAUTHORIZED",
            "dependencies=[Depends(get_current_user)]",
        ],
        must_not=("deleted_at",),
        entities=("purchase order", "employee leave request", "person"),
        sensitive=True,
    ),
    Family(
        name="sqlalchemy-orm-model-legacy",
        base="sqlalchemy-orm-model",
        stack=("python", "sqlalchemy"),
        tasks=(
            "SQLAlchemy model: {title}, old 1.x style (declarative_base + Column)",
            "Define the SQLAlchemy ORM model for {words_plural} in legacy 1.4 style with Column() "
            "attributes, no Mapped annotations",
            "Hey, can you write a classic declarative_base() model for the `{snake_plural}` table? "
            "We're still on SQLAlchemy 1.4, so Column(...) style please, thanks!",
            "ORM class {pascal}, SQLAlchemy 1.x syntax (Column, Integer, String) with created_at/updated_at",
        ),
        code=_code("app/models/{{snake}}.py", _MODEL_LEGACY),
        must=lambda f: [
            f"class {f['pascal']}(Base)",
            f'__tablename__ = "{f["snake_plural"]}"',
            "Base = declarative_base()",
            "id = Column(Integer, primary_key=True)",
            "Column(DateTime(timezone=True)",
        ],
        must_not=("Mapped[", "mapped_column(", "DeclarativeBase"),
        entities=("time entry", "record type", "order status"),
    ),
    Family(
        name="pydantic-v1-schemas",
        base="pydantic-v2-schemas",
        stack=("python", "pydantic"),
        tasks=(
            "Pydantic v1 schemas for {title}",
            "pydantic 1.x models for {words_plural}: create, update (all optional), read with orm_mode",
            "Could you write the request/response schemas for our {words} API? We are pinned to pydantic<2, "
            "so v1 syntax (class Config, @validator), camelCase aliases. Thanks",
            "{pascal}Create / {pascal}Update / {pascal}Read classes in pydantic v1 style",
        ),
        code=_code("app/schemas/{{snake}}.py", _SCHEMAS_V1),
        must=lambda f: [
            f"class {f['pascal']}Base(BaseModel)",
            f"class {f['pascal']}Create({f['pascal']}Base)",
            f"class {f['pascal']}Read({f['pascal']}Base)",
            "orm_mode = True",
            "@validator(",
            "allow_population_by_field_name = True",
        ],
        must_not=("ConfigDict", "field_validator", "from_attributes", "model_config"),
        entities=("purchase order", "customer", "sales tax rate"),
    ),
    Family(
        name="sqlalchemy-repository-async",
        base="sqlalchemy-repository",
        stack=("python", "sqlalchemy", "asyncio"),
        tasks=(
            "Async repository for {title}: get by id, list with paging, add, delete",
            "{pascal}Repository over a SQLAlchemy AsyncSession (get, paginated list, add, delete)",
            "Hi, could you write a small repository class for {words_plural} using SQLAlchemy's asyncio "
            "extension? Need get, list with offset/limit, add and delete, all async. Thanks!",
            "{sentence} repository (sqlalchemy async, AsyncSession): fetch one, page through, add, remove",
        ),
        code=_code("app/repositories/{{snake}}_repository.py", _REPO_ASYNC),
        must=lambda f: [
            f"class {f['pascal']}Repository",
            "from sqlalchemy.ext.asyncio import AsyncSession",
            f"async def get(self, {f['snake']}_id: int)",
            "async def list(self, *, offset: int = 0, limit: int = 50)",
            f"async def add(self, {f['snake']}: {f['pascal']})",
            f"async def delete(self, {f['snake']}: {f['pascal']})",
            "await self.session.flush()",
            ".offset(offset)",
        ],
        must_not=("from sqlalchemy.orm import Session",),
        entities=("invoice", "user session", "item"),
    ),
    Family(
        name="typer-csv-export",
        base="typer-csv-import",
        stack=("python", "typer"),
        tasks=(
            "Typer CLI command to export {words_plural} to CSV",
            "Write a typer command `export` that dumps {words_plural} from SQLite to a CSV file "
            "(stdout by default)",
            "Hey! We need a small CLI to dump our {words_plural} from SQLite into a CSV file for a "
            "spreadsheet. Typer please. Thanks",
            "CLI: export `{snake_plural}` rows to a CSV file (typer, sqlite3)",
        ),
        code=_code("cli/export_{{snake_plural}}.py", _CLI_EXPORT),
        must=lambda f: [
            "typer.Typer(",
            '@app.command("export")',
            f"def export_{f['snake_plural']}(",
            "csv.DictWriter(",
            f"FROM {f['snake_plural']}",
        ],
        must_not=("csv.DictReader", '@app.command("import")'),
        entities=("customer", "time entry", "line item"),
    ),
    Family(
        name="httpx-api-client-async",
        base="httpx-api-client",
        stack=("python", "httpx", "asyncio"),
        tasks=(
            "async httpx client for the {title} API",
            "Write a {pascal}Client class around httpx.AsyncClient: list, get by id, create; "
            "base URL and token from the environment",
            "Could you write a small asyncio Python client for our /{kebab_plural} REST endpoints? "
            "httpx AsyncClient, bearer token, raise on errors. Thanks!",
            "API client: {words_plural} (list, fetch one, create), async/await with httpx",
        ),
        code=_code("clients/{{snake}}_client.py", _CLIENT_ASYNC),
        must=lambda f: _client_common(f) + [
            "httpx.AsyncClient(",
            f"async def get_{f['snake']}(",
            "await self._client.get(",
            "await self._client.aclose()",
        ],
        must_not=("httpx.Client(", "time.sleep("),
        entities=("invoice", "payment", "person"),
    ),
    Family(
        name="httpx-api-client-retry",
        base="httpx-api-client",
        stack=("python", "httpx"),
        tasks=(
            "httpx client for the {title} API with retries on 429/5xx",
            "Write a {pascal}Client class around httpx.Client: list, get by id, create; retry 429 and 5xx "
            "with exponential backoff, honouring Retry-After",
            "Could you write a small Python client for our /{kebab_plural} REST endpoints? httpx, bearer "
            "token, and it must retry when rate limited (429) or the server is briefly down. Thanks!",
            "API client with backoff and retry: {words_plural} (list, fetch one, create) using httpx",
        ),
        code=_code("clients/{{snake}}_client.py", _CLIENT_RETRY),
        must=lambda f: _client_common(f) + [
            "httpx.Client(",
            "RETRY_STATUSES",
            '"Retry-After"',
            "time.sleep(",
            "def _request(",
        ],
        must_not=("httpx.AsyncClient", "async def"),
        entities=("support ticket", "status report"),
    ),
    Family(
        name="pytest-repository-tests",
        base="pytest-api-tests",
        stack=("python", "pytest", "sqlalchemy"),
        tasks=(
            "pytest tests for the {title} repository",
            "Write pytest tests for {pascal}Repository against an in-memory SQLite database: add, get, "
            "paging, delete",
            "Hi! Could you add unit tests for our {words_plural} data-access layer (the repository, not the "
            "HTTP API)? pytest with an in-memory sqlite session please. Thanks",
            "tests: {sentence} repository (SQLAlchemy session fixture, sqlite in memory)",
        ),
        code=_code("tests/test_{{snake}}_repository.py", _REPO_TESTS),
        must=lambda f: [
            "create_engine(",
            "sessionmaker(",
            "Base.metadata.create_all(",
            f"{f['pascal']}Repository(session)",
            f"def test_add_{f['snake']}_assigns_id(",
            "@pytest.fixture",
        ],
        must_not=("TestClient", "client.post("),
        entities=("purchase order", "time entry", "user account"),
    ),
    Family(
        name="redis-stream-consumer-dead-letter",
        base="redis-stream-consumer",
        stack=("python", "redis", "asyncio"),
        tasks=(
            "Async Redis stream consumer for {words} events with a dead-letter stream",
            "Write an asyncio worker that reads {words_plural} events from a Redis stream with a consumer "
            "group; after 5 failed deliveries move the message to a dead-letter stream",
            "Hey, could you put together a background worker for our {words} events? redis.asyncio, "
            "XREADGROUP, reclaim stuck messages and dead-letter poison ones after N attempts. Thanks",
            "worker: consume the `{kebab_plural}:events` stream, retry failures, dead-letter after max deliveries",
        ),
        code=_code("workers/{{snake}}_consumer.py", _CONSUMER_DLQ),
        must=lambda f: [
            "import redis.asyncio as redis",
            "xreadgroup(",
            f'{f["upper_plural"]}_STREAM = "{f["kebab_plural"]}:events"',
            f'DEAD_LETTER_STREAM = "{f["kebab_plural"]}:dead-letter"',
            f"async def handle_{f['snake']}_event(",
            "MAX_DELIVERIES",
            "times_delivered",
            "xautoclaim(",
        ],
        entities=("payment", "order line", "data point"),
    ),
    Family(
        name="fastapi-lookup-dependency-owner",
        base="fastapi-lookup-dependency",
        stack=("python", "fastapi", "sqlalchemy"),
        tasks=(
            "FastAPI dependency that loads a {words} owned by the current user, 404 if missing, 403 otherwise",
            "Write get_{snake}_or_404 as a FastAPI dependency that also checks {words} ownership against the "
            "authenticated user (403 if not the owner)",
            "Could you add a reusable dependency for our {words_plural} routes that fetches the row by path "
            "id, 404 if it doesn't exist, and 403 unless the logged-in user owns it? Thanks",
            "Depends() helper: resolve `{snake}_id` to a {pascal} and enforce owner_id == current user",
        ),
        code=_code("app/dependencies/{{snake}}.py", _DEPENDENCY_OWNER),
        must=lambda f: [
            f"def get_{f['snake']}_or_404(",
            f"{f['pascal']}Dep = Annotated[{f['pascal']}, Depends(get_{f['snake']}_or_404)]",
            "Depends(get_current_user)",
            f"{f['snake']}.owner_id != current_user.id",
            "status.HTTP_403_FORBIDDEN",
            "status.HTTP_404_NOT_FOUND",
        ],
        entities=("invoice", "shipping address", "child"),
        sensitive=True,
    ),
    Family(
        name="pandas-monthly-report-excel",
        base="pandas-monthly-report",
        stack=("python", "pandas"),
        tasks=(
            "pandas monthly report for {words_plural} as an Excel workbook",
            "Write a pandas script that loads a {words} CSV export and writes monthly count/total/average "
            "plus a per-status breakdown into one .xlsx file, one sheet each",
            "Hi! Can you build a quick monthly summary of our {words_plural} with pandas? Input is the CSV "
            "export, output should be an Excel workbook for finance. Thanks",
            "report: {sentence} per month (resample), totals and status counts, to_excel with two sheets",
        ),
        code=_code("reports/{{snake}}_monthly_report.py", _REPORT_XLSX),
        must=lambda f: [
            "pd.read_csv(",
            'resample("MS")',
            f"def load_{f['snake_plural']}(",
            "pd.ExcelWriter(",
            'sheet_name="Monthly"',
            f'"{f["kebab_plural"]}-report.xlsx"',
        ],
        must_not=(".to_csv(",),
        entities=("time entry", "invoice", "order line"),
    ),
    Family(
        name="django-model-with-admin",
        base="django-model",
        stack=("python", "django"),
        tasks=(
            "Django model for {title_plural} with admin registration",
            "Write the Django ORM model {pascal} with status choices, owner FK, timestamps and Meta ordering, "
            "and register it in the admin with list_display and filters",
            "Could you write models.py and admin.py for our {words_plural} app in Django? TextChoices status, "
            "amount, owner, created/updated, plus a ModelAdmin. Thanks!",
            "{sentence} model (Django) + admin.py ModelAdmin",
        ),
        code=_code(
            "{{snake_plural}}/models.py", _DJANGO_MODEL,
            "{{snake_plural}}/admin.py", _DJANGO_ADMIN,
        ),
        must=lambda f: [
            f"class {f['pascal']}(models.Model)",
            f'db_table = "{f["snake_plural"]}"',
            f"@admin.register({f['pascal']})",
            f"class {f['pascal']}Admin(admin.ModelAdmin)",
            "list_display",
            "list_filter",
        ],
        entities=("purchase order", "support ticket", "status report"),
    ),
    Family(
        name="signed-webhook-receiver-flask",
        base="signed-webhook-receiver",
        stack=("python", "flask"),
        tasks=(
            "Webhook receiver for {words} events (Flask, HMAC signature)",
            "Write a Flask blueprint route POST /webhooks/{kebab_plural} that verifies an HMAC-SHA256 "
            "signature and timestamp before handling {words} events",
            "Hi, we get signed webhooks when {words_plural} change. Could you write the receiver for our Flask "
            "app? Check the X-Signature header against our shared secret, reject stale timestamps. Thanks!",
            "{sentence} webhook endpoint in Flask: verify signature with hmac.compare_digest, ignore unknown "
            "event types",
        ),
        code=_code("app/webhooks/{{snake_plural}}.py", _WEBHOOK_FLASK),
        must=lambda f: _webhook_common(f) + [
            "from flask import",
            "Blueprint(",
            "request.get_data()",
            "abort(401)",
        ],
        must_not=("fastapi", "APIRouter"),
        entities=("payment", "subscription", "customer"),
        sensitive=True,
    ),
]
