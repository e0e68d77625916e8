"""``q2o providers check``: one tiny call to each configured provider, a table of the answers.

Exit 0 when every configured provider answered, 1 when one failed or none is configured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cli.console import cli_settings, fail_usage, open_ledger, out, run_flow, use_prefect
from cli.options import provider_list_problem
from settings import PROVIDER_NAMES

if TYPE_CHECKING:
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
