"""Turn an LLM answer into files: one fenced block per file, each opened by a ``# file: PATH`` line.

Copes with prose around the blocks, a block without a path (a default name from the stack) and
several files; an unterminated block, no block at all or an unsafe path is ``InvalidOutput``.
"""

from __future__ import annotations

import posixpath
import re

from contracts import GeneratedFile
from providers.base import InvalidOutput

_FENCE = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)$")
_FILE_LINE = re.compile(r"^\s*(?:#|//|--|<!--|/\*)\s*file:\s*(?P<path>[^\s>*]+)\s*(?:-->|\*/)?\s*$", re.I)

_EXTENSIONS = {
    "python": "py",
    "py": "py",
    "typescript": "ts",
    "ts": "ts",
    "javascript": "js",
    "js": "js",
    "go": "go",
    "golang": "go",
    "rust": "rs",
    "java": "java",
    "sql": "sql",
    "yaml": "yaml",
    "yml": "yaml",
    "json": "json",
    "toml": "toml",
    "html": "html",
    "css": "css",
    "bash": "sh",
    "sh": "sh",
    "shell": "sh",
    "ruby": "rb",
    "php": "php",
    "csharp": "cs",
    "kotlin": "kt",
}


def default_extension(stack: list[str], info: str = "") -> str:
    """The file extension a block most likely has: the fence's language tag, else the stack's."""
    for word in [info.strip().lower(), *stack]:
        if word in _EXTENSIONS:
            return _EXTENSIONS[word]
    return "txt"


def _safe_path(path: str) -> str:
    path = path.strip().strip("`'\"")
    normal = posixpath.normpath(path.replace("\\", "/"))
    if normal.startswith(("/", "../")) or normal in ("..", ".", "") or re.match(r"^[A-Za-z]:", normal):
        raise InvalidOutput(f"unsafe file path in the answer: {path!r}")
    return normal


def parse_files(text: str, stack: list[str]) -> list[GeneratedFile]:
    """Extract the files of an answer; raise ``InvalidOutput`` when it holds no usable code."""
    lines = text.splitlines()
    files: list[GeneratedFile] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence, info = opening["fence"], opening["info"].strip()
        body: list[str] = []
        i += 1
        while i < len(lines):
            closing = _FENCE.match(lines[i])
            if (
                closing
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            body.append(lines[i])
            i += 1
        else:
            raise InvalidOutput("the answer ends inside an unterminated code block (truncated?)")
        i += 1
        files.append(_to_file(body, info, stack, len(files)))
    if not files:
        raise InvalidOutput("the answer holds no fenced code block")
    seen: set[str] = set()
    for f in files:
        if f.path in seen:
            raise InvalidOutput(f"the answer names {f.path!r} twice")
        seen.add(f.path)
    return files


def _to_file(body: list[str], info: str, stack: list[str], index: int) -> GeneratedFile:
    while body and not body[0].strip():
        body.pop(0)
    path = None
    if body and (found := _FILE_LINE.match(body[0])):
        path = _safe_path(found["path"])
        body = body[1:]
    if path is None:
        ext = default_extension(stack, info.split()[0] if info else "")
        path = f"main.{ext}" if index == 0 else f"main_{index + 1}.{ext}"
    content = "\n".join(body).strip("\n") + "\n"
    if not content.strip():
        raise InvalidOutput(f"the block for {path!r} is empty")
    return GeneratedFile(path=path, content=content)
