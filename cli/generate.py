"""``q2o generate``: run the generate-code flow and print the files, or say in a line or two why it failed.

Exit 0 on success, 1 on a failed generation, 2 on bad input or configuration (no provider to ask included).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.syntax import Syntax

from cli.console import cli_settings, err, fail_usage, open_ledger, out, run_flow, terminal_safe, use_prefect
from cli.host import HostLost, end_orphans, run_on_host
from cli.options import first_error, provider_list_problem
from providers.registry import spec_for

if TYPE_CHECKING:
    from contracts import CodeRequest, CodeResult, GeneratedFile
    from settings import Settings


def generate(
    task: Annotated[str, typer.Argument(help="What the code must do.")],
    stack: Annotated[
        str, typer.Option(help="Tech stack, comma separated, e.g. python,fastapi (order and case do not matter).")
    ],
    agent: Annotated[str, typer.Option(help="The asking agent.")] = "coder",
    project: Annotated[str, typer.Option(help="The project.")] = "default",
    task_type: Annotated[
        str | None, typer.Option("--task-type", help="The kind of task: picks its prompt layer.")
    ] = None,
    instructions: Annotated[str, typer.Option(help="Custom instructions for this request.")] = "",
    provider: Annotated[
        str | None,
        typer.Option(
            help="Provider or chain to use, e.g. openai, openai:gpt-4.1 or openai,anthropic (wins over config)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Run the generate-code flow and print the files it produced."""
    from contracts import CodeRequest

    try:
        # Raw option text: the model's validators split the comma-separated stack and chain.
        request = CodeRequest.model_validate(
            {
                "task": task,
                "stack": stack,
                "agent": agent,
                "project": project,
                "task_type": task_type,
                "custom_instructions": instructions,
                "chain": provider,
            }
        )
    except ValidationError as exc:
        field, message = first_error(exc)
        if field == "chain":
            raise fail_usage(f"--provider: {provider_list_problem(provider or '', models=True) or message}") from None
        raise fail_usage(f"{field}: {message}") from None
    if provider is not None and (problem := provider_list_problem(provider, models=True)):
        raise fail_usage(f"--provider: {problem}")
    settings = cli_settings(alerts=False)  # the flow registers its own alert channel
    chain = request.chain_providers or list(settings.chain)
    try:
        result = _run(settings, request)
    except KeyboardInterrupt:
        # A run the host took goes on and ends in the ledger; one in this process ends cancelled. Either way the
        # id is how to find it.
        err.print(
            f"interrupted: request {request.request_id} (`q2o requests show {request.request_id}` shows whether "
            "it ran and how it ended)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(130) from None
    if as_json:
        sys.stdout.write(result.model_dump_json() + "\n")
    if result.error == "no_provider_configured":
        # No template fitted and no provider could be asked: a configuration problem, not a failure.
        # The run's chain (stored per project or agent, perhaps) is the one its skip rows name.
        skipped = list(dict.fromkeys(a.provider for a in result.attempts if a.status == "skipped"))
        why = (
            f"template {result.unreviewed_template} fits, but the work is security-sensitive and a template hit is "
            "served only after another provider reviews it; "
            if result.unreviewed_template
            else ""
        )
        raise fail_usage(why + no_provider_message(skipped or chain))
    if not as_json and result.status == "succeeded":
        print_files(result.files)
        print_summary(result)
    elif not as_json:
        print_failure(result)
    raise typer.Exit(0 if result.status == "succeeded" else 1)


def _run(settings: Settings, request: CodeRequest) -> CodeResult:
    """The request's result: from this home's run host (``cli/host.py``) when it can take it, else from the flow
    run in this process."""
    connection = use_prefect(settings)
    try:
        hosted = run_on_host(settings, request, connection)
    except HostLost as exc:
        # A host that was killed cannot end its run: its flow run would stay Running in the UI.
        crashed = " (its flow run is marked Crashed)" if end_orphans(settings, request.request_id) else ""
        err.print(
            f"error: {exc}{crashed}; the request may have run (`q2o requests show {request.request_id}`)",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    if hosted is not None:
        return hosted
    open_ledger(settings)  # migrate and check the database before the flow starts
    from flows.generate_code import run_request

    return run_flow(run_request(request))


def no_provider_message(chain: list[str]) -> str:
    """What to set for the chain's providers, from their registry rows (keys, and base URLs that suffice)."""
    specs = [spec_for(p) for p in chain]
    keys = ", ".join(spec.key_hint for spec in specs)
    servers = [hint for hint in (spec.keyless_hint for spec in specs) if hint]
    return (
        f"no provider of the chain ({', '.join(chain)}) is configured: set {keys}"
        + "".join(f", or {hint}" for hint in servers)
        + " (or a Prefect Secret block q2o-PROVIDER-api-key)"
    )


def print_summary(result: CodeResult) -> None:
    """One line on stderr: where the code came from, its score and cost, the calls made, the request id."""
    from contracts import provider_calls

    cost = "unknown" if result.cost_usd is None else f"${result.cost_usd:.6f}"
    bindings = ", ".join(f"{slot}={name}" for slot, name in (result.bindings or {}).items())
    source = (
        f"template {result.template_id} (fit {result.match_score:.2f}{', ' if bindings else ''}"
        f"{terminal_safe(bindings)})"
        if result.source == "template"
        else f"cache (an exact repeat; the answer of {result.provider} {result.model})"
        if result.source == "cache"
        else f"{result.provider} {result.model}"
    )
    # soft_wrap: the terminal folds a long line; rich must not break it (a request id must stay whole).
    err.print(
        f"{source} · score {result.quality_score:.0f} · cost {cost} · "
        f"{len(provider_calls(result.attempts))} call(s) · request {result.request_id}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def print_failure(result: CodeResult) -> None:
    """Why the generation failed, on stderr: its error code, the reason in one line, the report files."""
    err.print(f"generation failed: {result.error}", markup=False)
    if result.error == "budget_exhausted":
        why = next((a.error for a in result.attempts if a.error_kind == "budget_exhausted"), None)
        err.print(
            f"{why or 'the budget is used up'}; see `q2o budget status`",  # why says how that scope lifts
            markup=False,
            soft_wrap=True,
        )
    else:  # the last real failure, in one line (the report has every attempt)
        from codegen.result import final_error_text

        why = final_error_text(result.attempts, result.error or "failed").removeprefix(f"{result.error}: ")
        err.print(f"why: {terminal_safe(why)}", markup=False, soft_wrap=True)
    for p in result.report_paths:
        err.print(f"report: {p}", markup=False)


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
