"""The ``set-prompt-layer`` admin flow: set (or reset) an agent's, a project's or a task type's layer over a
prompt from the Prefect UI's run form, as ``q2o prompts set`` / ``reset`` do from the command line.

A refused layer (it does not render, names an unknown block or variable, tries to place the task) ends the run
**Failed** with the reason as its message; the outcome is persisted either way.
"""

from __future__ import annotations

from prefect import flow
from prefect.states import State

from contracts import PromptScope
from flows.logs import forward_q2o_logs
from flows.states import failed
from tasks.prompt_layers import LayerChangeOutcome, change_prompt_layer

forward_q2o_logs()


def _run_name() -> str:
    from prefect.runtime import flow_run

    params = flow_run.get_parameters()
    target = params.get("agent") or params.get("project") or params.get("task_type") or "?"
    return f"set-prompt-layer {params.get('name', '?')} for {target}"


@flow(name="set-prompt-layer", flow_run_name=_run_name, persist_result=True, result_serializer="json")
async def set_prompt_layer(
    name: str,
    by: str,
    text: str = "",
    agent: str | None = None,
    project: str | None = None,
    task_type: str | None = None,
    reset: bool = False,
) -> LayerChangeOutcome | State[LayerChangeOutcome]:
    """Set the layer of one agent, project or task type over prompt ``name`` (system, generate, repair,
    review_system or review) to ``text``: {% block NAME %} ... {% endblock %} definitions. ``reset`` removes
    the layer instead. ``by`` is who makes the change; it goes into the layer's history."""
    given: list[tuple[PromptScope, str | None]] = [("agent", agent), ("project", project), ("task_type", task_type)]
    named = [(scope, target) for scope, target in given if target]
    if len(named) != 1:
        problem = "name one layer: agent, project or task_type"
        return failed(problem, LayerChangeOutcome(prompt=name, scope="agent", target="", problem=problem))
    scope, target = named[0]
    outcome = await change_prompt_layer(name, scope, target, None if reset else text, by)
    return outcome if outcome.problem is None else failed(f"layer refused: {outcome.problem}", outcome)
