"""The ``q2o`` command line: generate code, check providers, read the call ledger.

User errors (bad input or configuration) print one line and exit 2; a failed generation exits 1.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.syntax import Syntax
from rich.table import Table

from cli_budget import app as budget_app
from cli_common import cli_settings, err, fail_usage, out, run_flow, terminal_safe
from cli_templates import app as templates_app
from settings import KEY_VARIABLES, PROVIDER_NAMES, Settings, UsageError

app = typer.Typer(help="Q2O Forge: code generation for Q2O agents.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
providers_app = typer.Typer(help="Provider commands.", no_args_is_help=True)
calls_app = typer.Typer(help="The call ledger: every provider call with tokens and cost.",
                        invoke_without_command=True)
app.add_typer(providers_app, name="providers")
app.add_typer(calls_app, name="calls")
app.add_typer(templates_app, name="templates")
app.add_typer(budget_app, name="budget")

_settings = cli_settings


def _ledger(settings: Settings):  # noqa: ANN202 - storage type imported lazily (fast --help)
    from storage import CallLedger, open_database

    try:
        return CallLedger(open_database(settings.resolved_database_url), secrets=settings.secret_values())
    except UsageError as exc:
        raise fail_usage(str(exc)) from None


def no_provider_message(chain: list[str]) -> str:
    keys = ", ".join(" or ".join(KEY_VARIABLES[p]) for p in chain)
    return (f"no provider of the chain ({', '.join(chain)}) is configured: set {keys}"
            + (", or Q2O_OPENAI_BASE_URL for an OpenAI-compatible server (Ollama, vLLM)"
               if "openai" in chain else ""))


@app.command()
def generate(
    task: Annotated[str, typer.Argument(help="What the code must do.")],
    stack: Annotated[str, typer.Option(help="Tech stack, comma separated, e.g. python,fastapi.")],
    agent: Annotated[str, typer.Option(help="The asking agent.")] = "coder",
    project: Annotated[str, typer.Option(help="The project.")] = "default",
    provider: Annotated[str | None, typer.Option(help="Provider or chain to use, e.g. openai or "
                                                      "openai,anthropic.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Run the generate-code flow and print the files it produced."""
    from codegen.models import CodeRequest

    try:
        request = CodeRequest(task=task, stack=stack, agent=agent, project=project, chain=provider)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = "--provider" if first["loc"][0] == "chain" else str(first["loc"][0])
        raise fail_usage(f"{field}: {str(first['msg']).removeprefix('Value error, ')}") from None
    settings = _settings()
    chain = request.chain or list(settings.chain)
    _ledger(settings)  # migrate and check the database before the flow starts

    from flows.generate_code import generate_code

    result = run_flow(generate_code(request))
    if result.error == "no_provider_configured":
        # No template fitted and no provider could be asked: a configuration problem, not a failure.
        if as_json:
            sys.stdout.write(result.model_dump_json() + "\n")
        raise fail_usage(no_provider_message(chain))
    if as_json:
        sys.stdout.write(result.model_dump_json() + "\n")
    elif result.status == "succeeded":
        for f in result.files:
            out.rule(terminal_safe(f.path))
            content = terminal_safe(f.content)
            out.print(Syntax(content, lexer=Syntax.guess_lexer(f.path, content), word_wrap=True))
        cost = "unknown" if result.cost_usd is None else f"${result.cost_usd:.6f}"
        source = (f"template {result.template_id} (fit {result.match_score:.2f}, {result.bindings})"
                  if result.source == "template" else f"{result.provider} {result.model}")
        err.print(f"{source} · score {result.quality_score:.0f} · cost {cost} · "
                  f"{len(result.attempts)} call(s) · request {result.request_id}", markup=False)
    else:
        err.print(f"generation failed: {result.error}", markup=False)
        if result.error == "budget_exhausted":
            why = next((a.error for a in result.attempts if a.error_kind == "budget_exhausted"), None)
            err.print(f"{why or 'the budget is used up'}; see `q2o budget status`, raise it with "
                      "`q2o budget set AMOUNT`", markup=False, soft_wrap=True)
        for p in result.report_paths:
            err.print(f"report: {p}", markup=False)
    raise typer.Exit(0 if result.status == "succeeded" else 1)


