"""The options every task of this service shares, in one place (as ControlFlow's ``prefect_task()``).

- No input-hash cache: a task's inputs are requests and generations, and a repeat must be decided by the
  service's own exact-repeat cache (which knows prompts and TTL), never by Prefect replaying an old result.
- Results are not persisted: the ledger and the stores are the record; a persisted task result would be a
  second copy of generated code (and of whatever a prompt carried) on the worker's disk.
- Every task run has a name an admin can read in the UI (``generate: openai``), never a random one.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from prefect import Task, task
from prefect.cache_policies import NO_CACHE

P = ParamSpec("P")
R = TypeVar("R")


def forge_task(
    name: str, run_name: str, *, retry_condition_fn: Callable[[Any, Any, Any], bool] | None = None
) -> Callable[[Callable[P, Coroutine[Any, Any, R]]], Task[P, Coroutine[Any, Any, R]]]:
    """``@task`` with the house defaults, named ``name`` with runs named ``run_name`` (a template over the
    task's parameters); ``retry_condition_fn`` for the tasks that call a provider (their retries are set per
    run by the flow, from settings)."""
    return task(
        name=name,
        task_run_name=run_name,
        cache_policy=NO_CACHE,
        persist_result=False,
        retry_condition_fn=retry_condition_fn,
    )
