"""How the in-process worker reads a deployment (``flows/worker_plan.py``): no server needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.worker_plan import CHECKOUT, RunRefused, entrypoint_module, pull_directory, run_settings


def test_a_path_entrypoint_of_this_checkout_is_its_module():
    assert entrypoint_module("flows/deployments.py:generate_code", CHECKOUT) == ("flows.deployments", "generate_code")
    assert entrypoint_module("flows.admin.check_providers", Path("/anywhere")) == ("flows.admin", "check_providers")


def test_a_file_of_another_checkout_is_refused(tmp_path):
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "deployments.py").write_text("")
    with pytest.raises(RunRefused, match="not in this worker's checkout"):
        entrypoint_module("flows/deployments.py:generate_code", tmp_path)


def test_only_a_resolved_working_directory_step_is_followed():
    step = "prefect.deployments.steps.set_working_directory"
    assert pull_directory([{step: {"directory": "/srv/q2o"}}]) == Path("/srv/q2o")
    assert pull_directory(None) is None
    with pytest.raises(RunRefused, match="not supported in-process"):
        pull_directory([{"prefect.deployments.steps.git_clone": {"repository": "x"}}])
    with pytest.raises(RunRefused, match="not a resolved path"):
        pull_directory([{step: {"directory": "{{ $Q2O_REPO_DIR }}"}}])


def test_prefect_settings_apply_per_run_and_other_variables_must_match(monkeypatch):
    monkeypatch.setenv("Q2O_TIMEZONE", "UTC")
    updates = run_settings({"PREFECT_TASKS_DEFAULT_PERSIST_RESULT": "false", "PREFECT__FLOW_RUN_ID": "x"})
    assert [(s.name, v) for s, v in updates.items()] == [("PREFECT_TASKS_DEFAULT_PERSIST_RESULT", "false")]
    assert run_settings({"Q2O_TIMEZONE": "UTC"}) == {}
    with pytest.raises(RunRefused, match="Q2O_TIMEZONE differs"):
        run_settings({"Q2O_TIMEZONE": "Europe/Paris"})
