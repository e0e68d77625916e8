"""Prompts in layers: the shipped ``<name>.j2`` is the system layer; an agent, a project or a task-type layer
overrides named blocks of it (Jinja2 ``{% block %}`` under ``{% extends %}``), so each part of the effective
prompt comes from exactly one layer, or from several when a block keeps the one below with ``{{ super() }}``.

What lies outside the blocks only the system layer writes: the task (and the code, the issues) between their
markers as untrusted data, the rules that say so, the answer format. A layer is checked before it is stored
and again before it is rendered, and every render is checked to still hold each delimited block once.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import FunctionLoader, StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from contracts import PROMPT_SCOPES, PromptLayer
from settings import UsageError

PROMPT_DIR = Path(__file__).parent
LAYERED_PROMPTS = ("system", "generate", "repair", "review_system", "review")
# What a layer may write in its blocks (the plan's variables, and who is asking).
LAYER_VARIABLES: dict[str, str] = {
    "tech_stack": "the stack, comma-separated (python, fastapi)",
    "agent": "the asking agent",
    "project": "the project",
    "task_type": "the task type the request names ('' when none)",
    "custom_instructions": "the request's own instructions ('' when none)",
    "requirements": "the request's requirements ('' when none)",
    "research_context": "the request's research notes ('' when none)",
    "project_context": "the request's project context ('' when none)",
}
# What only the system part places, between its markers.
PROTECTED_VARIABLES = ("task_description", "code", "issues", "refused_findings")
MARKED = ("TASK", "CODE", "ISSUES")
_MARKER_TEXT = re.compile(r"<<<\s*(?:TASK|CODE|ISSUES)|(?:TASK|CODE|ISSUES)\s*>>>", re.I)
_BLOCK = re.compile(r"\{%-?\s*block\s+(\w+)\s*-?%\}(.*?)\{%-?\s*endblock(?:\s+\w+)?\s*-?%\}", re.S)
_SUPER = re.compile(r"\{\{-?\s*super\(\)\s*-?\}\}")
# A render for checking a layer: every variable a prompt may use, with plain sample values.
SAMPLE_CONTEXT: dict[str, object] = {
    **{name: "" for name in LAYER_VARIABLES},
    "tech_stack": "python, fastapi",
    "agent": "coder",
    "project": "default",
    "task_description": "CRUD API for Customer records",
    "code": "# file: app/main.py\nprint('hello')",
    "issues": [{"severity": "low", "line": 1, "description": "no docstring"}],
    "refused_findings": ["medium B310 at app/main.py:1 (urlopen of a variable URL)"],
}


class LayerError(UsageError):
    """A layer that cannot be stored or rendered, with what to change (one line, exit 2 at the CLI)."""


_sources: dict[str, str] = {}  # "layer/<digest>" -> its template source; content-addressed, so never stale


def _load(name: str) -> tuple[str, str | None, object] | None:
    if name.startswith("system/"):
        path = PROMPT_DIR / f"{name.removeprefix('system/')}.j2"
        if not path.is_file():
            return None
        mtime = path.stat().st_mtime
        return path.read_text(encoding="utf-8"), str(path), lambda: path.stat().st_mtime == mtime
    source = _sources.get(name)
    return None if source is None else (source, None, lambda: True)


@cache
def environment() -> SandboxedEnvironment:
    """One sandboxed environment (a layer is text from an admin, so it gets no attribute tricks)."""
    return SandboxedEnvironment(  # noqa: S701 - prompts are text for an LLM, not HTML
        loader=FunctionLoader(_load),  # type: ignore[arg-type]
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def system_source(prompt: str) -> str:
    if prompt not in LAYERED_PROMPTS:
        raise LayerError(f"unknown prompt {prompt!r}; choose from {', '.join(LAYERED_PROMPTS)}")
    return (PROMPT_DIR / f"{prompt}.j2").read_text(encoding="utf-8")


def editable_blocks(prompt: str) -> list[str]:
    """The blocks of ``prompt`` a layer may override, in the order they appear."""
    return [m[1] for m in _BLOCK.finditer(system_source(prompt))]


@lru_cache(maxsize=512)
def checked_blocks(prompt: str, text: str) -> str:
    """``text`` as a child template's blocks (each body on its own lines), or a ``LayerError`` saying why not.

    The static checks: only block definitions, of blocks ``prompt`` has, using known variables, never the
    task, the code or the markers, and no extends, include or import.
    """
    blocks = editable_blocks(prompt)
    if not text.strip():
        raise LayerError("the layer is empty; `q2o prompts reset` removes a layer")
    marker = _MARKER_TEXT.search(text)
    if marker:
        raise LayerError(
            f"a layer may not write the marker {marker.group()!r}: only the system part delimits the task and the code"
        )
    try:
        tree = environment().parse(text)
    except TemplateSyntaxError as exc:
        raise LayerError(f"line {exc.lineno}: {exc.message}") from None
    for kind in (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport):
        found = tree.find(kind)
        if found is not None:
            raise LayerError(f"line {found.lineno}: a layer may not use {kind.__name__.lower()}; it overrides blocks")
    for node in tree.body:
        blank = isinstance(node, nodes.Output) and all(
            isinstance(n, nodes.TemplateData) and not n.data.strip() for n in node.nodes
        )
        if not (isinstance(node, nodes.Block) or blank):
            raise LayerError(
                f"line {node.lineno}: a layer holds only {{% block NAME %}} ... {{% endblock %}} definitions "
                f"(blocks of {prompt}: {', '.join(blocks)}); text outside a block has no place"
            )
    top = [b for b in tree.body if isinstance(b, nodes.Block)]
    if not top:
        raise LayerError(f"the layer defines no block; {prompt} has {', '.join(blocks)}")
    if len(list(tree.find_all(nodes.Block))) != len(top):
        raise LayerError("blocks do not nest in a layer")
    for block in top:
        if block.name not in blocks:
            raise LayerError(
                f"line {block.lineno}: {prompt} has no block {block.name!r}; its blocks: {', '.join(blocks)}"
            )
        if block.scoped or block.required:
            raise LayerError(f"line {block.lineno}: block {block.name}: no 'scoped' or 'required' in a layer")
    used = meta.find_undeclared_variables(tree)
    protected = sorted(used & set(PROTECTED_VARIABLES))
    if protected:
        raise LayerError(
            f"a layer may not place {{{{ {protected[0]} }}}}: the system part inserts the task and the code "
            "between their markers, as untrusted data"
        )
    unknown = sorted(used - set(LAYER_VARIABLES))
    if unknown:
        raise LayerError(f"unknown variable {', '.join(unknown)}; a layer may use {', '.join(LAYER_VARIABLES)}")
    found_blocks = _BLOCK.findall(text)
    if [name for name, _ in found_blocks] != [b.name for b in top]:
        raise LayerError("write each block as {% block NAME %} ... {% endblock %}")
    # Each body on lines of its own, so a one-line override still ends its line (trim_blocks eats the newline
    # after a tag); an empty body removes the block's text.
    return "".join(
        f"{{% block {name} %}}\n{body.strip()}\n{{% endblock %}}\n"
        if body.strip()
        else f"{{% block {name} %}}{{% endblock %}}\n"
        for name, body in found_blocks
    )


def check_layer(prompt: str, text: str) -> None:
    """Raise ``LayerError`` unless ``text`` is a layer of ``prompt`` that renders with the known variables."""
    layer = PromptLayer(prompt=prompt, scope="agent", target="check", version=0, text=text, author="check")
    render(prompt, SAMPLE_CONTEXT, [layer])


def _template_name(prompt: str, texts: Sequence[str]) -> str:
    name = f"system/{prompt}"
    for text in texts:
        child = f'{{% extends "{name}" %}}\n{checked_blocks(prompt, text)}'
        name = "layer/" + hashlib.sha256(child.encode()).hexdigest()[:32]
        _sources.setdefault(name, child)
    return name


def applying(prompt: str, layers: Sequence[PromptLayer]) -> list[PromptLayer]:
    """The layers of ``layers`` over ``prompt``, lowest first (agent < project < task type)."""
    mine = [layer for layer in layers if layer.prompt == prompt and layer.text is not None]
    return sorted(mine, key=lambda layer: PROMPT_SCOPES.index(layer.scope))


def render(prompt: str, context: Mapping[str, object], layers: Sequence[PromptLayer] = ()) -> str:
    """``prompt`` with ``layers`` over its system file, rendered with ``context``; each delimited block checked."""
    texts = [layer.text for layer in applying(prompt, layers) if layer.text is not None]
    name = _template_name(prompt, texts) if texts else f"system/{prompt}"
    try:
        text = environment().get_template(name).render(**context).strip()
    except LayerError:
        raise
    except TemplateError as exc:
        if not texts:
            raise  # a bug of ours (a caller without a variable), not a layer's
        raise LayerError(f"the {prompt} prompt does not render with its layers: {exc}") from None
    if texts:
        _check_delimited(prompt, text, context)
    return text


def _check_delimited(prompt: str, text: str, context: Mapping[str, object]) -> None:
    """Each block the system file delimits is still there once, in order; the task between its markers."""
    lines = text.splitlines()
    source = system_source(prompt)
    for mark in MARKED:
        if f"<<<{mark}" not in source:
            continue
        opened, closed = f"<<<{mark}", f"{mark}>>>"
        if lines.count(opened) != 1 or lines.count(closed) != 1 or lines.index(opened) > lines.index(closed):
            raise LayerError(f"a layer of the {prompt} prompt broke its delimited {mark} block")
    if "<<<TASK" in source and "task_description" in context:
        inside = "\n".join(lines[lines.index("<<<TASK") + 1 : lines.index("TASK>>>")])
        if inside.strip() != str(context["task_description"]).strip():
            raise LayerError(f"a layer of the {prompt} prompt put text inside the delimited task")


def layers_digest(layers: Sequence[PromptLayer]) -> str:
    """A digest of what ``layers`` say (not who set them or when): the same texts, the same prompts."""
    digest = hashlib.sha256()
    for layer in sorted(
        (x for x in layers if x.text is not None), key=lambda x: (x.prompt, PROMPT_SCOPES.index(x.scope), x.target)
    ):
        for part in (layer.prompt, layer.scope, layer.target, layer.text or ""):
            digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:16]


def effective_parts(prompt: str, layers: Sequence[PromptLayer]) -> list[tuple[str | None, str, str]]:
    """The effective template of ``prompt`` as (block or None for a fixed part, source, text) parts.

    A block that keeps the one below with ``{{ super() }}`` shows it in place and names both sources.
    """
    source = system_source(prompt)
    mine = applying(prompt, layers)
    parts: list[tuple[str | None, str, str]] = []
    position = 0
    for match in _BLOCK.finditer(source):
        fixed = source[position : match.start()].strip("\n")
        if fixed.strip():
            parts.append((None, "system (fixed)", fixed))
        body, sources = match[2].strip("\n"), ["system"]
        for layer in mine:
            over = dict(_BLOCK.findall(layer.text or ""))
            if match[1] in over:
                new = over[match[1]].strip()
                keeps = bool(_SUPER.search(new))
                body = body.join(_SUPER.split(new)) if keeps else new
                sources = [layer.source, *sources] if keeps else [layer.source]
        parts.append((match[1], " over ".join(sources), body))
        position = match.end()
    rest = source[position:].strip("\n")
    if rest.strip():
        parts.append((None, "system (fixed)", rest))
    return parts


def layer_diff(before: str | None, after: str | None, *, old: str, new: str) -> str:
    """A unified diff between two versions of a layer (a removed layer is empty)."""
    lines = difflib.unified_diff(
        (before or "").splitlines(keepends=True), (after or "").splitlines(keepends=True), old, new
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
