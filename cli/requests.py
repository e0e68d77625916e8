"""``q2o requests``: a logged request (``show``) and an admin's re-run of it with another chain (``rerun``)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from cli.console import cli_settings, configured_database, fail_usage, out, run_flow, terminal_safe
from cli.generate import print_failure, print_files, print_summary
from settings import UsageError

app = typer.Typer(help="Logged requests: show one, re-run one with another provider.", no_args_is_help=True)


@app.command("show")
def requests_show(
    request_id: Annotated[str, typer.Argument(help="The request's id (q2o calls --json shows it).")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show a logged request and the calls it made."""
    from storage import CallLedger, RequestLog

    db = configured_database(cli_settings())
    logged = RequestLog(db).get(request_id.strip())
    if logged is None:
        raise fail_usage(f"no request {request_id} in the request log")
    calls = CallLedger(db).for_request(logged.request.request_id)
    if as_json:
        row = logged.model_dump(mode="json") | {"call_ids": [c.id for c in calls]}
        sys.stdout.write(json.dumps(row, indent=2) + "\n")
        return
    request = logged.request
    for key, value in (
        ("request", request.request_id),
        ("task", request.task),
        ("stack", ",".join(request.stack)),
        ("agent / project", f"{request.agent} / {request.project}"),
        ("chain", ",".join(request.chain) if request.chain else "(the configured one)"),
        ("rerun of", logged.rerun_of or "-"),
        ("logged", logged.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")),
    ):
        out.print(f"[bold]{key}[/bold]: ", end="")
        out.print(terminal_safe(value), markup=False, highlight=False)
    for c in calls:
        cost = "-" if c.cost_usd is None else f"${c.cost_usd:.6f}"
        out.print(f"  call {c.id}: {c.purpose} {c.provider} #{c.attempt} {c.outcome} {cost}", markup=False)


@app.command("rerun")
def requests_rerun(
    request_id: Annotated[str, typer.Argument(help="The request to run again.")],
    provider: Annotated[
        str | None, typer.Option(help="Provider or chain for the re-run, e.g. anthropic or openai,anthropic.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the new request's result as one JSON object.")] = False,
) -> None:
    """Run a logged request again as a new request (the rerun-request flow)."""
    from codegen.admin import rerun_of
    from flows.rerun_request import rerun_request
    from flows.states import result_of

    try:
        rerun_of(configured_database(cli_settings()), request_id, provider)  # a clear error before any run
    except UsageError as exc:
        raise fail_usage(str(exc)) from None

    async def _run():  # noqa: ANN202 - the flow's CodeResult
        return await result_of(await rerun_request(request_id, provider, return_state=True))

    result = run_flow(_run())
    if as_json:
        sys.stdout.write(result.model_dump_json() + "\n")
    elif result.status == "succeeded":
        print_files(result.files)
        print_summary(result)
    else:
        print_failure(result)
    raise typer.Exit(0 if result.status == "succeeded" else 1)
