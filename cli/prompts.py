"""``q2o prompts``: the prompts in layers (system < agent < project < task type): list, show, set, reset,
history and test. Layers are checked before they are stored; each change is a new version."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cli.console import cli_settings, configured_database, fail_usage, out, terminal_safe
from settings import UsageError

if TYPE_CHECKING:
    from contracts import PromptLayer, PromptScope

app = typer.Typer(help="Prompts in layers: system defaults < agent < project < task type.", no_args_is_help=True)

PromptName = Annotated[str, typer.Argument(help="system, generate, repair, review_system or review.")]
AgentOption = Annotated[str | None, typer.Option("--agent", help="The agent's layer.")]
ProjectOption = Annotated[str | None, typer.Option("--project", help="The project's layer.")]
TaskTypeOption = Annotated[str | None, typer.Option("--task-type", help="The task type's layer.")]
ByOption = Annotated[str | None, typer.Option("--by", help="Who makes the change (default: the OS user).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@contextmanager
def _usage_errors() -> Iterator[None]:
    try:
        yield
    except UsageError as exc:
        raise fail_usage(str(exc)) from None


def _one_layer(agent: str | None, project: str | None, task_type: str | None) -> tuple[PromptScope, str]:
    given: list[tuple[PromptScope, str | None]] = [("agent", agent), ("project", project), ("task_type", task_type)]
    named = [(scope, target) for scope, target in given if target is not None]
    if len(named) != 1:
        raise fail_usage("name one layer: --agent A, --project P or --task-type T")
    return named[0]


def _layer_json(layer: PromptLayer) -> dict:
    return layer.model_dump(mode="json")


@app.command("list")
def prompts_list(as_json: JsonOption = False) -> None:
    """The prompts with their blocks, and every layer in force."""
    from prompts.layers import LAYER_VARIABLES, LAYERED_PROMPTS, editable_blocks
    from storage import PromptLayerStore

    layers = PromptLayerStore(configured_database(cli_settings())).current()
    blocks = {name: editable_blocks(name) for name in LAYERED_PROMPTS}
    if as_json:
        payload = {"prompts": blocks, "variables": LAYER_VARIABLES, "layers": [_layer_json(x) for x in layers]}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    for name, names in blocks.items():
        out.print(f"[bold]{name}[/bold]: blocks {', '.join(names)}", highlight=False)
    if not layers:
        out.print("no layer is set: every request gets the system prompts (prompts/*.j2)", markup=False)
        return
    table = Table("prompt", "layer", "version", "by", "when (UTC)", "chars", box=None, header_style="bold")
    for layer in layers:
        when = layer.created_at.strftime("%Y-%m-%d %H:%M") if layer.created_at else ""
        table.add_row(
            layer.prompt,
            terminal_safe(f"{layer.scope.replace('_', '-')} {layer.target}"),
            str(layer.version),
            terminal_safe(layer.author),
            when,
            str(len(layer.text or "")),
        )
    out.print(table)


@app.command("show")
def prompts_show(
    name: Annotated[str | None, typer.Argument(help="One prompt (default: every one).")] = None,
    agent: Annotated[str, typer.Option(help="The asking agent.")] = "coder",
    project: Annotated[str, typer.Option(help="The project.")] = "default",
    task_type: TaskTypeOption = None,
    as_json: JsonOption = False,
) -> None:
    """The effective prompt a request of this agent, project and task type gets, each part with its layer."""
    from codegen.prompt_layers import effective_prompt
    from prompts.layers import LAYERED_PROMPTS

    db = configured_database(cli_settings())
    with _usage_errors():
        shown = [effective_prompt(db, n, agent, project, task_type) for n in ([name] if name else LAYERED_PROMPTS)]
    if as_json:
        sys.stdout.write(json.dumps([p.model_dump(mode="json") for p in shown], indent=2) + "\n")
        return
    for prompt in shown:
        layers = ", ".join(layer.source for layer in prompt.layers) or "none"
        out.rule(f"{prompt.prompt} (layers: {terminal_safe(layers)})", style="bold")
        for part in prompt.parts:
            label = f"[{part.block}] from {part.source}" if part.block else f"from {part.source}"
            out.print(terminal_safe(label), style="dim", markup=False, highlight=False)
            out.print(terminal_safe(part.text), markup=False, highlight=False, soft_wrap=True)


def _read_text(file: Path | None, text: str | None) -> str:
    if (file is None) == (text is None):
        raise fail_usage("give the layer's text with one of --file F or --text T")
    if text is not None:
        return text
    assert file is not None
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail_usage(f"--file: cannot read {file} ({type(exc).__name__}: {exc})") from None


@app.command("set")
def prompts_set(
    name: PromptName,
    agent: AgentOption = None,
    project: ProjectOption = None,
    task_type: TaskTypeOption = None,
    file: Annotated[Path | None, typer.Option("--file", help="A file of {% block %} definitions.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="The {% block %} definitions.")] = None,
    by: ByOption = None,
) -> None:
    """Set a layer over a prompt: {% block NAME %} ... {% endblock %} definitions, checked before they are stored."""
    from codegen.prompt_layers import default_author, set_layer

    scope, target = _one_layer(agent, project, task_type)
    body = _read_text(file, text)
    with _usage_errors():
        layer = set_layer(configured_database(cli_settings()), name, scope, target, body, by or default_author())
    if layer is None:
        out.print(f"unchanged: the {scope.replace('_', '-')} {target} layer of {name} already says this", markup=False)
        return
    out.print(f"{name}: {terminal_safe(layer.source)} set by {terminal_safe(layer.author)}", markup=False)


@app.command("reset")
def prompts_reset(
    name: PromptName,
    agent: AgentOption = None,
    project: ProjectOption = None,
    task_type: TaskTypeOption = None,
    by: ByOption = None,
) -> None:
    """Remove a layer (a new version without text: the history keeps what it said)."""
    from codegen.prompt_layers import default_author, reset_layer

    scope, target = _one_layer(agent, project, task_type)
    with _usage_errors():
        layer = reset_layer(configured_database(cli_settings()), name, scope, target, by or default_author())
    out.print(f"{name}: {terminal_safe(layer.source)} removed by {terminal_safe(layer.author)}", markup=False)


@app.command("history")
def prompts_history(
    name: PromptName,
    agent: AgentOption = None,
    project: ProjectOption = None,
    task_type: TaskTypeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every version of a prompt's layers (one layer's when named): who, when, and the diff."""
    from codegen.prompt_layers import layer_history

    scope, target = _one_layer(agent, project, task_type) if (agent or project or task_type) else (None, None)
    with _usage_errors():
        changes = layer_history(configured_database(cli_settings()), name, scope, target)
    if as_json:
        sys.stdout.write(json.dumps([c.model_dump(mode="json") for c in changes], indent=2) + "\n")
        return
    if not changes:
        out.print(f"no layer of {name} was ever set", markup=False)
        return
    for change in changes:
        layer = change.layer
        when = layer.created_at.strftime("%Y-%m-%d %H:%M:%S UTC") if layer.created_at else ""
        what = "removed" if layer.text is None else "set"
        out.print(f"{layer.source} {what} by {terminal_safe(layer.author)} at {when}", style="bold", markup=False)
        out.print(terminal_safe(change.diff.rstrip("\n")), markup=False, highlight=False, soft_wrap=True)


