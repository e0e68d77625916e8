"""The import check of a rendered template: every name it imports from an installed module must exist.

``from sqlalchemy import DateWarehouse`` parses and passes every static rule, and fails on import. For each
``import X`` / ``from X import Y`` and each ``X.Y`` attribute of an imported module, where X is installed in
the service's environment (or is the standard library), X is imported and Y looked up. Modules that are not
installed (the project's own, or a dependency the service lacks) cannot be checked and are passed over.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from collections.abc import Sequence
from functools import lru_cache

from contracts import GeneratedFile
from validation.models import Finding


@lru_cache(maxsize=512)
def _module(name: str) -> object | None:
    """The imported module ``name``; None when it is not installed; ImportError text when it fails."""
    try:
        if importlib.util.find_spec(name.split(".")[0]) is None:
            return None
    except (ImportError, ValueError):
        return None
    try:
        return importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - any failure to import is the finding
        return ImportError(str(exc))


@lru_cache(maxsize=4096)
def _has(module_name: str, attr: str) -> bool:
    module = _module(module_name)
    if module is None or isinstance(module, ImportError):
        return True
    if hasattr(module, attr):
        return True
    return not isinstance(_module(f"{module_name}.{attr}"), ImportError | type(None))


def unresolved_imports(files: Sequence[GeneratedFile]) -> list[Finding]:
    """One high finding per imported name that does not resolve."""
    found: list[Finding] = []
    for f in files:
        if not f.path.endswith(".py"):
            continue
        try:
            tree = ast.parse(f.content)
        except SyntaxError:
            continue  # the static checks report it
        modules: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if isinstance(_module(alias.name), ImportError):
                        found.append(_finding(f.path, node.lineno, f"no module {alias.name}"))
                    modules[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0]
                    )
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if isinstance(_module(node.module), ImportError):
                    found.append(_finding(f.path, node.lineno, f"no module {node.module}"))
                    continue
                for alias in node.names:
                    if alias.name != "*" and not _has(node.module, alias.name):
                        found.append(_finding(f.path, node.lineno, f"{node.module} has no {alias.name}"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
                module = _module(modules[node.value.id])
                if (
                    module is not None
                    and not isinstance(module, ImportError)
                    and not _has(modules[node.value.id], node.attr)
                ):
                    found.append(_finding(f.path, node.lineno, f"{modules[node.value.id]} has no {node.attr}"))
    return found


def _finding(path: str, line: int, message: str) -> Finding:
    return Finding(rule="import", severity="high", file=path, line=line, message=message)
