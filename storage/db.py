"""Engine and sessions: SQLite in WAL mode with a busy timeout, or PostgreSQL by URL.

The first open in a process migrates the schema to Alembic's head inside one locked transaction
(SQLite ``BEGIN IMMEDIATE``, PostgreSQL ``pg_advisory_xact_lock``), so processes racing on one fresh
database migrate it once. Any failure to open becomes a one-line ``ConfigError`` naming Q2O_DATABASE_URL.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, CursorResult, Engine, Result, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from settings import ConfigError

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 10
# Key of the PostgreSQL advisory lock held while migrating ("q2o" + 1); any fixed bigint would do.
PG_MIGRATION_LOCK = 0x71326F01

_open: dict[str, Database] = {}
_open_lock = threading.Lock()
_opening: dict[str, threading.Lock] = {}
# What opening a database can raise that is the URL's or the server's fault, not a bug of ours.
_OPEN_ERRORS = (SQLAlchemyError, CommandError, ImportError, OSError, sqlite3.Error)


def normalize_url(url: str) -> str:
    """The URL as the engine takes it: psycopg 3 for PostgreSQL, an absolute path for a SQLite file."""
    raw = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            raw = "postgresql+psycopg://" + raw[len(prefix) :]
    parsed = _parse(raw)
    is_file = parsed.get_backend_name() == "sqlite" and not _in_memory(parsed) and "uri" not in parsed.query
    if is_file and parsed.database:  # one key per file, whatever the working folder
        parsed = parsed.set(database=str(Path(parsed.database).expanduser().resolve()))
    return parsed.render_as_string(hide_password=False)


def mask_url(url: str) -> str:
    """The URL with its password replaced by ``***``, fit to print."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<not a URL>"


def rows_matched(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched. Its result is a ``CursorResult`` (which has ``rowcount``);
    ``Session.execute`` is typed as if every statement returned rows."""
    return cast(CursorResult[Any], result).rowcount


def alembic_config() -> Config:
    """Alembic's configuration, built in code: no ``alembic.ini`` is needed at runtime."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def create_database_engine(url: str) -> Engine:
    """An engine for a normalized URL: SQLite pragmas on every connection, or a pinged PostgreSQL pool."""
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and not _in_memory(parsed) and "uri" not in parsed.query:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        return create_engine(
            parsed,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=10,
            connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S, "application_name": "q2o-forge"},
        )
    raise ConfigError(f"Q2O_DATABASE_URL={mask_url(url)}: only sqlite:// and postgresql:// URLs are supported")


@contextmanager
def migration_transaction(connection: Connection) -> Iterator[Connection]:
    """One transaction that holds the migration lock: other migrators wait until it commits.

    SQLite: the driver's implicit transactions are turned off and ``BEGIN IMMEDIATE`` takes the write
    lock (DDL included, so a crash mid-migration leaves nothing half done). PostgreSQL: a transaction
    advisory lock, released by the commit.
    """
    if connection.dialect.name == "sqlite":
        conn = connection.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            with suppress(SQLAlchemyError):  # a dead connection has nothing left to roll back
                conn.exec_driver_sql("ROLLBACK")
            raise
        conn.exec_driver_sql("COMMIT")
        conn.commit()  # closes SQLAlchemy's bookkeeping transaction (a no-op for the driver)
        return
    with connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
        yield connection


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to head; cheap when it is there already (no lock is taken)."""
    config = alembic_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect() as conn:
        if set(MigrationContext.configure(conn).get_current_heads()) == heads:
            return
    with engine.connect() as conn, migration_transaction(conn) as locked:
        config.attributes["connection"] = locked
        command.upgrade(config, "head")


class Database:
    """One database: engine, session factory, schema at Alembic's head."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        engine: Engine | None = None
        try:
            engine = create_database_engine(self.url)
            upgrade_schema(engine)
        except BaseException as exc:
            if engine is not None:
                engine.dispose()
            if isinstance(exc, _OPEN_ERRORS):
                raise ConfigError(_open_failure(self.url, exc)) from None
            raise
        self.engine: Engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Database({mask_url(self.url)!r})"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back when it raises."""
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (``None`` for a blank database)."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        """Close the pooled connections (the object stays usable: new connections open on demand)."""
        self.engine.dispose()


def open_database(url: str) -> Database:
    """The process's ``Database`` for ``url``, opened and migrated once (thread-safe)."""
    key = normalize_url(url)
    with _open_lock:
        if key in _open:
            return _open[key]
        opening = _opening.setdefault(key, threading.Lock())
    with opening:  # one thread opens a URL while the others wait; other URLs do not wait
        with _open_lock:
            if key in _open:
                return _open[key]
        try:
            database = Database(key)
        except BaseException:
            with _open_lock:
                _opening.pop(key, None)
            raise
        with _open_lock:
            _open[key] = database
            _opening.pop(key, None)
        return database


def close_database(url: str) -> None:
    """Forget the cached ``Database`` for ``url`` and close its connections (e.g. before dropping it)."""
    with _open_lock:
        database = _open.pop(normalize_url(url), None)
    if database is not None:
        database.close()


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        raise ConfigError(f"Q2O_DATABASE_URL is not a database URL: {mask_url(url)}") from None


def _in_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"


def _open_failure(url: str, exc: BaseException) -> str:
    if isinstance(exc, CommandError) and "Can't locate revision" in str(exc):
        reason = "its schema is newer than this Q2O Forge; upgrade Q2O Forge"
    else:
        lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        reason = lines[0].strip() if lines else type(exc).__name__
    password = make_url(url).password
    if password:
        reason = reason.replace(str(password), "***")
    return f"Q2O_DATABASE_URL={mask_url(url)}: cannot open the database ({reason})"


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")  # first: switching to WAL may wait
    # Switching a new file to WAL while another process is switching or migrating it can fail at once with
    # "database is locked" (SQLite does not always call the busy handler for it): try again until the timeout.
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _reset_pools_after_fork() -> None:
    # A forked child must not share its parent's sockets or SQLite handles; it opens its own.
    for database in list(_open.values()):
        database.engine.dispose(close=False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_pools_after_fork)
