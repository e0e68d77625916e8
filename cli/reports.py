"""``q2o reports``: serve the kept reports over HTTP (``reports serve``), and list the newest (``reports list``)."""

from __future__ import annotations

import ipaddress
import json
import sys
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.table import Table

from cli.console import cli_settings, configured_database, err, fail_usage, out, terminal_safe, write_tsv
from settings import DEFAULT_REPORTS_PORT, Settings

app = typer.Typer(help="Failure reports and month statements, over HTTP for the Prefect UI's links.")


def default_port(settings: Settings) -> int:
    """The port Q2O_REPORTS_URL names, so the links artifacts carry reach this endpoint; else the default."""
    return urlsplit(settings.reports_url).port or DEFAULT_REPORTS_PORT


@app.command("serve")
def reports_serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; another machine's workers need this machine's address.")
    ] = "127.0.0.1",
    port: Annotated[
        int | None,
        typer.Option(min=0, max=65535, help=f"Port; default Q2O_REPORTS_URL's, else {DEFAULT_REPORTS_PORT}."),
    ] = None,
) -> None:
    """Serve every report in the database at /reports/<id>.html and .pdf (index at /reports/, health at /healthz)
    until stopped (Ctrl-C or SIGTERM)."""
    from reports.server import listen, serve_reports
    from services.report_links import reports_base_url
    from storage import ReportStore

    settings = cli_settings()
    store = ReportStore(configured_database(settings))
    port = default_port(settings) if port is None else port
    try:
        sock = listen(host, port)
    except (OSError, OverflowError) as exc:
        raise fail_usage(f"cannot listen on {host}:{port} ({getattr(exc, 'strerror', None) or exc})") from None
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    out.print(f"serving reports on http://{shown}:{bound_port}/reports/ (health: /healthz)", markup=False)
    links = reports_base_url(settings)  # a service start wrote its state (its port) before this runs
    out.print(f"artifacts link {links}/reports/<id>.html (Q2O_REPORTS_URL, else this home's endpoint)", markup=False)
    if not _is_loopback(bound_host):
        err.print(
            "note: the endpoint has no login and reports show tasks and errors; listen on a private network or "
            "behind a proxy that checks who asks",
            markup=False,
            soft_wrap=True,
        )
    serve_reports(store, sock)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command("list")
def reports_list(
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line, with its URLs.")] = False,
) -> None:
    """List the newest reports with their URLs on the report endpoint."""
    from reports.publish import report_url
    from services.report_links import reports_base_url
    from storage import ReportStore

    settings = cli_settings()
    summaries = ReportStore(configured_database(settings)).recent(limit)
    base = reports_base_url(settings)
    if as_json:
        for s in summaries:
            row = s.model_dump(mode="json") | {
                "html_url": report_url(base, s.id, "html"),
                "pdf_url": report_url(base, s.id, "pdf"),
            }
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    rows = [
        (s.id, s.kind, s.created_at.strftime("%Y-%m-%d %H:%M"), s.title, report_url(base, s.id, "html"))
        for s in summaries
    ]
    if not out.is_terminal:  # piped: every cell whole, one row a line
        write_tsv(REPORT_COLUMNS, rows)
        return
    if not rows:
        out.print("no report yet: failure reports and month statements are listed here once written", markup=False)
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for header in REPORT_COLUMNS:  # the url whole, to copy: the title gives way on a narrow terminal
        if header == "title":
            table.add_column(header, no_wrap=True, overflow="ellipsis", min_width=10)
        else:
            table.add_column(header, no_wrap=True)
    for cells in rows:
        table.add_row(*(terminal_safe(cell) for cell in cells))
    out.print(table)


REPORT_COLUMNS = ("id", "kind", "created (UTC)", "title", "url")