@app.command("test")
def prompts_test(
    name: Annotated[str | None, typer.Argument(help="One prompt (default: system and generate).")] = None,
    agent: Annotated[str, typer.Option(help="The asking agent.")] = "coder",
    project: Annotated[str, typer.Option(help="The project.")] = "default",
    task_type: TaskTypeOption = None,
    task: Annotated[str | None, typer.Option(help="The sample task (default: a CRUD API).")] = None,
    stack: Annotated[str, typer.Option(help="The sample stack.")] = "python,fastapi",
    instructions: Annotated[str, typer.Option(help="The request's custom instructions.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Render the prompts for a sample task under the layers in force; no provider is called."""
    from pydantic import ValidationError

    from cli.options import first_error
    from codegen.prompt_layers import SAMPLE_TASK, layers_of, sample_prompts
    from contracts import CodeRequest
    from prompts.layers import LAYERED_PROMPTS

    try:
        request = CodeRequest.model_validate(
            {
                "task": task or SAMPLE_TASK,
                "stack": stack,
                "agent": agent,
                "project": project,
                "task_type": task_type,
                "custom_instructions": instructions,
            }
        )
    except ValidationError as exc:
        field, message = first_error(exc)
        raise fail_usage(f"{field}: {message}") from None
    if name is not None and name not in LAYERED_PROMPTS:
        raise fail_usage(f"unknown prompt {name!r}; choose from {', '.join(LAYERED_PROMPTS)}")
    layers = layers_of(configured_database(cli_settings()), request.agent, request.project, request.task_type)
    with _usage_errors():
        rendered = sample_prompts(request, layers, [name] if name else ["system", "generate"])
    if as_json:
        sys.stdout.write(json.dumps(rendered, indent=2) + "\n")
        return
    for prompt, text in rendered.items():
        out.rule(prompt, style="bold")
        out.print(terminal_safe(text), markup=False, highlight=False, soft_wrap=True)
