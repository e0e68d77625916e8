"""``q2o generate``'s exit codes: one-line errors (exit 2) for bad input or configuration, exit 1 with the reason
and a report for a failed generation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from simulator import Fail

Q2O = [sys.executable, "-c", "from cli import app; app()"]
ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*Q2O, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("Q2O_")}
    env["Q2O_HOME"] = str(home)
    env["Q2O_SERVER"] = "embedded"  # a command that got as far as a flow must leave no shared server behind
    return env


@pytest.mark.parametrize(
    "args, message",
    [
        (["generate", "   ", "--stack", "python"], "task is empty"),
        (["generate", "x" * 20_001, "--stack", "python"], "at most 20000"),
        (["generate", "CRUD API", "--stack", "python,,fastapi"], "empty entry"),
        (
            ["generate", "CRUD API", "--stack", "python", "--provider", "mistral"],
            "--provider: unknown provider mistral",
        ),
        (["generate", "CRUD API", "--stack", "python", "--agent", "bad name!"], "not a valid name"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_and_writes_nothing(tmp_path, args, message):
    home = tmp_path / "home"
    done = _run(args, _env(home))
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not home.exists()


def test_unreadable_home_is_exit_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    done = _run(["generate", "CRUD API", "--stack", "python"], _env(blocker / "home"))
    assert done.returncode == 2 and "Q2O_HOME" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_invalid_setting_names_the_variable(tmp_path):
    env = _env(tmp_path / "home") | {"Q2O_ATTEMPTS_PER_PROVIDER": "many"}
    done = _run(["generate", "CRUD API", "--stack", "python"], env)
    assert done.returncode == 2 and done.stderr.startswith("error: Q2O_ATTEMPTS_PER_PROVIDER")


def test_an_unreachable_prefect_api_is_one_line_and_exit_2(tmp_path):
    env = _env(tmp_path / "home") | {"PREFECT_API_URL": "http://127.0.0.1:9/api"}
    done = _run(["generate", "CRUD API for Customer records", "--stack", "python,fastapi"], env)
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.startswith("error: PREFECT_API_URL: cannot reach") and done.stderr.count("\n") == 1


@pytest.mark.usefixtures("prefect_server")
def test_generate_failed_is_exit_1_with_report(sim):
    for provider in ("gemini", "openai", "anthropic"):
        sim.default[provider] = Fail(500)
    done = runner.invoke(app, ["generate", "Write a greeting script for the Lyra service", "--stack", "python"])
    assert done.exit_code == 1
    assert "all_providers_failed" in done.stderr and ".pdf" in done.stderr
    assert "why: last attempt anthropic #3: Unavailable" in done.stderr  # the reason, not just its code


@pytest.mark.usefixtures("prefect_server")
def test_budget_exhausted_is_exit_1_and_says_how_to_raise_it(sim, monkeypatch):
    assert runner.invoke(app, ["budget", "set", "0"]).exit_code == 0
    done = runner.invoke(app, ["generate", "Write a greeting script for the Lyra service", "--stack", "python"])
    assert done.exit_code == 1 and not sim.requests
    assert "budget_exhausted" in done.stderr and "q2o budget set AMOUNT" in done.stderr and ".pdf" in done.stderr


@pytest.mark.usefixtures("prefect_server")
def test_a_daily_call_limit_says_when_it_resets_and_which_variable_changes_it(sim, monkeypatch, q2o_env):
    monkeypatch.setenv("Q2O_DAILY_CALL_LIMIT", "1")
    first = runner.invoke(app, ["generate", "Write a greeting script for the Lyra service", "--stack", "python"])
    assert first.exit_code == 0, first.output
    done = runner.invoke(app, ["generate", "Write a log rotation script for the Vega host", "--stack", "python"])
    assert done.exit_code == 1 and len(sim.requests) == 1
    assert "the daily call limit of " in done.stderr and "is reached (1 of 1 calls)" in done.stderr
    assert "it resets at " in done.stderr and "Q2O_DAILY_CALL_LIMIT" in done.stderr
    assert "raise it with" not in done.stderr  # q2o budget set does not change a daily limit
    [html_path] = (q2o_env / "reports").glob("*.html")
    html = html_path.read_text(encoding="utf-8")
    assert "the daily call limit resets at midnight in Q2O_TIMEZONE" in html and "budget set AMOUNT" not in html


@pytest.mark.usefixtures("prefect_server")
def test_no_provider_configured_says_which_keys_to_set():
    done = runner.invoke(app, ["generate", "Write a greeting script for the Lyra service", "--stack", "python"])
    assert done.exit_code == 2
    for variable in ("GEMINI_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "Q2O_OPENAI_BASE_URL"):
        assert variable in done.stderr
    assert not list((Path(os.environ["Q2O_HOME"]) / "reports").glob("*"))  # a configuration error: no report
    listed = runner.invoke(app, ["calls"], env={"COLUMNS": "160"})
    assert listed.stdout.count(" skipped ") == 3 and "unknown" not in listed.stdout  # a skip costs nothing


@pytest.mark.usefixtures("prefect_server")
def test_a_sensitive_template_that_fits_with_no_reviewer_says_why_it_is_not_served():
    task = "Webhook receiver for Refund events with HMAC signature verification"  # a starter's, word for word
    done = runner.invoke(app, ["generate", task, "--stack", "python,fastapi"])
    assert done.exit_code == 2
    assert "fits, but the work is security-sensitive" in done.stderr and "GEMINI_API_KEY" in done.stderr
