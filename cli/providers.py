"""``q2o providers check``: one tiny call to each configured provider, a table of the answers (exit 0 when every
configured provider answered, 1 when one failed or none is configured). ``q2o providers status``: each provider's
health as the breaker shares it through the database (no call is made).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cli.console import (
    cli_settings,
    configured_database,
    fail_usage,
    open_ledger,
    out,
    run_flow,
    terminal_safe,
    use_prefect,
)
from cli.options import provider_list_problem
from settings import PROVIDER_NAMES

if TYPE_CHECKING:
    from codegen.health import ProviderHealth
    from tasks.check import ProviderCheck

app = typer.Typer(help="Provider commands.", no_args_is_help=True)


@app.command("check")
def providers_check(
    provider: Annotated[str | None, typer.Option(help="Only these providers, comma separated.")] = None,
) -> None:
    """Make one tiny call to each configured provider and print a table."""
    settings = cli_settings()
    if provider is not None and (problem := provider_list_problem(provider)):
        raise fail_usage(f"--provider: {problem}")
    names = [p.strip().lower() for p in provider.split(",")] if provider else list(PROVIDER_NAMES)
    open_ledger(settings)
    use_prefect(settings)
    from flows.admin import check_failure, check_providers
    from flows.states import result_of

    async def checked() -> list[ProviderCheck]:
        rows: list[ProviderCheck] = await result_of(await check_providers(names, return_state=True))
        return rows

    rows = run_flow(checked())
    table = Table("provider", "model", "result", "latency")
    for row in rows:
        table.add_row(
            row.provider,
            row.model,
            "ok" if row.ok else row.detail,
            "" if row.latency_s is None else f"{row.latency_s * 1000:.0f} ms",
        )
    out.print(table)
    # 0: every configured provider answered; 1: one of them failed, or none is configured (the run is Failed).
    raise typer.Exit(0 if check_failure(rows) is None else 1)


@app.command("status")
def providers_status(
    provider: Annotated[str | None, typer.Option(help="Only these providers, comma separated.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per provider, one a line.")] = False,
) -> None:
    """Show each provider's health: configured or not, its circuit, failures in a row, skips. No call is made."""
    settings = cli_settings()
    if provider is not None and (problem := provider_list_problem(provider)):
        raise fail_usage(f"--provider: {problem}")
    names = [p.strip().lower() for p in provider.split(",")] if provider else list(PROVIDER_NAMES)
    configured_database(settings)
    from codegen.health import provider_health

    rows = provider_health(settings, names)
    if as_json:
        for row in rows:
            sys.stdout.write(row.model_dump_json() + "\n")
        return
    table = Table(
        "provider", "configured", "circuit", "since", "until", "fails", "last error", "skips",
        box=None, header_style="bold", pad_edge=False, caption="times in UTC; --json for every field",
    )  # fmt: skip
    for row in rows:
        table.add_row(
            row.provider,
            "refused" if row.key_refused else "yes" if row.configured else "no",
            _circuit_text(row),
            _time(row.since),
            _time(row.until),
            str(row.consecutive_failures),
            terminal_safe(row.last_error_kind or ""),
            str(row.skips),
        )
    out.print(table)


def _circuit_text(row: ProviderHealth) -> str:
    """closed, open, half-open (its cooldown is over: the next call probes) or probing (one probe is running)."""
    if row.circuit != "half_open":
        return row.circuit
    return "probing" if row.probe == "in_flight" else "half-open"


def _time(moment: datetime | None) -> str:
    """Today's times as HH:MM:SS, older ones with their date (UTC)."""
    if moment is None:
        return ""
    return f"{moment:%H:%M:%S}" if moment.date() == datetime.now(UTC).date() else f"{moment:%Y-%m-%d %H:%M}"
