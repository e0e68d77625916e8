"""Run states that tell the truth, with the result still in hand.

A request that failed ends its run **Failed** (red in the UI, found by a state filter), its message the
machine-readable error, and the full result attached as the state's data: ``result_of`` returns it whether the
run Completed or Failed, so the CLI and agents read a ``CodeResult`` either way. A deployed run persists it, so
``run_deployment`` callers read it with ``await flow_run.state.aresult(raise_on_failure=False)``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from prefect.states import Failed, State

T = TypeVar("T")


def failed(message: str, data: T) -> State[T]:
    """A Failed final state for a flow to return: ``message`` for the UI and filters, ``data`` for the caller."""
    state: State[T] = Failed(message=message, data=data)
    return state


async def result_of(state: State[Any]) -> Any:
    """What the run returned, Completed or Failed; a crashed run (an exception, no result) raises it."""
    value = await state.aresult(raise_on_failure=False)
    if isinstance(value, BaseException):
        raise value
    return value
