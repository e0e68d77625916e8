"""Load prompt templates (``*.j2`` beside this file) once and render them with StrictUndefined.

Prompts are plain text for an LLM, so autoescape is off here; report HTML has its own environment.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

PROMPT_DIR = Path(__file__).parent


@cache
def _environment() -> Environment:
    return Environment(  # noqa: S701 - prompts are text for an LLM, not HTML
        loader=FileSystemLoader(PROMPT_DIR),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_MARKER = re.compile(r"<<<(?=TASK|CODE|ISSUES)|(?<=TASK|CODE)>>>|(?<=ISSUES)>>>")


def untrusted(text: str) -> str:
    """``text`` with our delimiters broken up, so data can never close its block and pose as instructions."""
    return _MARKER.sub(lambda m: "<< <" if m.group().startswith("<") else "> >>", text)


def render_prompt(name: str, **context: object) -> str:
    """Render ``prompts/<name>.j2`` with ``context``."""
    return _environment().get_template(f"{name}.j2").render(**context).strip()


def generation_prompts(task: str, stack: list[str], agent: str, project: str) -> tuple[str, str]:
    """The (system, user) prompts for a code request; the task goes in as delimited, untrusted data."""
    context = {"task": untrusted(task), "stack": stack, "agent": agent, "project": project}
    return render_prompt("system", **context), render_prompt("generate", **context)


@cache
def prompts_version() -> str:
    """A digest of every prompt file: an answer made under other prompts is not the answer to this request."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(PROMPT_DIR.glob("*.j2")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
