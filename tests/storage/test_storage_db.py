"""The database room: migrations on blank databases, SQLite pragmas, URL handling, the per-process
cache, sessions, and one-line ``ConfigError``s that name Q2O_DATABASE_URL and hide passwords.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import DateTime, Numeric, inspect, text

from settings import ConfigError
from storage import close_database, mask_url, normalize_url, open_database
from storage.db import alembic_config, create_database_engine, migration_transaction
from storage.models import Base
from tests.dbfixtures import postgres_answers, sqlite_url

ROOT = Path(__file__).resolve().parents[2]
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()

# The call ledger's columns as the ledger's contract has them: name -> (type name, nullable).
CALL_COLUMNS = {
    "id": ("INTEGER", False),
    "request_id": ("VARCHAR(64)", False),
    "flow_run_id": ("VARCHAR(64)", True),
    "agent": ("VARCHAR(64)", False),
    "project": ("VARCHAR(64)", False),
    "provider": ("VARCHAR(32)", False),
    "model": ("VARCHAR(128)", True),
    "attempt": ("INTEGER", False),
    "purpose": ("VARCHAR(32)", False),
    "status": ("VARCHAR(16)", False),
    "error_kind": ("VARCHAR(64)", True),
    "error_message": ("TEXT", True),
    "input_tokens": ("INTEGER", True),
    "output_tokens": ("INTEGER", True),
    "cost_usd": ("NUMERIC(12, 6)", True),
    "latency_s": ("FLOAT", True),
    "system_prompt": ("TEXT", False),
    "prompt": ("TEXT", False),
    "response_text": ("TEXT", True),
    "created_at": ("DATETIME", False),
    "finished_at": ("DATETIME", True),
}
CALL_INDEXES = {"request_id", "agent", "project", "provider", "status", "created_at"}


def _type_name(column: dict) -> str:
    kind = column["type"]
    if isinstance(kind, DateTime):  # SQLite keeps no zone; PostgreSQL must (checked below)
        return "DATETIME"
    if isinstance(kind, Numeric) and kind.asdecimal and kind.precision:
        return f"NUMERIC({kind.precision}, {kind.scale})"
    name = str(kind.compile())
    return {"TIMESTAMP WITH TIME ZONE": "DATETIME", "DOUBLE PRECISION": "FLOAT", "REAL": "FLOAT"}.get(name, name)


def test_migration_0001_creates_exactly_the_call_ledger(database_url: str) -> None:
    engine = create_database_engine(normalize_url(database_url))
    config = alembic_config()
    with engine.connect() as conn, migration_transaction(conn) as locked:
        config.attributes["connection"] = locked
        command.upgrade(config, "0001")
    try:
        found = inspect(engine)
        assert set(found.get_table_names()) == {"alembic_version", "calls"}
        columns = {c["name"]: (_type_name(c), c["nullable"]) for c in found.get_columns("calls")}
        assert columns == CALL_COLUMNS
        if engine.dialect.name == "postgresql":
            times = [c["type"] for c in found.get_columns("calls") if c["name"].endswith("_at")]
            assert len(times) == 2 and all(kind.timezone for kind in times)
        assert found.get_pk_constraint("calls")["constrained_columns"] == ["id"]
        indexed = {tuple(ix["column_names"]) for ix in found.get_indexes("calls")}
        assert indexed == {(name,) for name in CALL_INDEXES}
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0001"
    finally:
        engine.dispose()
    assert open_database(database_url).schema_revision() == HEAD  # the rest of the chain applies on open


def test_a_blank_database_is_migrated_to_head_on_first_open(database_url: str) -> None:
    db = open_database(database_url)
    assert db.schema_revision() == HEAD
    assert {"alembic_version", "calls"} <= set(inspect(db.engine).get_table_names())
    chain = [rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
    assert chain[-1] == "0001" and chain == sorted(chain, reverse=True)  # numbered, human revision ids


def test_the_models_and_the_migrations_describe_the_same_schema(database_url: str) -> None:
    db = open_database(database_url)
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "deep" / "folder")  # the parent folders are created
    db = open_database(url)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "deep" / "folder" / "q2o.db-wal").exists()


def test_a_failed_sqlite_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    engine = create_database_engine(normalize_url(sqlite_url(tmp_path)))
    try:
        with pytest.raises(RuntimeError), engine.connect() as conn, migration_transaction(conn) as locked:
            locked.exec_driver_sql("CREATE TABLE half_done (n INTEGER)")
            raise RuntimeError("crash in the middle of a migration")
        assert inspect(engine).get_table_names() == []  # the DDL was inside the transaction
    finally:
        engine.dispose()


def test_one_database_per_url_per_process_even_when_threads_race(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    ready = threading.Barrier(8)
    opened: list[object] = []

    def open_it() -> None:
        ready.wait(timeout=10)
        opened.append(open_database(url))

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(opened) == 8 and all(db is opened[0] for db in opened)
    assert opened[0].schema_revision() == HEAD


def test_urls_are_normalized(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert normalize_url("postgresql://u:p@h:5432/d") == "postgresql+psycopg://u:p@h:5432/d"
    assert normalize_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    assert mask_url("postgresql+psycopg://u:secret@h/d") == "postgresql+psycopg://u:***@h/d"
    monkeypatch.chdir(tmp_path)
    assert normalize_url("sqlite:///relative.db") == f"sqlite:///{tmp_path.resolve() / 'relative.db'}"
    assert open_database("sqlite:///relative.db") is open_database(f"sqlite:///{tmp_path.resolve()}/relative.db")


def test_a_session_commits_on_success_and_rolls_back_on_error(tmp_path: Path) -> None:
    db = open_database(sqlite_url(tmp_path))
    with db.session() as session:
        session.execute(text("CREATE TABLE scratch (n INTEGER)"))
        session.execute(text("INSERT INTO scratch VALUES (1)"))
    with pytest.raises(RuntimeError), db.session() as session:
        session.execute(text("INSERT INTO scratch VALUES (2)"))
        raise RuntimeError("boom")
    with db.session() as session:
        assert session.scalars(text("SELECT n FROM scratch")).all() == [1]


@pytest.mark.parametrize(
    "url",
    [
        "not a url at all",
        "mysql://bob:hunter2@db.example/q2o",
        "postgresql://bob:hunter2@127.0.0.1:1/q2o",
        "postgresql+psycopg2://bob:hunter2@127.0.0.1/q2o",
        "sqlite:////proc/no-such-folder/q2o.db",
    ],
)
def test_a_bad_url_is_a_one_line_config_error_without_the_password(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        open_database(url)
    message = str(caught.value)
    assert "Q2O_DATABASE_URL" in message
    assert "hunter2" not in message and "\n" not in message


def test_a_missing_postgresql_database_is_a_config_error() -> None:
    if not postgres_answers():
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432")
    with pytest.raises(ConfigError, match="Q2O_DATABASE_URL=.*:\\*\\*\\*@.*cannot open") as caught:
        open_database("postgresql://root:hunter2@127.0.0.1:5432/q2o_no_such_database")
    assert "hunter2" not in str(caught.value)


def test_a_schema_newer_than_the_code_is_a_config_error(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    with open_database(url).engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    close_database(url)
    with pytest.raises(ConfigError, match="Q2O_DATABASE_URL=.*newer than this Q2O Forge"):
        open_database(url)


def test_the_alembic_command_line_uses_the_same_migrations(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path, "cli.db")
    ini = ROOT / "storage" / "alembic.ini"
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ini), "-x", f"url={url}", "upgrade", "head"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Running upgrade  -> 0001" in done.stderr
    assert open_database(url).schema_revision() == HEAD