@providers_app.command("check")
def providers_check(
    provider: Annotated[str | None, typer.Option(help="Only these providers, comma separated.")] = None,
) -> None:
    """Make one tiny call to each configured provider and print a table."""
    settings = _settings()
    names = [p.strip().lower() for p in provider.split(",")] if provider else list(PROVIDER_NAMES)
    unknown = [n for n in names if n not in PROVIDER_NAMES]
    if unknown:
        raise fail_usage(f"--provider: unknown provider {', '.join(unknown)}; choose from "
                         f"{', '.join(PROVIDER_NAMES)}")
    _ledger(settings)
    from flows.admin import check_providers

    rows = run_flow(check_providers(names))
    table = Table("provider", "model", "result", "latency")
    for row in rows:
        table.add_row(row.provider, row.model, "ok" if row.ok else row.detail,
                      "" if row.latency_s is None else f"{row.latency_s * 1000:.0f} ms")
    out.print(table)
    # 0: every configured provider answered; 1: one of them failed, or none is configured.
    failed = [r for r in rows if not r.ok and not r.detail.startswith("not configured")]
    raise typer.Exit(0 if any(r.ok for r in rows) and not failed else 1)


@calls_app.callback()
def calls_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 20,
    agent: Annotated[str | None, typer.Option()] = None,
    provider: Annotated[str | None, typer.Option()] = None,
    status: Annotated[str | None, typer.Option(help="running, succeeded, failed or skipped.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line, without prompts.")] = False,
) -> None:
    """List logged calls, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    if status and status not in ("running", "succeeded", "failed", "skipped"):
        raise fail_usage("--status: choose running, succeeded, failed or skipped")
    records = _ledger(_settings()).list(limit=limit, agent=agent, provider=provider, status=status)
    if as_json:
        for r in records:
            sys.stdout.write(r.model_dump_json(exclude={"system_prompt", "prompt", "response_text"}) + "\n")
        return
    wide = out.width >= 130  # a narrow terminal gets the columns that fit; `calls show ID` has everything
    columns = ["id", "time (UTC)" if wide else "UTC", "agent", *(["project"] if wide else []), "provider",
               *(["model"] if wide else []), "purpose", "#", "status", *(["tokens in/out"] if wide else []), "cost",
               *(["latency"] if wide else []), "error"]
    table = Table(*columns, box=None, header_style="bold", pad_edge=False)
    for r in records:
        cost = "unknown" if r.cost_usd is None else f"${r.cost_usd:.6f}" if wide else f"${r.cost_usd:.4f}"
        cells = [str(r.id), r.created_at.strftime("%Y-%m-%d %H:%M:%S" if wide else "%H:%M"), terminal_safe(r.agent),
                 *([terminal_safe(r.project)] if wide else []), r.provider,
                 *([terminal_safe(r.model or "")] if wide else []), r.purpose, str(r.attempt), r.status,
                 *([f"{r.input_tokens or 0}/{r.output_tokens or 0}"] if wide else []), cost,
                 *(["" if r.latency_s is None else f"{r.latency_s:.2f}s"] if wide else []), r.error_kind or ""]
        table.add_row(*cells)
    out.print(table)


@calls_app.command("show")
def calls_show(call_id: Annotated[int, typer.Argument(help="The call's id.")],
               as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show one call with its prompts, response, tokens and cost."""
    if not 0 < call_id < 2**63:  # outside any database's integer ids
        raise fail_usage(f"no call with id {call_id}")
    record = _ledger(_settings()).get(call_id)
    if record is None:
        raise fail_usage(f"no call with id {call_id}")
    if as_json:
        sys.stdout.write(json.dumps(record.model_dump(mode="json"), indent=2) + "\n")
        return
    fields = record.model_dump(exclude={"system_prompt", "prompt", "response_text"})
    for key, value in fields.items():
        out.print(f"[bold]{key}[/bold]: ", end="")
        out.print("unknown" if key == "cost_usd" and value is None else terminal_safe(str(value)), markup=False)
    for title, text in (("system prompt", record.system_prompt), ("prompt", record.prompt),
                        ("response", record.response_text or "")):
        out.rule(title)
        out.print(terminal_safe(text), markup=False, highlight=False)


def main() -> None:  # pragma: no cover - console entry point
    # The command prints its own outcome (and writes a failure report); Prefect's run logs, including the
    # traceback of every failed provider attempt, are noise on a terminal. PREFECT_LOGGING_LEVEL=INFO shows them.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
