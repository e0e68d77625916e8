"""Alembic environment. ``storage.db`` hands over a connection that already holds the migration lock;
from the command line (``alembic -c storage/alembic.ini upgrade head``) the URL comes from
``-x url=...``, else ``sqlalchemy.url`` in the ini file, else Q2O settings, and the same lock is taken.
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context

from storage.db import create_database_engine, migration_transaction, normalize_url
from storage.models import Base

config = context.config
target_metadata = Base.metadata
OPTIONS: dict[str, Any] = {"target_metadata": target_metadata, "render_as_batch": True, "compare_type": True}


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        from settings import load_settings

        url = load_settings().resolved_database_url
    return normalize_url(url)


def run_with_connection() -> None:
    context.configure(connection=config.attributes["connection"], **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_from_command_line() -> None:
    if config.config_file_name and config.file_config.has_section("formatters"):
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    if context.is_offline_mode():  # `alembic upgrade head --sql`: print the SQL, touch nothing
        context.configure(url=_url(), literal_binds=True, **OPTIONS)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_database_engine(_url())
    try:
        with engine.connect() as conn, migration_transaction(conn) as locked:
            context.configure(connection=locked, **OPTIONS)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if config.attributes.get("connection") is not None:
    run_with_connection()
else:
    run_from_command_line()
