"""Prompt layers as use cases: the layers a request gets, the version its prompts are (the exact-repeat cache
keys on it), setting and resetting a layer (checked first, each change a new version), and what ``show`` and
``test`` print. The CLI (``q2o prompts``) and the ``set-prompt-layer`` flow both come here.
"""

from __future__ import annotations

import getpass
from collections.abc import Sequence

from pydantic import BaseModel, Field

from contracts import PROMPT_SCOPES, CodeRequest, PromptLayer, PromptScope, is_valid_name
from prompts.layers import LAYERED_PROMPTS, LayerError, check_layer, effective_parts, layer_diff
from prompts.registry import effective_version, generation_prompts, render_prompt, request_variables
from settings import Settings
from storage import Database, PromptLayerStore, open_database

SAMPLE_TASK = "CRUD API for Customer records"
MAX_AUTHOR_CHARS = 128


class PromptPart(BaseModel):
    block: str | None = Field(description="The block; None for a part only the system layer writes.")
    source: str = Field(description="Where it came from: system, or e.g. 'project acme v2 over system'.")
    text: str


class EffectivePrompt(BaseModel):
    """One prompt as a request of this agent, project and task type gets it."""

    prompt: str
    agent: str
    project: str
    task_type: str | None
    version: str = Field(description="The prompts' version a request of these names is cached under.")
    layers: list[PromptLayer]
    parts: list[PromptPart]


class LayerChange(BaseModel):
    """One version in a layer's history, with what changed since the one before."""

    layer: PromptLayer
    diff: str


def layer_targets(agent: str, project: str, task_type: str | None) -> list[tuple[PromptScope, str]]:
    """The (scope, target) of each layer that applies, lowest first."""
    targets: list[tuple[PromptScope, str]] = [("agent", agent), ("project", project)]
    return [*targets, ("task_type", task_type)] if task_type else targets


def layers_of(db: Database, agent: str, project: str, task_type: str | None) -> list[PromptLayer]:
    layers = PromptLayerStore(db).current(layer_targets(agent, project, task_type))
    return sorted(layers, key=lambda layer: (layer.prompt, PROMPT_SCOPES.index(layer.scope)))


def layers_for(settings: Settings, request: CodeRequest) -> list[PromptLayer]:
    """The layers in force for ``request``'s agent, project and task type, over every prompt."""
    return layers_of(open_database(settings.resolved_database_url), request.agent, request.project, request.task_type)


def prompt_version_for(settings: Settings, request: CodeRequest) -> str:
    """The version of the prompts ``request`` gets: an answer made under another is not its answer."""
    return effective_version(layers_for(settings, request))


def generation_prompts_for(settings: Settings, request: CodeRequest, refused: Sequence[str] = ()) -> tuple[str, str]:
    """The (system, user) prompts of ``request``, its layers applied (``refused``: ``generation_prompts``)."""
    return generation_prompts(request, layers_for(settings, request), refused)


def default_author() -> str:
    """Who changes a layer when no ``--by`` says: the OS user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return "unknown"


def _check_names(prompt: str, scope: str, target: str, author: str | None = None) -> None:
    if prompt not in LAYERED_PROMPTS:
        raise LayerError(f"unknown prompt {prompt!r}; choose from {', '.join(LAYERED_PROMPTS)}")
    if scope not in PROMPT_SCOPES:
        raise LayerError(f"unknown layer {scope!r}; choose from {', '.join(PROMPT_SCOPES)}")
    if not is_valid_name(target):
        raise LayerError(f"{target!r} is not a valid {scope} name (letters, digits, '.', '_', '-'; 1-64 chars)")
    if author is not None and not (author.strip() and len(author) <= MAX_AUTHOR_CHARS):
        raise LayerError(f"who made the change: 1-{MAX_AUTHOR_CHARS} characters")


def set_layer(db: Database, prompt: str, scope: PromptScope, target: str, text: str, author: str) -> PromptLayer | None:
    """Store ``text`` as the next version of a layer, after checking it; None when it says what is in force."""
    _check_names(prompt, scope, target, author)
    check_layer(prompt, text)
    store = PromptLayerStore(db)
    latest = store.latest(prompt, scope, target)
    if latest is not None and latest.text == text:
        return None
    return store.add_version(prompt, scope, target, text, author.strip())


def reset_layer(db: Database, prompt: str, scope: PromptScope, target: str, author: str) -> PromptLayer:
    """Remove a layer, as a new version without text (the history keeps what it said)."""
    _check_names(prompt, scope, target, author)
    store = PromptLayerStore(db)
    latest = store.latest(prompt, scope, target)
    if latest is None or latest.text is None:
        raise LayerError(f"no {scope.replace('_', '-')} layer {target} over the {prompt} prompt to reset")
    return store.add_version(prompt, scope, target, None, author.strip())


def layer_history(db: Database, prompt: str, scope: PromptScope | None, target: str | None) -> list[LayerChange]:
    """Every version of ``prompt``'s layers (one layer's when named), oldest first, each with its diff."""
    if prompt not in LAYERED_PROMPTS:
        raise LayerError(f"unknown prompt {prompt!r}; choose from {', '.join(LAYERED_PROMPTS)}")
    changes: list[LayerChange] = []
    before: dict[tuple[str, str], PromptLayer] = {}
    for layer in PromptLayerStore(db).history(prompt, scope, target):
        previous = before.get((layer.scope, layer.target))
        old = f"v{previous.version}" if previous else "(none)"
        diff = layer_diff(previous.text if previous else None, layer.text, old=old, new=f"v{layer.version}")
        changes.append(LayerChange(layer=layer, diff=diff))
        before[(layer.scope, layer.target)] = layer
    return changes


def effective_prompt(db: Database, prompt: str, agent: str, project: str, task_type: str | None) -> EffectivePrompt:
    """``prompt`` as a request of these names gets it: each part with the layer it came from."""
    if prompt not in LAYERED_PROMPTS:
        raise LayerError(f"unknown prompt {prompt!r}; choose from {', '.join(LAYERED_PROMPTS)}")
    for scope, target in layer_targets(agent, project, task_type):
        _check_names(prompt, scope, target)
    every = layers_of(db, agent, project, task_type)
    mine = [layer for layer in every if layer.prompt == prompt]
    return EffectivePrompt(
        prompt=prompt,
        agent=agent,
        project=project,
        task_type=task_type,
        version=effective_version(every),
        layers=mine,
        parts=[PromptPart(block=b, source=s, text=t) for b, s, t in effective_parts(prompt, mine)],
    )


def sample_prompts(request: CodeRequest, layers: Sequence[PromptLayer], prompts: Sequence[str]) -> dict[str, str]:
    """``prompts`` rendered for ``request`` under ``layers``, with sample code and issues where a prompt needs
    them; no provider is called."""
    variables = {
        **request_variables(request),
        "code": "# file: app/main.py\n# (the code under review goes here)",
        "issues": [{"severity": "medium", "line": 1, "description": "(an issue the reviewer found goes here)"}],
    }
    return {name: render_prompt(name, variables, layers) for name in prompts}
