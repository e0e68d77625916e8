"""The floors of the house: a room imports only rooms on floors below its own, so there is no cycle.

Read from the source, lazy imports inside functions included: an import that dodges a cycle by being late is
still an upward import. Prefect is imported only by ``tasks`` and ``flows`` (and the command line above them).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Lowest first. Each room's job is in docs/architecture.md.
FLOORS: list[set[str]] = [
    {"providers"},  # one plug-in unit per provider; the registry every other room derives its lists from
    {"settings", "contracts"},  # the environment's knobs; the request and answer data
    {"storage", "prompts", "notify", "services"},  # stored; prompt templates; mail out; background processes
    {"budget", "validation"},
    {"learning", "reports"},
    {"codegen"},  # the ledgered call, chain policy, review loop, result assembly, use cases
    {"tasks"},
    {"flows"},
    {"cli"},
]
FLOOR = {room: n for n, rooms in enumerate(FLOORS) for room in rooms}
PREFECT_ROOMS = {"tasks", "flows", "cli"}


def _room_files() -> list[tuple[str, Path]]:
    out = []
    for room in FLOOR:
        path = ROOT / room
        files = sorted(path.rglob("*.py")) if path.is_dir() else [ROOT / f"{room}.py"]
        out += [(room, f) for f in files if f.exists() and "starters" not in f.relative_to(ROOT).parts]
    return out


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def test_every_top_level_package_has_a_floor() -> None:
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"tests", "bench", "simulator"}
    modules = {p.stem for p in ROOT.glob("*.py")}
    assert packages | modules <= set(FLOOR), f"rooms without a floor: {sorted((packages | modules) - set(FLOOR))}"


def test_no_room_imports_a_room_on_its_own_floor_or_above() -> None:
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {target} (floor {FLOOR[target]} >= {FLOOR[room]})"
        for room, path in _room_files()
        for line, target in _imports(path)
        if target in FLOOR and target != room and FLOOR[target] >= FLOOR[room]
    ]
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize("room", sorted(set(FLOOR) - PREFECT_ROOMS))
def test_prefect_is_only_in_tasks_and_flows(room: str) -> None:
    users = [
        f"{path.relative_to(ROOT)}:{line}"
        for r, path in _room_files()
        if r == room
        for line, target in _imports(path)
        if target == "prefect"
    ]
    assert not users, f"{room} imports prefect: {users}"


def test_every_room_is_installed_and_type_checked() -> None:
    """A room missing from the package list works from the checkout and fails once installed elsewhere."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    installed = {p.removesuffix("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    checked = set(project["tool"]["mypy"]["files"])
    rooms = set(FLOOR)
    assert rooms - installed == set(), "add these rooms to [tool.setuptools.packages.find] include"
    assert rooms - checked == set(), "add these rooms to [tool.mypy] files"
