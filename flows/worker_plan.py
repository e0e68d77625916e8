"""What the in-process worker runs for one flow run, decided before it starts: the flow (imported from this
checkout by module name, once a process) and the Prefect settings of its job variables' env, or why it cannot
run here (``RunRefused``: the run is marked Crashed with that reason and the worker goes on).

A process worker runs the deployment's pull steps (``set_working_directory``: ``os.chdir``) in a fresh Python;
here many runs share one process, so the directory is read from the step and only checked against this checkout.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import prefect.settings
from prefect import Flow
from prefect.client.schemas.responses import DeploymentResponse
from prefect.settings.legacy import Setting

CHECKOUT = Path(__file__).resolve().parents[1]  # the code this worker imports (an editable install: the checkout)
WORKING_DIRECTORY_STEPS = {
    "prefect.deployments.steps.set_working_directory",
    "prefect.deployments.steps.pull.set_working_directory",
}


class RunRefused(Exception):  # noqa: N818 - a refusal, not an error of ours
    """A flow run this worker cannot run in its own process (the message says why and what to use instead)."""


@dataclass(frozen=True)
class RunPlan:
    """One flow run as this worker will run it."""

    module: str  # e.g. flows.deployments
    attribute: str  # e.g. generate_code
    settings: dict[Setting, str] = field(default_factory=dict)  # Prefect settings from the job's env, per run

    def load_flow(self) -> Flow[..., Any]:
        """The deployment's flow object, imported like any module (the first run of a module pays its import)."""
        found = getattr(importlib.import_module(self.module), self.attribute, None)
        if not isinstance(found, Flow):
            raise RunRefused(f"{self.module}:{self.attribute} is not a Prefect flow")
        return found


def plan_run(deployment: DeploymentResponse, job_env: dict[str, str | None], working_dir: Path | None) -> RunPlan:
    """The plan for a run of ``deployment`` with its job variables' ``job_env`` (before Prefect's own additions)."""
    if not deployment.entrypoint:
        raise RunRefused(f"deployment {deployment.name!r} has no entrypoint")
    directory = pull_directory(deployment.pull_steps) or working_dir or CHECKOUT
    module, attribute = entrypoint_module(deployment.entrypoint, directory)
    return RunPlan(module=module, attribute=attribute, settings=run_settings(job_env))


def pull_directory(steps: list[dict[str, Any]] | None) -> Path | None:
    """The directory of the deployment's ``set_working_directory`` step; any other pull step is refused (cloning
    or pulling code into a process that other runs share is the process worker's job)."""
    directory = None
    for step in steps or []:
        (name, options), *_ = step.items()
        if name not in WORKING_DIRECTORY_STEPS:
            raise RunRefused(f"pull step {name} is not supported in-process; use `prefect worker start`")
        value = str((options or {}).get("directory", ""))
        if not value or "{{" in value:
            raise RunRefused(f"pull step {name}: directory {value!r} is not a resolved path")
        directory = Path(value)
    return directory


def entrypoint_module(entrypoint: str, directory: Path) -> tuple[str, str]:
    """``flows/deployments.py:generate_code`` (a path under ``directory``) or ``flows.deployments.generate_code``
    as a module of this checkout and an attribute; a file of another checkout is refused."""
    if ":" not in entrypoint:
        module, _, attribute = entrypoint.rpartition(".")
        return module, attribute
    path, _, attribute = entrypoint.rpartition(":")
    file = (directory / path).resolve()
    try:
        relative = file.relative_to(CHECKOUT)
    except ValueError:
        raise RunRefused(
            f"the entrypoint {file} is not in this worker's checkout {CHECKOUT}: run the worker from that checkout, "
            "or use `prefect worker start`"
        ) from None
    if relative.suffix != ".py" or not file.is_file():
        raise RunRefused(f"the entrypoint {file} is not a Python file")
    return ".".join(relative.with_suffix("").parts), attribute


def run_settings(job_env: dict[str, str | None]) -> dict[Setting, str]:
    """The job env's Prefect settings, applied to the run alone (``temporary_settings``: a context, not
    ``os.environ``). Another variable that differs from this process's environment is refused: the runs share
    one environment, so it cannot hold one run's value."""
    updates: dict[Setting, str] = {}
    for name, value in job_env.items():
        if value is None or name.startswith("PREFECT__"):  # Prefect's per-run ids, for a child process
            continue
        setting = getattr(prefect.settings, name, None) if name.startswith("PREFECT_") else None
        if isinstance(setting, Setting):
            updates[setting] = value
        elif os.environ.get(name) != value:
            raise RunRefused(
                f"the job variable env {name} differs from this worker's environment; an in-process run cannot "
                "change it: set it in the worker's environment, or use `prefect worker start`"
            )
    return updates
