"""What every ``q2o`` command shares: the consoles, one-line usage errors (exit 2), settings loading, the
database openers and running a flow."""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console

from settings import Settings, UsageError, load_settings

if TYPE_CHECKING:  # storage is imported when a command needs it, so that --help stays fast
    from storage import CallLedger, Database

out = Console()
err = Console(stderr=True)


def fail_usage(message: str) -> typer.Exit:
    """Print ``error: message`` on one line of stderr; raise the returned exit (code 2)."""
    err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(2)


# Prefect's background services (events, API logs) log on a logger named after their class, outside the
# ``prefect`` tree that PREFECT_LOGGING_LEVEL governs, e.g. "EventsWorker - Still processing items: 9 items
# remaining..." at exit (prefect/_internal/concurrency/services.py: logging.getLogger(type(self).__name__)).
PREFECT_SERVICE_LOGGERS = ("EventsWorker", "APILogWorker")


def quiet_prefect_logs() -> None:
    """Keep Prefect's logs off the terminal unless PREFECT_LOGGING_LEVEL asks for them, while they still reach
    the Prefect API: only the console handler is quieted, so a CLI run logs to its flow run like any other.

    The command prints its own outcome (and writes a failure report); Prefect's logs, including the traceback of
    every failed provider attempt, are noise there. Asked for, its service loggers follow the same level.
    """
    level = os.environ.get("PREFECT_LOGGING_LEVEL", "").strip().upper()
    if not level:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    elif isinstance(logging.getLevelName(level), int):  # a level name Prefect accepts; else Prefect reports it
        for name in PREFECT_SERVICE_LOGGERS:
            logging.getLogger(name).setLevel(level)


def cli_settings(*, open_db: bool = False) -> Settings:
    """The settings with ``Q2O_HOME`` created (and the database migrated when ``open_db``); exit 2 if invalid."""
    try:
        settings = load_settings()
        settings.ensure_home()
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    if open_db:
        configured_database(settings)
    return settings


def configured_database(settings: Settings) -> Database:
    """The configured database, migrated on first open; exit 2 if it cannot be opened."""
    from storage import open_database

    try:
        return open_database(settings.resolved_database_url)
    except UsageError as exc:
        raise fail_usage(str(exc)) from None


def open_ledger(settings: Settings) -> CallLedger:
    """The call ledger of the configured database, which hides the configured secrets."""
    from storage import CallLedger

    return CallLedger(configured_database(settings), secrets=settings.secret_values())


def open_library(settings: Settings | None = None) -> Database:
    """The configured database with the starter templates seeded, for the template commands."""
    from learning.library import seed_starters

    db = configured_database(settings or cli_settings())
    try:
        seed_starters(db)
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    return db


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


def terminal_safe(text: str) -> str:
    """LLM or user text fit for a terminal: control characters (escape sequences) shown, not obeyed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def use_prefect(settings: Settings) -> None:
    """Choose the Prefect API before a command imports its flow (Prefect reads its settings at import): the
    user's PREFECT_API_URL, else the shared server (started in the background by the first caller, which says
    where its UI is), else with Q2O_SERVER=embedded Prefect's temporary server; exit 2 when it cannot start."""
    from services import ServiceError, connect_prefect

    try:
        connection = connect_prefect(settings)
    except ServiceError as exc:
        raise fail_usage(str(exc)) from None
    if connection.started:
        err.print(
            f"started the shared Prefect server in the background: UI {connection.ui_url}, log {connection.log} "
            "(`q2o server stop` stops it)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


T = TypeVar("T")


def run_flow(flow_run: Coroutine[Any, Any, T]) -> T:
    """Run a flow to its end; a Prefect API that cannot be reached is a configuration error (exit 2)."""
    try:
        return asyncio.run(flow_run)
    except RuntimeError as exc:
        if not str(exc).startswith("Failed to reach API"):
            raise
        from services import user_api_url

        if found := user_api_url():
            raise fail_usage(
                f"PREFECT_API_URL: cannot reach the Prefect API at {found[0]}"
                f"{' (the active Prefect profile)' if found[1] == 'profile' else ''}; start that server, or unset "
                "PREFECT_API_URL to use the shared one"
            ) from None
        url = os.environ.get("PREFECT_API_URL", "its URL")
        raise fail_usage(
            f"the shared Prefect server stopped answering at {url}; `q2o server status` shows it"
        ) from None
