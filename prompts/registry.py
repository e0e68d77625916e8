"""Render the prompts: each ``*.j2`` beside this file is a prompt's system layer, with StrictUndefined; the
layers an agent, a project or a task type set over it are applied by ``prompts.layers``.

Prompts are plain text for an LLM, so autoescape is off here; report HTML has its own environment.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from functools import cache

from contracts import CodeRequest, PromptLayer
from prompts import layers as _layers

_MARKER = re.compile(r"<<<(?=TASK|CODE|ISSUES)|(?<=TASK|CODE)>>>|(?<=ISSUES)>>>")


def untrusted(text: str) -> str:
    """``text`` with our delimiters broken up, so data can never close its block and pose as instructions."""
    return _MARKER.sub(lambda m: "<< <" if m.group().startswith("<") else "> >>", text)


def render_prompt(name: str, context: Mapping[str, object], layers: Sequence[PromptLayer] = ()) -> str:
    """Render the ``name`` prompt with ``context``, under the ``layers`` that apply to it."""
    return _layers.render(name, context, layers)


def base_variables(task: str, stack: Sequence[str], agent: str = "", project: str = "") -> dict[str, object]:
    """The variables every prompt gets; the task as delimited, untrusted data, the request's extras empty."""
    return {
        **{name: "" for name in _layers.LAYER_VARIABLES},
        "tech_stack": ", ".join(stack),
        "agent": agent,
        "project": project,
        "task_description": untrusted(task),
        "refused_findings": [],  # generate only: why static validation refused an earlier answer (none yet)
    }


def request_variables(request: CodeRequest) -> dict[str, object]:
    """The variables of ``request``'s prompts: what it names, each text of the agent's made safe to delimit."""
    return {
        **base_variables(request.task, request.stack, request.agent, request.project),
        "task_type": request.task_type or "",
        "custom_instructions": untrusted(request.custom_instructions),
        "requirements": untrusted(request.requirements),
        "research_context": untrusted(request.research_context),
        "project_context": untrusted(request.project_context),
    }


def generation_prompts(
    request: CodeRequest, layers: Sequence[PromptLayer] = (), refused: Sequence[str] = ()
) -> tuple[str, str]:
    """The (system, user) prompts for a code request; the task goes in as delimited, untrusted data.

    ``refused``: the static findings for which an earlier answer to this request was refused (each a line made
    from that answer, so untrusted too): the next attempt is told what not to repeat."""
    variables = {**request_variables(request), "refused_findings": [untrusted(f) for f in refused]}
    return render_prompt("system", variables, layers), render_prompt("generate", variables, layers)


@cache
def prompts_version() -> str:
    """A digest of every prompt file: an answer made under other prompts is not the answer to this request."""
    digest = hashlib.sha256()
    for path in sorted(_layers.PROMPT_DIR.glob("*.j2")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def effective_version(layers: Sequence[PromptLayer]) -> str:
    """The version of the prompts a request gets: the prompt files and what its layers say."""
    return f"{prompts_version()}-{_layers.layers_digest(layers)}"
