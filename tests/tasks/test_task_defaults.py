"""Every task of the service takes its options from tasks.defaults.forge_task: no input-hash cache, no
persisted result, a readable run name. A task declared with a bare ``@task`` would silently miss them."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from prefect import Task
from prefect.cache_policies import NO_CACHE

import tasks
from tasks.defaults import forge_task

TASK_MODULES = [m.name for m in pkgutil.iter_modules(tasks.__path__) if m.name != "defaults"]


def _tasks() -> list[tuple[str, Task]]:
    found = []
    for name in TASK_MODULES:
        module = importlib.import_module(f"tasks.{name}")
        for attr, value in vars(module).items():
            if isinstance(value, Task) and value.fn.__module__ == module.__name__:
                found.append((f"tasks.{name}.{attr}", value))
    return found


def test_the_service_has_tasks_to_check() -> None:
    assert len(_tasks()) >= 10


@pytest.mark.parametrize(("where", "declared"), _tasks(), ids=[w for w, _ in _tasks()])
def test_each_task_has_the_house_defaults(where: str, declared: Task) -> None:
    assert declared.cache_policy is NO_CACHE, where
    assert declared.persist_result is False, where
    assert isinstance(declared.task_run_name, str) and declared.task_run_name, where


def test_no_task_is_declared_with_a_bare_decorator() -> None:
    for path in Path(tasks.__path__[0]).glob("*.py"):
        if path.name != "defaults.py":
            assert "@task" not in path.read_text(), f"{path.name}: use @forge_task"


async def test_a_forge_task_runs_named_from_its_parameters(prefect_server) -> None:
    from prefect import flow
    from prefect.runtime import task_run

    @forge_task("probe", "probe: {what}")
    async def probe(what: str) -> str:
        return f"{what.upper()} in {task_run.name}"  # the name the engine gave this run

    @flow
    async def around() -> str:
        return await probe("x")

    assert await around() == "X in probe: x"
