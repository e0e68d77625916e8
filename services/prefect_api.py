"""Which Prefect API a local process uses, decided before Prefect is imported (Prefect reads its settings once,
at import): the user's ``PREFECT_API_URL`` when set, else the shared server of this ``Q2O_HOME`` (started in the
background by the first caller), or, with ``Q2O_SERVER=embedded``, Prefect's temporary server in the process.
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from dotenv import dotenv_values
from pydantic import BaseModel, Field

from services.catalog import service_named
from services.processes import ServiceError, ServiceState, ensure_running, is_alive, read_state
from services.report_links import DEFAULT_REPORTS_URL, REPORTS_SERVICE, reports_url_is_set
from settings import Settings

PREFECT_SERVICE = "prefect"


class PrefectConnection(BaseModel):
    """The API this process talks to, and why."""

    api_url: str | None = Field(description="None: Prefect's embedded server, in this process.")
    source: Literal["PREFECT_API_URL", "profile", "shared", "embedded"]
    ui_url: str | None = None
    started: bool = Field(default=False, description="This call started the shared server.")
    log: str | None = None


def user_api_url() -> tuple[str, Literal["PREFECT_API_URL", "profile"]] | None:
    """A ``PREFECT_API_URL`` the user set where Prefect would read it: the environment, a ``.env`` file in the
    working folder, or the active Prefect profile (``prefect config set PREFECT_API_URL=...``)."""
    url = os.environ.get("PREFECT_API_URL") or dotenv_values(".env").get("PREFECT_API_URL")
    if url:
        return url, "PREFECT_API_URL"
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    url = profiles.get("profiles", {}).get(active, {}).get("PREFECT_API_URL")
    return (str(url), "profile") if url else None


def connect_prefect(settings: Settings) -> PrefectConnection:
    """Choose this process's Prefect API and export it as ``PREFECT_API_URL``; call it before importing Prefect.

    With the shared server, the first caller starts it (``ServiceError`` when it cannot) and every later one
    reuses it.
    """
    if found := user_api_url():
        if (own := _own_server(settings)) is not None and _same_url(own.url, found[0]):
            # The user exported this home's own server (`q2o server url`): the shared path, run host included.
            _start_report_endpoint(settings)
            return PrefectConnection(api_url=own.url, source="shared", ui_url=own.ui, log=own.log)
        return PrefectConnection(api_url=found[0], source=found[1])
    if settings.server == "embedded":
        return PrefectConnection(api_url=None, source="embedded")
    state, started = ensure_running(settings, service_named(PREFECT_SERVICE))
    os.environ["PREFECT_API_URL"] = state.url
    _start_report_endpoint(settings)
    return PrefectConnection(api_url=state.url, source="shared", ui_url=state.ui, started=started, log=state.log)


def _own_server(settings: Settings) -> ServiceState | None:
    """This home's shared server when it runs (no start, no lock: a read of its state file)."""
    state = read_state(settings, service_named(PREFECT_SERVICE))
    return state if state is not None and is_alive(state) else None


def _same_url(a: str, b: str) -> bool:
    """The same API: scheme, host (localhost and 127.0.0.1 alike), port and path, a trailing slash aside."""

    def key(url: str) -> tuple[str, str, int | None, str]:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        host = "127.0.0.1" if host in {"localhost", "::1"} else host
        try:
            port = parts.port
        except ValueError:
            return (url, "", None, "")
        return (parts.scheme.lower(), host, port or (443 if parts.scheme == "https" else 80), parts.path.rstrip("/"))

    return key(a) == key(b)


def _start_report_endpoint(settings: Settings) -> None:
    """Start the local report endpoint beside the shared server, where the links point at it (``Q2O_REPORTS_URL``
    unset: then they link the port it got, ``services.report_links``; set to another endpoint, nothing starts).
    Best effort: reports are on disk and in the database whether or not it runs, so a failure is logged, never
    raised."""
    if reports_url_is_set(settings) and settings.reports_url.rstrip("/") != DEFAULT_REPORTS_URL:
        return
    try:
        ensure_running(settings, service_named(REPORTS_SERVICE))
    except (ServiceError, OSError) as exc:
        logging.getLogger("q2o.services").warning("the report endpoint did not start: %s", exc)
