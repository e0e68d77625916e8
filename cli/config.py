"""``q2o config``: every runtime knob, its effective value and where it came from; set and unset overrides.

Overrides are stored in Prefect Variables (``tasks/config.py``), where every worker and the Prefect UI see them;
the monthly budget is the database row ``q2o budget set`` writes. The next run reads the new value.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Column, Table

import flows  # noqa: F401 - its defaults for the embedded Prefect server this command may start
from cli.console import cli_settings, configured_database, fail_usage, out, run_flow
from settings import UsageError

app = typer.Typer(help="The runtime knobs: show them, set or unset an override.", no_args_is_help=True)

AgentOption = Annotated[str | None, typer.Option("--agent", help="The override of this agent.")]
ProjectOption = Annotated[str | None, typer.Option("--project", help="The override of this project.")]


def _scope(agent: str | None, project: str | None) -> tuple[Any, str | None]:
    """``("agent", name)``, ``("project", name)`` or ``("system", None)``; a name is checked like a request's."""
    if agent is not None and project is not None:
        raise fail_usage("give --agent or --project, not both")
    from pydantic import ValidationError

    from contracts import CodeRequest

    for scope, name in (("agent", agent), ("project", project)):
        if name is not None:
            try:
                checked = CodeRequest.model_validate({"task": "-", "stack": "-", scope: name})
            except ValidationError as exc:
                raise fail_usage(f"--{scope}: {str(exc.errors()[0]['msg']).removeprefix('Value error, ')}") from None
            return scope, str(getattr(checked, scope))
    return "system", None


def _text(value: object) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value:g}" if isinstance(value, float) else str(value)


@app.command("show")
def show(
    agent: AgentOption = None,
    project: ProjectOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Each knob's effective value (for an agent's or a project's requests with --agent / --project) and its
    source: default, env, .env, stored, or the system, agent or project override."""
    _scope(agent, project)
    from settings import environment_settings
    from settings.overlay import explain
    from storage import BudgetStore
    from tasks.config import VARIABLES, read_overlay, secret_block_names

    settings = cli_settings()
    stored_budget = BudgetStore(configured_database(settings)).stored_budget()

    async def read() -> tuple[Any, dict[str, str]]:
        return await read_overlay(), await secret_block_names()

    overlay, blocks = run_flow(read())
    try:
        knobs, keys = explain(
            environment_settings(), overlay, agent, project, stored_budget=stored_budget, secret_blocks=blocks
        )
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    if as_json:
        document = {
            "agent": agent,
            "project": project,
            "knobs": [k.model_dump(mode="json") for k in knobs],
            "keys": [k.model_dump(mode="json") for k in keys],
            "variables": VARIABLES,
        }
        sys.stdout.write(json.dumps(document) + "\n")
        return
    table = Table(Column("key"), Column("value", overflow="fold"), Column("source"), box=None, header_style="bold")
    for knob in knobs:
        table.add_row(knob.key, _text(knob.value), knob.source)
    for key in keys:
        table.add_row(f"{key.provider} key", "set" if key.source != "unset" else "-", key.source)
    if agent or project:
        out.print(f"effective for {'agent ' + agent if agent else 'project ' + str(project)}", markup=False)
    out.print(table)


# ignore_unknown_options: a negative value (-5) reaches the knob's own check instead of Click's "No such option".
@app.command("set", context_settings={"ignore_unknown_options": True})
def set_knob(
    key: Annotated[str, typer.Argument(help="A knob, e.g. chain, min_quality, openai_enabled.")],
    value: Annotated[str, typer.Argument(help="Its value: chain 'gemini:gemini-2.5-pro,openai', true, 90, none.")],
    agent: AgentOption = None,
    project: ProjectOption = None,
) -> None:
    """Store an override of KEY (for one agent or project with --agent / --project); the next run uses it."""
    scope, name = _scope(agent, project)
    key = key.strip().lower()
    from settings.overlay import IN_DATABASE, check_knob
    from tasks.config import store_knob

    try:
        if key in IN_DATABASE:
            stored = check_knob(key, value, scope)
            _set_budget(stored)
        else:
            stored = run_flow(store_knob(key, value, scope, name))
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    where = f" for {scope} {name}" if name else ""
    out.print(f"{key} set to {_text(stored)}{where}", markup=False)


@app.command("unset")
def unset_knob(
    key: Annotated[str, typer.Argument(help="The knob whose override to remove.")],
    agent: AgentOption = None,
    project: ProjectOption = None,
) -> None:
    """Remove an override of KEY; the scope below (or the environment) gives its value again."""
    scope, name = _scope(agent, project)
    key = key.strip().lower()
    from settings.overlay import IN_DATABASE, KNOBS
    from tasks.config import store_knob

    if key not in KNOBS:
        raise fail_usage(f"unknown key {key!r}; the keys are: {', '.join(KNOBS)}")
    if key in IN_DATABASE:
        raise fail_usage(f"{key} is stored in the database; change it with `q2o config set {key} AMOUNT`")
    try:
        run_flow(store_knob(key, None, scope, name))
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    where = f" for {scope} {name}" if name else ""
    out.print(f"{key} override removed{where}", markup=False)


def _set_budget(amount: float) -> None:
    from storage import BudgetStore

    BudgetStore(configured_database(cli_settings())).set_budget(amount)
