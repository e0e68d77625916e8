"""``q2o calls``: the call ledger, newest first (``calls``), and one call in full (``calls show ID``)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cli.console import (
    cli_settings,
    fail_usage,
    flow_run_url,
    open_ledger,
    out,
    parse_since,
    prefect_ui_url,
    terminal_safe,
)
from settings import PROVIDER_NAMES

if TYPE_CHECKING:
    from storage import CallRecord

app = typer.Typer(help="The call ledger: every provider call with tokens and cost.", invoke_without_command=True)

STATUSES = ("running", "succeeded", "rejected", "failed", "skipped")  # a call's outcome, as the request saw it


@app.callback()
def calls_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 20,
    agent: Annotated[str | None, typer.Option()] = None,
    provider: Annotated[str | None, typer.Option()] = None,
    status: Annotated[
        str | None,
        typer.Option(
            help=("running, succeeded, rejected (an answer validation or review refused), failed or skipped.")
        ),
    ] = None,
    project: Annotated[str | None, typer.Option()] = None,
    request: Annotated[str | None, typer.Option(help="One request's calls, by its request id.")] = None,
    since: Annotated[
        str | None, typer.Option(help="An age (30m, 2h, 7d, 1w) or an ISO date or time (UTC unless it says).")
    ] = None,
    search: Annotated[
        str | None, typer.Option(help="Calls whose prompt, response or error holds this text (any case).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per line, without prompts, with run_url.")
    ] = False,
) -> None:
    """List logged calls, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    if status and status not in STATUSES:
        raise fail_usage(f"--status: choose {', '.join(STATUSES[:-1])} or {STATUSES[-1]}")
    if provider is not None:
        provider = _one_provider(provider)
    records = open_ledger(cli_settings()).list(
        limit=limit,
        agent=agent,
        provider=provider,
        status=status,
        project=project,
        request_id=request,
        since=parse_since(since, datetime.now(UTC)) if since else None,
        search=search,
    )
    ui = prefect_ui_url()  # once, not per row
    if as_json:
        for r in records:
            row = r.model_dump(mode="json", exclude={"system_prompt", "prompt", "response_text"})
            sys.stdout.write(json.dumps({**row, "run_url": flow_run_url(r.flow_run_id, ui)}) + "\n")
        return
    out.print(_calls_table(records, wide=out.width >= 130, ui=ui))


def _one_provider(text: str) -> str:
    """The one provider ``--provider`` names, lower-cased; exit 2 for a list or an unknown name."""
    provider = text.strip().lower()
    if "," in provider:
        raise fail_usage(
            f"--provider: one provider here ({', '.join(PROVIDER_NAMES[:-1])} or {PROVIDER_NAMES[-1]}), not a list"
        )
    if provider not in PROVIDER_NAMES:
        raise fail_usage(
            f"--provider: unknown provider {provider or '(empty)'}; choose from {', '.join(PROVIDER_NAMES)}"
        )
    return provider


def _calls_table(records: list[CallRecord], *, wide: bool, ui: str | None) -> Table:
    """The ledger rows as a table; a narrow terminal gets the columns that fit (`calls show ID` has everything)."""
    columns = [
        "id",
        "time (UTC)" if wide else "UTC",
        "agent",
        *(["project"] if wide else []),
        "provider",
        *(["model"] if wide else []),
        "purpose",
        "#",
        "status",
        *(["tokens in/out"] if wide else []),
        "cost",
        *(["latency"] if wide else []),
        "error",
    ]
    table = Table(*columns, box=None, header_style="bold", pad_edge=False)
    for r in records:
        cost = (
            "-"
            if r.status == "skipped"
            else "unknown"
            if r.cost_usd is None  # a skip made no call
            else f"${r.cost_usd:.6f}"
            if wide
            else f"${r.cost_usd:.4f}"
        )
        url = flow_run_url(r.flow_run_id, ui)
        cells = [
            f"[link={url}]{r.id}[/link]" if url else str(r.id),  # terminals that know links open the run
            r.created_at.strftime("%Y-%m-%d %H:%M:%S" if wide else "%H:%M"),
            terminal_safe(r.agent),
            *([terminal_safe(r.project)] if wide else []),
            r.provider,
            *([terminal_safe(_model_text(r))] if wide else []),
            r.purpose,
            str(r.attempt),
            r.outcome,
            *([f"{r.input_tokens or 0}/{r.output_tokens or 0}"] if wide else []),
            cost,
            *(["" if r.latency_s is None else f"{r.latency_s:.2f}s"] if wide else []),
            r.verdict or r.error_kind or "",
        ]
        table.add_row(*cells)
    return table


def _model_text(record: CallRecord) -> str:
    """The model that answered, and the one asked for when the answer named another (an alias, say), not just
    a dated or prefixed form of it: the call is priced as the asked one when the answered one has no price."""
    model, asked = record.model or "", record.model_asked
    if not asked or asked.lower() in model.lower():
        return model
    return f"{model} (asked {asked})"


@app.command("show")
def calls_show(
    call_id: Annotated[int, typer.Argument(help="The call's id.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one call with its prompts, response, tokens and cost."""
    if not 0 < call_id < 2**63:  # outside any database's integer ids
        raise fail_usage(f"no call with id {call_id}")
    record = open_ledger(cli_settings()).get(call_id)
    if record is None:
        raise fail_usage(f"no call with id {call_id}")
    if as_json:
        sys.stdout.write(
            json.dumps({**record.model_dump(mode="json"), "run_url": flow_run_url(record.flow_run_id)}, indent=2) + "\n"
        )
        return
    fields = record.model_dump(exclude={"system_prompt", "prompt", "response_text"})  # with its outcome
    fields["run_url"] = flow_run_url(record.flow_run_id) or "- (no UI: the embedded server has none)"
    for key, value in fields.items():
        out.print(f"[bold]{key}[/bold]: ", end="")
        if key == "cost_usd" and value is None:
            value = "- (skipped: no call was made)" if record.status == "skipped" else "unknown"
        out.print(terminal_safe(str(value)), markup=False)
    for title, text in (
        ("system prompt", record.system_prompt),
        ("prompt", record.prompt),
        ("response", record.response_text or ""),
    ):
        out.rule(title)
        out.print(terminal_safe(text), markup=False, highlight=False)
