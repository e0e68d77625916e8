"""The report endpoint: every report kept in the database, over HTTP, so a Prefect artifact's link opens from the UI
whichever machine wrote the report. A small Starlette app run by uvicorn (both come with Prefect).

``GET /reports/<id>.html`` and ``/reports/<id>.pdf``, ``/reports/`` (the newest reports), ``/healthz``; anything
else is a 404. There is no login: it listens on 127.0.0.1 unless told otherwise (see docs/deployment.md).
"""

from __future__ import annotations

import logging
import re
import signal
import socket
import sys
from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from reports.render import render_html
from storage import ReportStore

log = logging.getLogger("q2o.reports")

INDEX_LIMIT = 200
REPORT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# Reports carry their CSS inline and load nothing else; telling the browser so means not even a template bug can
# make a page that shows user and LLM text fetch or run anything.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
NOT_FOUND_PAGE = "<!DOCTYPE html><title>Not found</title><p>No such report. <a href='./'>The newest reports</a></p>\n"


def report_app(store: ReportStore) -> Starlette:
    """The endpoint's ASGI app, serving the reports of ``store``'s database."""

    def report(request: Request) -> Response:
        stem, dot, form = str(request.path_params["name"]).rpartition(".")
        if not dot or not REPORT_ID.fullmatch(stem):
            return _not_found()
        if form == "html":
            html = store.html(stem)
            if html is not None:
                return HTMLResponse(html, headers=PAGE_HEADERS)
        elif form == "pdf":
            pdf = store.pdf(stem)
            if pdf is not None:
                headers = {**PAGE_HEADERS, "Content-Disposition": f'inline; filename="{stem}.pdf"'}
                return Response(pdf, media_type="application/pdf", headers=headers)
        return _not_found()

    def index(request: Request) -> Response:
        page = render_html("index.html.j2", reports=store.recent(INDEX_LIMIT), now=datetime.now(UTC))
        return HTMLResponse(page, headers=PAGE_HEADERS)

    def health(request: Request) -> Response:
        try:
            kept = store.count()
        except SQLAlchemyError as exc:  # the database went away: say so to whoever watches, keep serving
            log.warning("report endpoint: the database does not answer (%s)", type(exc).__name__)
            return JSONResponse({"status": "error", "error": "database unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "reports": kept})

    def to_index(request: Request) -> Response:
        # Relative, so the redirect also works behind a proxy that serves the endpoint under a path.
        return RedirectResponse("reports/", status_code=307)

    return Starlette(
        routes=[
            Route("/", to_index),
            Route("/reports", to_index),
            Route("/reports/", index),
            Route("/reports/{name:str}", report),
            Route("/healthz", health),
        ],
        exception_handlers={404: lambda request, exc: _not_found()},
    )


def _not_found() -> Response:
    return HTMLResponse(NOT_FOUND_PAGE, status_code=404, headers=PAGE_HEADERS)


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port`` (``OSError`` when it cannot: the port is taken, the host is not
    this machine's); bound before the server starts, so that failure is one clear line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP said outright (socket.create_server leaves it 0): asyncio turns Nagle off only on connections
    # whose socket says TCP, and with Nagle on every keep-alive request waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(socket.SOMAXCONN)
    except BaseException:
        sock.close()
        raise
    return sock


def serve_reports(store: ReportStore, sock: socket.socket) -> None:
    """Serve ``store``'s reports on ``sock`` until SIGINT or SIGTERM (a plain foreground process; main thread)."""
    import uvicorn

    # uvicorn stops gracefully on SIGTERM, then raises it again with the handler that was there before: this one
    # makes that asked-for stop end the process with status 0, as Ctrl-C does, instead of "killed by SIGTERM".
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    config = uvicorn.Config(report_app(store), lifespan="off", server_header=False, log_level="info")
    uvicorn.Server(config).run(sockets=[sock])
