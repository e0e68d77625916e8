"""What every ``q2o`` command shares: the consoles, one-line usage errors (exit 2), settings loading, the
database openers and running a flow."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from collections.abc import Coroutine, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console

from settings import Settings, UsageError, load_settings

if TYPE_CHECKING:  # storage is imported when a command needs it, so that --help stays fast
    from services import PrefectConnection
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


def show_prefect_logs() -> None:
    """A long-running command (the worker) shows Prefect's logs from INFO up: its terminal is its log. Call it
    before Prefect is imported; PREFECT_LOGGING_LEVEL, when set, still decides."""
    if not os.environ.get("PREFECT_LOGGING_LEVEL", "").strip():
        os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "INFO"


def cli_settings(*, open_db: bool = False, alerts: bool = True) -> Settings:
    """The settings with ``Q2O_HOME`` created (and the database migrated when ``open_db``); exit 2 if invalid.

    Every command starts here, so this is also where the command's process gets the Prefect alert channel
    (``alerts=False``: a command that fires no alert in its own process, and need not import the budget room)."""
    try:
        settings = load_settings()
        settings.ensure_home()
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    if alerts:
        prefect_alert_channel()
    if open_db:
        configured_database(settings)
    return settings


def prefect_alert_channel() -> None:
    """Budget alerts a command fires outside a flow (``q2o budget set``, ``q2o templates add``'s review calls)
    reach Prefect too when an API is configured. Prefect is imported only when an alert fires, so a command
    that fires none starts as fast as before; a flow's tasks register the same channel by name."""
    from budget import BudgetAlert, register_channel

    async def prefect(alert: BudgetAlert, settings: Settings) -> None:
        from tasks.alerts import prefect_alert

        await prefect_alert(alert, settings)

    register_channel("prefect", prefect)


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


def write_tsv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A list for a pipe: the header, then one row a line, tab-separated, never cut or wrapped (a table wrapped
    to a terminal's width is unreadable there); tabs and line breaks in a cell become spaces, control
    characters are shown, not obeyed."""
    for line in [header, *rows]:
        sys.stdout.write("\t".join(terminal_safe(c.replace("\t", " ").replace("\n", " ")) for c in line) + "\n")


def use_prefect(settings: Settings) -> PrefectConnection:
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
    return connection


T = TypeVar("T")


def run_flow(flow_run: Coroutine[Any, Any, T]) -> T:
    """Run a flow (or a Prefect API call) to its end; a Prefect API that cannot be reached, or a stored setting
    that is invalid, is a configuration error (exit 2)."""
    try:
        return asyncio.run(flow_run)
    except (UsageError, RuntimeError) as exc:
        message = flow_error_message(exc)
        if message is None:
            raise
        raise fail_usage(message) from None


def flow_error_message(exc: BaseException) -> str | None:
    """The one-line configuration error an exception of a flow run is (an invalid stored setting, a Prefect API
    that cannot be reached), or None when it is none."""
    if isinstance(exc, UsageError):
        return str(exc)
    if not isinstance(exc, RuntimeError) or not str(exc).startswith("Failed to reach API"):
        return None
    from services import user_api_url

    if found := user_api_url():
        return (
            f"PREFECT_API_URL: cannot reach the Prefect API at {found[0]}"
            f"{' (the active Prefect profile)' if found[1] == 'profile' else ''}; start that server, or unset "
            "PREFECT_API_URL to use the shared one"
        )
    url = os.environ.get("PREFECT_API_URL", "its URL")
    return f"the shared Prefect server stopped answering at {url}; `q2o server status` shows it"


def prefect_ui_url() -> str | None:
    """Where the Prefect UI of this machine's runs is: from Prefect's own variables (``PREFECT_UI_URL``, or the
    API URL the user set, without its ``/api``), else the shared server this Q2O_HOME recorded (read, never
    started); None with the embedded server, which has no UI."""
    from services import user_api_url
    from services.processes import read_state

    found = user_api_url()
    api = found[0].removesuffix("/").removesuffix("/api") if found else ""
    ui = os.environ.get("PREFECT_UI_URL") or api
    if not ui and cli_settings().server == "shared":
        from services import service_named

        state = read_state(cli_settings(), service_named("prefect"))
        ui = (state.ui or "") if state else ""
    return ui.removesuffix("/") or None


def flow_run_url(flow_run_id: str | None, ui: str | None = None) -> str | None:
    """The UI page of one flow run, where the UI is known (``ui``: ``prefect_ui_url()`` once for many rows)."""
    if not flow_run_id:
        return None
    ui = ui or prefect_ui_url()
    return f"{ui}/runs/flow-run/{flow_run_id}" if ui else None


_SINCE = re.compile(r"(\d+(?:\.\d+)?)\s*([mhdw])")
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86_400, "w": 604_800}


def parse_since(text: str, now: datetime) -> datetime:
    """``--since``: an age (``30m``, ``2h``, ``7d``, ``1w``) or an ISO date or time, UTC unless it names a zone."""
    text = text.strip()
    age = _SINCE.fullmatch(text.lower())
    if age:
        return now - timedelta(seconds=float(age.group(1)) * _UNIT_SECONDS[age.group(2)])
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise fail_usage(f"--since: expected an age (30m, 2h, 7d, 1w) or an ISO date or time, got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
