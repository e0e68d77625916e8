"""``q2o server start|status|stop|url``: the background services of this ``Q2O_HOME``, first of all the shared
Prefect server (with its UI) that every ``q2o`` command uses unless ``PREFECT_API_URL`` names another.

``status`` exits 0 when every service answers (the run host, started on demand, may be stopped), 1 otherwise;
``url`` exits 1 when the Prefect server is not running.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from cli.console import cli_settings, err, fail_usage, out
from cli.host import RUNS_SERVICE, end_orphans
from services import SERVICES, ServiceError, ServiceStatus, ensure_running, service_named, status, stop, user_api_url
from services.inflight import orphans, running
from services.prefect_api import PREFECT_SERVICE
from services.processes import as_json, is_alive, read_state
from settings import Settings

app = typer.Typer(help="The shared Prefect server (and UI) of this Q2O_HOME.", no_args_is_help=True)


def _say(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def _note_user_url() -> None:
    if found := user_api_url():
        err.print(
            f"note: PREFECT_API_URL={found[0]} is set ({found[1]}): q2o commands use that API, not this server",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@app.command("start")
def server_start() -> None:
    """Start the background services (the Prefect server and its UI, the reports, the run host), or find them
    running."""
    settings = cli_settings()
    for service in SERVICES:
        try:
            state, started = ensure_running(settings, service)
        except ServiceError as exc:
            raise fail_usage(str(exc)) from None
        ui = f", UI {state.ui}" if state.ui else ""
        verb = "started" if started else "running"
        _say(f"{service.name}: {verb} at {state.url}{ui} (pid {state.pid}, log {state.log})")
    _note_user_url()


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [(days, "d"), (hours, "h"), (minutes, "min"), (secs, "s")]
    return " ".join(f"{n} {unit}" for n, unit in parts if n) or "0 s"


def _print_status(row: ServiceStatus) -> None:
    if row.state == "stopped":
        _say(f"{row.name}: stopped")
        return
    _say(f"{row.name}: {row.state}")
    _say(f"  url  {row.url}")
    if row.ui_url:
        _say(f"  UI   {row.ui_url}")
    _say(f"  pid  {row.pid}, up {_duration(row.uptime_s or 0)} (since {row.started_at})")
    _say(f"  log  {row.log}")


@app.command("status")
def server_status(as_json_: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False) -> None:
    """Show each service: url, UI url, pid, uptime, and whether it answers."""
    settings = cli_settings()
    rows = [status(settings, service) for service in SERVICES]
    if as_json_:
        sys.stdout.write(as_json(rows) + "\n")
    else:
        for row in rows:
            _print_status(row)
        _note_user_url()
    needed = [row for row, service in zip(rows, SERVICES, strict=True) if not service.on_demand]
    raise typer.Exit(0 if all(row.answers for row in needed) else 1)


@app.command("stop")
def server_stop() -> None:
    """Stop the background services cleanly (SIGTERM, then SIGKILL after 20 s), the run host first."""
    settings = cli_settings()
    for service in reversed(SERVICES):  # the run host first: its runs need the Prefect server to the end
        if service.name == RUNS_SERVICE and (busy := len(running(settings)) - len(orphans(settings))):
            _say(f"{service.name}: waiting for {busy} run(s) in flight to end (at most {service.stop_timeout_s:.0f} s)")
        try:
            stopped = stop(settings, service)
        except ServiceError as exc:
            raise fail_usage(str(exc)) from None
        _say(f"{service.name}: stopped (pid {stopped.pid})" if stopped else f"{service.name}: was not running")
        if service.name == RUNS_SERVICE and orphans(settings):
            _end_orphans_on_the_server(settings)


def _end_orphans_on_the_server(settings: Settings) -> None:
    """Runs a host left behind (killed, or still running when the stop timed out) end Crashed on the Prefect
    server they ran on: the user's PREFECT_API_URL, else this home's shared server while it still runs."""
    if user_api_url() is None:
        prefect = read_state(settings, service_named(PREFECT_SERVICE))
        if prefect is None or not is_alive(prefect):
            return  # no server to tell: the next host's start does it
        os.environ["PREFECT_API_URL"] = prefect.url
    if ended := end_orphans(settings):
        _say(f"{RUNS_SERVICE}: {len(ended)} run(s) it left Running marked Crashed")


@app.command("url")
def server_url() -> None:
    """Print the shared Prefect server's API URL, e.g. for a worker's PREFECT_API_URL."""
    row = status(cli_settings(), service_named("prefect"))
    if not row.answers:
        err.print(f"error: the Prefect server is {row.state}; `q2o server start` starts it", markup=False)
        raise typer.Exit(1)
    _say(str(row.url))
