"""Where a template's slot may stand in code: the names the code defines itself, never names it takes from elsewhere.

Every identifier occurrence of a Python file is read from its syntax tree and classed: *internal* (classes,
functions, variables, parameters and attributes the code defines, names imported from the project's own
modules) or *external* (imported library names and modules, builtins, attributes of objects the code did not
define, keyword arguments of library calls, class-body names that override a library base). An identifier is
slot-eligible only when every one of its occurrences is internal, so renaming is consistent or not done at all.
Text sites (string literals, comments, docstrings) are read by ``learning.literals``.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.util
import keyword
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

_BUILTINS = frozenset(dir(builtins))
_KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"self", "cls"}


@lru_cache(maxsize=1024)
def is_library_module(top: str) -> bool:
    """A top-level module of the standard library or installed in this environment (not the project's own)."""
    if top in sys.stdlib_module_names:
        return True
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False


@dataclass
class CodeNames:
    """The identifier occurrences of one Python file: (start, end) character spans with their names."""

    text: str = ""
    internal: list[tuple[int, int, str]] = field(default_factory=list)
    external: list[tuple[int, int, str]] = field(default_factory=list)
    # Attributes of objects whose kind the code does not show (``self.service.list_invoices``: neither defined
    # here nor of a library module): whose they are, and so whether a new name must rename them, is unknown.
    opaque: set[str] = field(default_factory=set)

    @cached_property
    def eligible(self) -> frozenset[str]:
        """Identifier strings whose every occurrence is internal: an identifier token the syntax tree did not
        place (an unseen position) is never eligible. Read on demand: a render check needs only the classes."""
        seen = {(s, e) for s, e, _ in self.internal} | {(s, e) for s, e, _ in self.external}
        unseen = {m.group() for m in _code_identifiers(self.text) if (m.start(), m.end()) not in seen}
        bad = {n for *_, n in self.external} | unseen | _KEYWORDS | _BUILTINS
        return frozenset(n for *_, n in self.internal if n not in bad and not n.startswith("__"))

    def external_names(self) -> list[str]:
        return [name for *_, name in sorted(self.external)]

    def internal_names(self) -> set[str]:
        return {name for *_, name in self.internal}


class _Offsets:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.ascii = [line.isascii() for line in self.lines]

    def at(self, lineno: int, col: int) -> int:
        """Character offset of (1-based line, UTF-8 byte column), as ``ast`` reports positions."""
        if lineno - 1 >= len(self.lines):
            return self.starts[lineno - 1]  # the end of the text
        if self.ascii[lineno - 1]:
            return self.starts[lineno - 1] + col
        line = self.lines[lineno - 1]
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8", errors="replace"))


def _resolve(dotted: str) -> object | None:
    """The library object a dotted name denotes (``sqlalchemy.orm.DeclarativeBase``), or None if unknown."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except Exception:  # noqa: BLE001, S112 - any import failure means "cannot tell"
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr, None)
            if obj is None:
                return None
        return obj
    return None


class _Reader:
    """One pass to learn bindings, one to class every occurrence."""

    def __init__(self, text: str, tree: ast.Module, shipped: frozenset[str]) -> None:
        self.text = text
        self.tree = tree
        self.shipped = shipped  # top-level modules the generated files themselves are
        self.unknown_modules: set[str] = set()  # names bound to modules neither installed nor shipped
        self.offsets = _Offsets(text)
        self.library: dict[str, str] = {}  # name bound by a library import -> dotted origin
        self.local_imports: set[str] = set()
        self.defined: set[str] = set()
        self.functions: set[str] = set()
        self.classes: dict[str, ast.ClassDef] = {}
        self.attrs: set[str] = set()  # attributes the code defines on its own classes
        self.override: set[str] = set()  # class-body names that belong to a library base
        self.bound_args: set[str] = set()  # parameters a library reads by name (``x_signature = Header()``)
        # names the code declares to a call as its first argument, spelled whole (``add_argument("order_id")``):
        # an attribute of that name (``args.order_id``) is the code's own, renamed with the string
        self.declared: set[str] = set()
        self.out = CodeNames(text=text)
        self.nodes = list(ast.walk(tree))

    # --- bindings ------------------------------------------------------------------------------------------
    def bind(self) -> None:
        for node in self.nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".")[0]
                    bound = alias.asname or top
                    if is_library_module(top):
                        self.library[bound] = alias.name if alias.asname else top
                    else:
                        self.local_imports.add(bound)
                        if top not in self.shipped:
                            self.unknown_modules.add(bound)
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                library = node.level == 0 and bool(module) and is_library_module(module.split(".")[0])
                shipped = node.level > 0 or module.split(".")[0] in self.shipped
                for alias in node.names:
                    bound = alias.asname or alias.name
                    if library:
                        self.library[bound] = f"{node.module}.{alias.name}"
                    else:
                        self.local_imports.add(bound)
                        if not shipped and bound[:1].islower():
                            self.unknown_modules.add(bound)  # ``from django.db import models``: a module
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.defined.add(node.name)
                self.functions.add(node.name)
            elif isinstance(node, ast.ClassDef):
                self.defined.add(node.name)
                self.classes[node.name] = node
            elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                self.defined.add(node.id)
            elif isinstance(node, ast.arg):
                self.defined.add(node.arg)
            elif isinstance(node, ast.arguments):
                self._bound_args(node)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self.defined.add(node.name)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                self.defined.update(node.names)
            elif (
                isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value.isidentifier()
            ):
                self.declared.add(node.args[0].value)
        self.defined |= self.local_imports
        self.defined -= set(self.library) | _BUILTINS | self.bound_args
        for cls in self.classes.values():
            self._class_attrs(cls)
        self.defined -= self.override

    def _bound_args(self, args: ast.arguments) -> None:
        """A parameter whose default is a library call (``Header()``, ``Query(...)``, ``typer.Option()``) is read
        by that library under its name: the name is the library's, not the code's."""
        positional = [*args.posonlyargs, *args.args]
        pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=False))
        pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=False) if d is not None]
        for arg, default in pairs:
            dotted = _dotted(default.func) if isinstance(default, ast.Call) else None
            head = dotted.split(".")[0] if dotted else None
            if head is not None and head in self.library:
                self.bound_args.add(arg.arg)

    def _library_bases(self, cls: ast.ClassDef, seen: frozenset[str] = frozenset()) -> list[str | None]:
        """Dotted names of the library classes ``cls`` derives from (None: a base that cannot be told)."""
        out: list[str | None] = []
        for base in cls.bases:
            dotted = _dotted(base)
            if dotted is None:
                out.append(None)
                continue
            head = dotted.split(".")[0]
            if head in self.classes and head not in seen and "." not in dotted:
                out += self._library_bases(self.classes[head], seen | {cls.name})
            elif head in self.library:
                out.append(self.library[head] + dotted[len(head) :])
            elif head == "object" or head in _BUILTINS:
                out.append(head if head != "object" else "builtins.object")
            else:
                out.append(None)  # a project class we do not see: its attributes are unknown
        return out

    def _class_attrs(self, cls: ast.ClassDef) -> None:
        bases = self._library_bases(cls)
        resolved = [_resolve(b) if b else None for b in bases]

        def owned(name: str) -> bool:
            if any(r is None for r in resolved):
                return False
            return not any(hasattr(r, name) for r in resolved)

        names: set[str] = set()
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(stmt.name)
            elif isinstance(stmt, ast.Assign):
                names |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                names.add(stmt.target.id)
        for node in ast.walk(cls):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
            ):
                names.add(node.attr)
        for name in names:
            (self.attrs if owned(name) else self.override).add(name)

    # --- occurrences ---------------------------------------------------------------------------------------
    def _add(self, lineno: int, col: int, name: str, internal: bool) -> None:
        start = self.offsets.at(lineno, col)
        if self.text[start : start + len(name)] != name:
            return  # a position we cannot trust: the name is then unseen here, so never eligible (see classify)
        (self.out.internal if internal else self.out.external).append((start, start + len(name), name))

    def _add_in_line(
        self, node: ast.stmt | ast.excepthandler, pattern: re.Pattern[str], name: str, internal: bool
    ) -> None:
        """A name whose position ``ast`` does not give: the first ``pattern`` match from the node's start that
        spells ``name`` (group 1)."""
        line = self.offsets.lines[node.lineno - 1]
        start_col = len(line.encode("utf-8")[: node.col_offset].decode("utf-8", errors="replace"))
        found = next((f for f in pattern.finditer(line, start_col) if f.group(1) == name), None)
        if found:
            start = self.offsets.starts[node.lineno - 1] + found.start(1)
            (self.out.internal if internal else self.out.external).append((start, start + len(name), name))

    def classify(self) -> CodeNames:
        for node in self.nodes:
            if isinstance(node, ast.Name):
                self._add(node.lineno, node.col_offset, node.id, node.id in self.defined)
            elif isinstance(node, ast.Attribute):
                base_library = isinstance(node.value, ast.Name) and (
                    node.value.id in self.library or node.value.id in self.unknown_modules
                )
                base_local_module = (
                    isinstance(node.value, ast.Name)
                    and node.value.id in self.local_imports
                    and node.value.id not in self.unknown_modules
                )
                internal = (
                    not base_library
                    and (node.attr in self.attrs or base_local_module or node.attr in self.declared)
                    and node.attr not in self.override
                )
                self._add(
                    node.end_lineno or node.lineno,
                    (node.end_col_offset or 0) - len(node.attr.encode()),
                    node.attr,
                    internal,
                )
                if not internal and not base_library and not node.attr.startswith("__"):
                    self.out.opaque.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                kind = _CLASS_NAME if isinstance(node, ast.ClassDef) else _DEF_NAME
                self._add_in_line(node, kind, node.name, node.name not in self.override)
            elif isinstance(node, ast.arg):
                self._add(node.lineno, node.col_offset, node.arg, node.arg in self.defined)
            elif isinstance(node, ast.Call):
                own = (isinstance(node.func, ast.Name) and node.func.id in self.defined) or (
                    isinstance(node.func, ast.Attribute) and node.func.attr in self.attrs
                )
                for kw in node.keywords:
                    if kw.arg is not None:
                        self._add(
                            kw.lineno, kw.col_offset, kw.arg, own and (kw.arg in self.defined or kw.arg in self.attrs)
                        )
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                self._imports(node)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self._add_in_line(node, _AS_NAME, node.name, True)
        return self._finish()

    def _imports(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.ImportFrom):
            library = node.level == 0 and bool(node.module) and is_library_module((node.module or "").split(".")[0])
            if node.module:
                start = self.offsets.at(node.lineno, node.col_offset)
                found = _FROM_MODULE.match(self.text, start)
                if found:
                    pos = found.start(1)
                    into = self.out.external if library else self.out.internal
                    for part in node.module.split("."):
                        into.append((pos, pos + len(part), part))
                        pos += len(part) + 1
            for alias in node.names:
                self._alias(alias, internal=not library)
        else:
            for alias in node.names:
                self._alias(alias, internal=not is_library_module(alias.name.split(".")[0]))

    def _alias(self, alias: ast.alias, internal: bool) -> None:
        start = self.offsets.at(alias.lineno, alias.col_offset)
        pos = start
        for part in alias.name.split("."):
            if self.text[pos : pos + len(part)] == part:
                (self.out.internal if internal else self.out.external).append((pos, pos + len(part), part))
            pos += len(part) + 1
        if alias.asname:
            found = _ALIAS_AS.match(self.text, start + len(alias.name))
            if found and found.group(1) == alias.asname:
                span = (found.start(1), found.end(1), alias.asname)
                (self.out.internal if internal else self.out.external).append(span)

    def _finish(self) -> CodeNames:
        out = self.out
        out.internal = sorted(set(out.internal))
        out.external = sorted(set(out.external))
        return out


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    if isinstance(node, ast.Subscript):  # Generic[T], BaseModel[...]
        return _dotted(node.value)
    return None


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DEF_NAME = re.compile(r"\bdef\s+([A-Za-z_]\w*)\b")
_CLASS_NAME = re.compile(r"\bclass\s+([A-Za-z_]\w*)\b")
_AS_NAME = re.compile(r"\bas\s+([A-Za-z_]\w*)\b")
_ALIAS_AS = re.compile(r"\s+as\s+([A-Za-z_]\w*)\b")
_FROM_MODULE = re.compile(r"from\s+\.*([\w.]+)")


def _code_identifiers(text: str) -> list[re.Match[str]]:
    """Identifier tokens outside strings and comments (3.11 tokenizes an f-string whole, so names inside one are
    seen only through the syntax tree, which gives their positions)."""
    import io
    import tokenize

    out: list[re.Match[str]] = []
    offsets = _Offsets(text)
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.NAME:
                start = offsets.starts[tok.start[0] - 1] + tok.start[1]
                found = _IDENTIFIER.match(text, start)
                if found:
                    out.append(found)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out


def code_names(text: str, shipped: frozenset[str] = frozenset()) -> CodeNames | None:
    """See ``_code_names``; a template's own render is read once, not at every serve."""
    return _code_names(text, shipped) if len(text) < 200_000 else _read_code_names(text, shipped)


@lru_cache(maxsize=512)
def _code_names(text: str, shipped: frozenset[str]) -> CodeNames | None:
    return _read_code_names(text, shipped)


def _read_code_names(text: str, shipped: frozenset[str] = frozenset()) -> CodeNames | None:
    """The classed identifier occurrences of Python ``text``; None when it does not parse.

    ``shipped``: top-level module names of the files generated with it (``app`` for ``app/models.py``). A module
    neither installed nor shipped (``django`` where Django is not installed) is someone else's: its attributes
    are never the code's own."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    reader = _Reader(text, tree, shipped)
    reader.bind()
    return reader.classify()
