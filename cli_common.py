"""What every ``q2o`` command shares: the consoles, one-line usage errors (exit 2) and settings loading."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Coroutine
from typing import Any, TypeVar

import typer
from rich.console import Console

from settings import Settings, UsageError, load_settings

out = Console()
err = Console(stderr=True)


def fail_usage(message: str) -> typer.Exit:
    """Print ``error: message`` on one line of stderr; raise the returned exit (code 2)."""
    err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(2)


def cli_settings(*, open_db: bool = False) -> Settings:
    """The settings with ``Q2O_HOME`` created (and the database migrated when ``open_db``); exit 2 if invalid."""
    try:
        settings = load_settings()
        settings.ensure_home()
        if open_db:
            from storage import open_database

            open_database(settings.resolved_database_url)
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    return settings


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


def terminal_safe(text: str) -> str:
    """LLM or user text fit for a terminal: control characters (escape sequences) shown, not obeyed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


T = TypeVar("T")


def run_flow(flow_run: Coroutine[Any, Any, T]) -> T:
    """Run a flow to its end; a Prefect API that cannot be reached is a configuration error (exit 2)."""
    try:
        return asyncio.run(flow_run)
    except RuntimeError as exc:
        if not str(exc).startswith("Failed to reach API"):
            raise
        url = os.environ.get("PREFECT_API_URL", "the configured PREFECT_API_URL")
        raise fail_usage(f"PREFECT_API_URL: cannot reach the Prefect API at {url}; start that server, or unset "
                         "PREFECT_API_URL to use the embedded one") from None
