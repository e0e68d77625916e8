"""``q2o worker start --pool q2o-process``: a warm worker that runs the pool's flow runs in its own, already
imported, process (``flows/inprocess_worker.py``): a run starts within the polling interval and pays no import.

``prefect worker start --pool q2o-process`` still serves the same pool (a fresh Python per run); see
docs/deployment.md for what differs. SIGTERM or Ctrl-C stops it (exit 0); runs in flight end Crashed.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli.console import cli_settings, err, fail_usage, out, run_flow, show_prefect_logs, use_prefect
from services import user_api_url
from settings import Settings

app = typer.Typer(help="A worker that runs deployments' flow runs in its own process.", no_args_is_help=True)


def _say(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)


@app.command("start")
def worker_start(
    pool: Annotated[str, typer.Option(help="The work pool to serve (a process pool; created when missing).")],
    query_seconds: Annotated[
        float, typer.Option(min=0.1, help="Seconds between polls for scheduled runs (Prefect's default is 10).")
    ] = 1.0,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="At most this many runs at once (default: Q2O_MAX_CONCURRENT_RUNS; on this home's shared server "
            "with SQLite, 1; else no cap).",
        ),
    ] = None,
    name: Annotated[str | None, typer.Option(help="The worker's name in the UI (default: a random one).")] = None,
) -> None:
    """Serve a work pool: poll every --query-seconds and run each flow run here, in a thread of this process."""
    settings = cli_settings()
    connection = use_prefect(settings)
    if settings.server == "embedded" and not user_api_url():
        raise fail_usage("a worker needs a Prefect server: unset Q2O_SERVER=embedded, or set PREFECT_API_URL")
    show_prefect_logs()
    from flows.inprocess_worker import serve_pool

    limit = limit if limit is not None else default_limit(settings, connection.source == "shared")

    def serving() -> None:  # once the pool is checked: a pool of another type is refused before this line
        at_once = f"at most {limit} run(s) at once" if limit else "no cap on runs at once"
        err.print(
            f"serving work pool {pool!r}, polling every {query_seconds:g} s, {at_once}", markup=False, highlight=False
        )

    run_flow(serve_pool(pool, query_seconds=query_seconds, limit=limit, name=name, printer=_say, on_ready=serving))


def default_limit(settings: Settings, own_server: bool) -> int | None:
    """How many runs the worker takes at once when ``--limit`` is not given: ``Q2O_MAX_CONCURRENT_RUNS`` when set
    (0: no cap); on this home's shared server, what one process keeps in flight there (1 on its SQLite, which
    stalls writers that come together: ``flows/admission.py``); on a server of the user's, whose database this
    process cannot see, no cap."""
    if settings.max_concurrent_runs is not None:
        return settings.max_concurrent_runs or None
    if not own_server:
        return None
    from flows.admission import run_limit

    return run_limit(settings)
