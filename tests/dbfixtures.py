"""Database helpers for every test folder: a SQLite file URL, and a throwaway PostgreSQL database when
a server answers on 127.0.0.1:5432 (the test is skipped otherwise).

Reuse from any test folder:

* plain helpers: ``sqlite_url(tmp_path)``; ``with fresh_postgres_url() as url: ...``;
  ``with database_url_for("sqlite" | "postgresql", tmp_path) as url: ...``;
* the ``database_url`` fixture (each test runs on SQLite, then on a fresh PostgreSQL database, the
  PostgreSQL run marked ``postgres`` so ``-m "not postgres"`` leaves it out). Import it into the
  folder's ``conftest.py``: ``from tests.dbfixtures import database_url  # noqa: F401``.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from storage import close_database

PG_HOST, PG_PORT = "127.0.0.1", 5432
# Where to connect to create and drop databases: the first (user, database) that lets us in.
PG_ADMIN_CANDIDATES = (("root", "test"), ("postgres", "postgres"), ("postgres", "test"), ("root", "postgres"))
DATABASE_KINDS = ("sqlite", "postgresql")


def sqlite_url(tmp_path: Path, name: str = "q2o.db") -> str:
    """A SQLite URL for a (not yet existing) file under ``tmp_path``."""
    return f"sqlite:///{tmp_path / name}"


def postgres_answers(timeout: float = 0.5) -> bool:
    """Whether anything listens on 127.0.0.1:5432 (a short TCP connect, no login)."""
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=timeout):
            return True
    except OSError:
        return False


@cache
def _admin_login() -> tuple[str, str] | None:
    for user, dbname in PG_ADMIN_CANDIDATES:
        try:
            with psycopg.connect(host=PG_HOST, port=PG_PORT, user=user, dbname=dbname, connect_timeout=2):
                return user, dbname
        except psycopg.Error:
            continue
    return None


def _admin() -> psycopg.Connection:
    user, dbname = _admin_login() or ("root", "test")
    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=user, dbname=dbname, autocommit=True, connect_timeout=2)


@contextmanager
def fresh_postgres_url() -> Iterator[str]:
    """Create ``q2o_test_<hex>``, yield its URL, then drop it (after closing every connection to it)."""
    if not postgres_answers():
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432")
    login = _admin_login()
    if login is None:
        pytest.skip("PostgreSQL on 127.0.0.1:5432 lets neither root nor postgres in (trust auth expected)")
    name = f"q2o_test_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = f"postgresql+psycopg://{login[0]}@{PG_HOST}:{PG_PORT}/{name}"
    try:
        yield url
    finally:
        close_database(url)
        with _admin() as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


@contextmanager
def database_url_for(kind: str, tmp_path: Path) -> Iterator[str]:
    """A blank database of ``kind`` ("sqlite" or "postgresql") for one test."""
    if kind == "sqlite":
        url = sqlite_url(tmp_path)
        try:
            yield url
        finally:
            close_database(url)
    elif kind == "postgresql":
        with fresh_postgres_url() as url:
            yield url
    else:
        raise ValueError(f"unknown database kind {kind!r}; choose from {DATABASE_KINDS}")


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a blank database (not yet opened or migrated): SQLite, then PostgreSQL."""
    with database_url_for(request.param, tmp_path) as url:
        yield url
