"""The run host: one warm process per ``Q2O_HOME`` that runs the generate-code flow for ``q2o generate`` calls.

A CLI call that runs the flow itself first imports Prefect, SQLAlchemy and the whole service (~3 CPU-s here, most
of a template hit's 3.7 s). With the shared server (the default), ``q2o generate`` instead starts this host the
first time (a row of ``services.catalog``; ``q2o server stop`` stops it), sends it the request over the loopback
and prints what comes back: the same ``CodeResult``, the same flow run in the same Prefect server, the same
exit codes. Runs that many callers send at once take turns in its one process (``flows/admission.py``), which a
process per caller could not do.

It serves a caller only when the caller's settings, environment and code are its own (``services.fingerprint``:
the caller sends its digest, a host with another answers 409 and retires, so the next caller starts one of the
newest environment); otherwise, and whenever the host cannot be reached before the request is sent, the caller
runs the flow in its own process as before. A request the host
has taken is never sent again: if the host dies during it, the caller says so (the request is in
``q2o requests show``) rather than risk paying twice.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated

import typer

from cli.console import cli_settings, err, fail_usage, flow_error_message, open_ledger, quiet_prefect_logs, use_prefect
from services import ServiceError, ensure_running, service_named, withdraw
from services.fingerprint import code_stamp, environment_fingerprint
from services.inflight import in_flight
from settings import Settings

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from starlette.applications import Starlette

    from contracts import CodeRequest, CodeResult
    from services import PrefectConnection

FINGERPRINT_HEADER = "X-Q2O-Fingerprint"
RUNS_SERVICE = "runs"
log = logging.getLogger("q2o.host")

app = typer.Typer(help="The run host of q2o generate (started and stopped with the shared server).", hidden=True)


class HostLost(Exception):
    """The host took the request and gave no answer (it stopped or crashed during the run)."""


def run_on_host(settings: Settings, request: CodeRequest, connection: PrefectConnection) -> CodeResult | None:
    """The request run by this home's host, started when it is not running; None when the caller must run it
    itself (embedded server, a Prefect API of the user's, a host that cannot start or has another environment).
    ``connection`` is what ``use_prefect`` chose (and started). Raises ``typer.Exit`` (code 2) for what
    the host found to be a configuration error, ``HostLost`` when it took the request and died."""
    if connection.source != "shared":
        return None
    if _run_logs_asked_for():
        return None  # the host's logs go to its log file: the run is run here, where the terminal shows them
    try:
        state, _ = ensure_running(settings, service_named(RUNS_SERVICE))
    except ServiceError as exc:
        log.warning("the run host is not available, running here: %s", exc)
        return None
    call = urllib.request.Request(  # noqa: S310 - our own http URL on the loopback
        f"{state.url}/generate",
        data=request.model_dump_json().encode(),
        headers={"Content-Type": "application/json", FINGERPRINT_HEADER: environment_fingerprint(settings)},
        method="POST",
    )
    return _answer(call)


def _run_logs_asked_for() -> bool:
    """PREFECT_LOGGING_LEVEL asks for the run logs on this terminal (INFO or DEBUG, as a name or a number)."""
    level = os.environ.get("PREFECT_LOGGING_LEVEL", "").strip().upper()
    value = int(level) if level.isdigit() else logging.getLevelName(level)
    return isinstance(value, int) and value <= logging.INFO if level else False


def _answer(call: urllib.request.Request) -> CodeResult | None:
    from contracts import CodeResult

    try:
        # No read timeout: a generation may retry and back off for minutes; the host ends every run.
        with urllib.request.urlopen(call) as response:  # noqa: S310
            return CodeResult.model_validate_json(response.read())
    except urllib.error.HTTPError as exc:
        body = _json(exc.read())
        if exc.code == HTTPStatus.CONFLICT:  # another environment: run it here
            return None
        if exc.code == HTTPStatus.UNPROCESSABLE_ENTITY and "usage_error" in body:
            raise fail_usage(str(body["usage_error"])) from None
        raise HostLost(f"the run host answered {exc.code}: {body.get('error', '')}".rstrip(": ")) from None
    except ConnectionRefusedError:
        return None  # it stopped between the health check and the call: nothing was sent
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ConnectionRefusedError):
            return None
        raise HostLost(f"the run host stopped answering during the request ({exc.reason})") from None
    except (ConnectionError, OSError) as exc:  # reset or closed after the request was sent
        raise HostLost(f"the run host stopped answering during the request ({exc})") from None


def _json(data: bytes) -> dict[str, object]:
    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@app.command("serve")
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 4281,
) -> None:
    """Run the host in the foreground (the services table starts it in the background)."""
    import uvicorn

    from reports.server import listen

    quiet_prefect_logs()
    settings = cli_settings()
    open_ledger(settings)  # migrate and check the database once, as a CLI call does before each flow
    use_prefect(settings)  # the shared server the callers use (they started it)
    from flows.generate_code import run_request

    handler = logging.StreamHandler()  # its own lines only (request ids, crashes) on its log: the services/ file
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    _end_orphans(settings)
    servers: list[uvicorn.Server] = []

    def retire() -> None:
        withdraw(settings, service_named(RUNS_SERVICE))  # the next caller starts a fresh host at once
        servers[0].should_exit = True  # uvicorn stops listening, lets the runs in flight finish, then exits

    app_ = host_app(settings, run_request, on_stale=retire)
    sock = listen("127.0.0.1", port)  # the report endpoint's socket: bound first, Nagle off
    server = uvicorn.Server(uvicorn.Config(app_, log_level="warning", access_log=False))
    servers.append(server)
    err.print(f"run host on http://127.0.0.1:{port}", markup=False, highlight=False)
    try:
        server.run(sockets=[sock])  # SIGINT (`q2o server stop`): stop listening, finish the runs in flight
    except KeyboardInterrupt:  # uvicorn raises the signal it handled again once it is done
        pass
    log.info("stopped")


def _end_orphans(settings: Settings) -> None:
    """End Crashed the runs a killed host left Running (best effort: a host starts whatever happens)."""
    for flow_run_id in end_orphans(settings):
        log.warning("flow run %s of a host that stopped during it: ended Crashed", flow_run_id)


def end_orphans(settings: Settings, request_id: str | None = None) -> list[str]:
    """End Crashed the flow runs that a host which died left Running (``flows/orphans.py``; only
    ``request_id``'s when given), through the Prefect API this process chose; the flow run ids it ended. Best
    effort: a Prefect API that does not answer leaves them for the next host to end."""
    import asyncio

    from services.inflight import orphans

    if not orphans(settings, request_id):
        return []  # no Prefect import for nothing
    from flows.orphans import crash_orphans

    try:
        return asyncio.run(crash_orphans(settings, request_id))
    except Exception as exc:  # noqa: BLE001 - the caller's own outcome matters more
        log.warning("could not end the runs of a stopped host: %s", exc)
        return []


def host_app(
    settings: Settings,
    run: Callable[[CodeRequest], Awaitable[CodeResult]],
    on_stale: Callable[[], None],
    stamp: Callable[[], str] = code_stamp,
) -> Starlette:
    """The host's HTTP app: ``POST /generate`` (a ``CodeRequest``; the caller's digest in ``X-Q2O-Fingerprint``)
    answers the ``CodeResult``, 409 for another environment, 422 with ``usage_error`` for a configuration
    error, 500 with the redacted reason for a crash; ``GET /healthz``. When the code on disk is no longer the
    code it runs, or a caller's environment is not its own, it refuses (409) and calls ``on_stale`` so that a
    host of the caller's code and environment replaces it (the runs in flight finish first)."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from contracts import CodeRequest
    from providers.base import redact

    fingerprint = environment_fingerprint(settings)
    started_stamp = stamp()
    secrets = settings.secret_values()

    async def health(_: Request) -> Response:
        return JSONResponse({"ok": True})

    async def generate(http: Request) -> Response:
        if stamp() != started_stamp:
            log.info("the code changed on disk: retiring")
            on_stale()
            return JSONResponse({"error": "stale code"}, status_code=HTTPStatus.CONFLICT)
        if http.headers.get(FINGERPRINT_HEADER) != fingerprint:
            # The newest environment wins: the caller runs this request itself, the next one starts a host of
            # its own environment (a changed key or setting takes effect without `q2o server stop`).
            log.info("a caller of another environment: retiring")
            on_stale()
            return JSONResponse({"error": "another environment"}, status_code=HTTPStatus.CONFLICT)
        try:
            request = CodeRequest.model_validate_json(await http.body())
        except ValueError as exc:
            return JSONResponse({"error": f"invalid request: {exc}"}, status_code=HTTPStatus.BAD_REQUEST)
        try:
            with in_flight(settings, request.request_id):  # outlives this process if it is killed mid-run
                result = await run(request)
        except Exception as exc:  # noqa: BLE001 - the caller gets the reason; this host serves the next one
            if (usage := flow_error_message(exc)) is not None:
                return JSONResponse({"usage_error": usage}, status_code=HTTPStatus.UNPROCESSABLE_ENTITY)
            why = redact(f"{type(exc).__name__}: {exc}", secrets)
            log.error("request %s crashed: %s", request.request_id, why)
            return JSONResponse({"error": why}, status_code=HTTPStatus.INTERNAL_SERVER_ERROR)
        log.info(
            "request %s: %s",
            result.request_id,
            "configuration error (no_provider_configured, exit 2)"
            if result.error == "no_provider_configured"
            else result.status,
        )
        return Response(result.model_dump_json(), media_type="application/json")

    return Starlette(routes=[Route("/healthz", health), Route("/generate", generate, methods=["POST"])])
