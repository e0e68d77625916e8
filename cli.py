"""The ``q2o`` command line: generate code, check providers, read the call ledger.

User errors (bad input or configuration) print one line and exit 2; a failed generation exits 1.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.syntax import Syntax
from rich.table import Table

from cli_budget import app as budget_app
from cli_common import cli_settings, err, fail_usage, out, quiet_prefect_logs, run_flow, terminal_safe
from cli_templates import app as templates_app
from settings import KEY_VARIABLES, PROVIDER_NAMES, Settings, UsageError

if TYPE_CHECKING:
    from codegen.models import GeneratedFile

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


def provider_list_problem(text: str) -> str | None:
    """What is wrong with a ``--provider`` list (empty, an empty entry, unknown or repeated names), or None."""
    names = [p.strip().lower() for p in text.split(",")]
    if not any(names):
        return f"the provider list is empty; name one or more of {', '.join(PROVIDER_NAMES)}"
    if not all(names):
        return "the provider list has an empty entry"
    unknown = [n for n in names if n not in PROVIDER_NAMES]
    if unknown:
        return f"unknown provider {', '.join(unknown)}; choose from {', '.join(PROVIDER_NAMES)}"
    repeated = list(dict.fromkeys(n for i, n in enumerate(names) if n in names[:i]))
    if repeated:
        verb = "appears" if len(repeated) == 1 else "appear"
        return f"{', '.join(repeated)} {verb} more than once in the provider list"
    return None


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
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["loc"][0] == "chain":
            raise fail_usage(f"--provider: {provider_list_problem(provider or '') or message}") from None
        raise fail_usage(f"{first['loc'][0]}: {message}") from None
    if provider is not None and (problem := provider_list_problem(provider)):
        raise fail_usage(f"--provider: {problem}")
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
        print_files(result.files)
        cost = "unknown" if result.cost_usd is None else f"${result.cost_usd:.6f}"
        bindings = ", ".join(f"{slot}={name}" for slot, name in (result.bindings or {}).items())
        source = (f"template {result.template_id} (fit {result.match_score:.2f}{', ' if bindings else ''}"
                  f"{terminal_safe(bindings)})" if result.source == "template" else f"{result.provider} {result.model}")
        # soft_wrap: the terminal folds a long line; rich must not break it (a request id must stay whole).
        err.print(f"{source} · score {result.quality_score:.0f} · cost {cost} · "
                  f"{len(result.attempts)} call(s) · request {result.request_id}", markup=False, highlight=False,
                  soft_wrap=True)
    else:
        err.print(f"generation failed: {result.error}", markup=False)
        if result.error == "budget_exhausted":
            why = next((a.error for a in result.attempts if a.error_kind == "budget_exhausted"), None)
            err.print(f"{why or 'the budget is used up'}; see `q2o budget status`, raise it with "
                      "`q2o budget set AMOUNT`", markup=False, soft_wrap=True)
        else:  # the last real failure, in one line (the report has every attempt)
            from codegen.result import final_error_text

            why = final_error_text(result.attempts, result.error or "failed").removeprefix(f"{result.error}: ")
            err.print(f"why: {terminal_safe(why)}", markup=False, soft_wrap=True)
        for p in result.report_paths:
            err.print(f"report: {p}", markup=False)
    raise typer.Exit(0 if result.status == "succeeded" else 1)


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stdout
        return False


def print_files(files: list[GeneratedFile]) -> None:
    """The generated files on stdout. Piped or redirected: a ``# file: PATH`` line, then the content exactly as
    generated. On a terminal: a rule with the path, then the code highlighted, never hard-wrapped nor padded."""
    if not _stdout_is_terminal():
        for f in files:
            sys.stdout.write(f"# file: {f.path}\n{f.content}" + ("" if f.content.endswith("\n") else "\n"))
        sys.stdout.flush()
        return
    for f in files:
        out.rule(terminal_safe(f.path))
        content = terminal_safe(f.content)
        syntax = Syntax(content, lexer=Syntax.guess_lexer(f.path, content), background_color="default")
        text = syntax.highlight(content)  # a Text, not the padded block Syntax renders at the console's width
        text.end = ""
        out.print(text, soft_wrap=True, end="")  # ends with a newline (highlight adds one when missing)


@providers_app.command("check")
def providers_check(
    provider: Annotated[str | None, typer.Option(help="Only these providers, comma separated.")] = None,
) -> None:
    """Make one tiny call to each configured provider and print a table."""
    settings = _settings()
    if provider is not None and (problem := provider_list_problem(provider)):
        raise fail_usage(f"--provider: {problem}")
    names = [p.strip().lower() for p in provider.split(",")] if provider else list(PROVIDER_NAMES)
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
    if provider is not None:
        provider = provider.strip().lower()
        if "," in provider:
            raise fail_usage("--provider: one provider here (gemini, openai or anthropic), not a list")
        if provider not in PROVIDER_NAMES:
            raise fail_usage(f"--provider: unknown provider {provider or '(empty)'}; choose from "
                             f"{', '.join(PROVIDER_NAMES)}")
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
        cost = ("-" if r.status == "skipped" else "unknown" if r.cost_usd is None  # a skip made no call
                else f"${r.cost_usd:.6f}" if wide else f"${r.cost_usd:.4f}")
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
        if key == "cost_usd" and value is None:
            value = "- (skipped: no call was made)" if record.status == "skipped" else "unknown"
        out.print(terminal_safe(str(value)), markup=False)
    for title, text in (("system prompt", record.system_prompt), ("prompt", record.prompt),
                        ("response", record.response_text or "")):
        out.rule(title)
        out.print(terminal_safe(text), markup=False, highlight=False)


def main() -> None:  # pragma: no cover - console entry point
    # Prefect's logs stay off the terminal; PREFECT_LOGGING_LEVEL=INFO shows them.
    quiet_prefect_logs()
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
