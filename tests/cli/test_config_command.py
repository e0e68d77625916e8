"""``q2o config show | set | unset``: every knob with its value and source, overrides stored in Prefect Variables,
the monthly budget shared with ``q2o budget``, bad input refused in one line (exit 2)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("stored_config")


def _knobs(*args: str) -> dict[str, tuple[object, str]]:
    done = runner.invoke(app, ["config", "show", "--json", *args])
    assert done.exit_code == 0, done.output
    return {k["key"]: (k["value"], k["source"]) for k in json.loads(done.stdout)["knobs"]}


def test_set_show_and_unset_per_scope(monkeypatch):
    monkeypatch.setenv("Q2O_MIN_QUALITY", "90")
    assert _knobs()["min_quality"] == (90.0, "env")
    done = runner.invoke(app, ["config", "set", "chain", "openai:gpt-4.1,anthropic", "--project", "acme"])
    assert done.exit_code == 0 and "chain set to openai:gpt-4.1,anthropic for project acme" in done.stdout
    assert runner.invoke(app, ["config", "set", "min_quality", "80", "--agent", "coder"]).exit_code == 0
    assert _knobs()["chain"] == (
        ["gemini:gemini-2.5-flash", "openai:gpt-4.1-mini", "anthropic:claude-haiku-4-5"],
        "default",
    )
    acme = _knobs("--project", "acme")
    assert acme["chain"] == (["openai:gpt-4.1", "anthropic:claude-haiku-4-5"], "project acme override")
    assert acme["min_quality"] == (90.0, "env")  # the project view has no agent
    assert _knobs("--agent", "coder")["min_quality"] == (80.0, "agent coder override")
    table = runner.invoke(app, ["config", "show", "--project", "acme"]).stdout
    assert "project acme override" in table and "openai:gpt-4.1" in table
    assert runner.invoke(app, ["config", "unset", "chain", "--project", "acme"]).exit_code == 0
    assert _knobs("--project", "acme")["chain"][1] == "default"


def test_the_monthly_budget_is_the_one_budget_set_stores():
    assert _knobs()["monthly_budget_usd"] == (1000.0, "default")
    assert runner.invoke(app, ["budget", "set", "250"]).exit_code == 0
    assert _knobs()["monthly_budget_usd"] == (250.0, "stored (q2o budget set)")
    assert runner.invoke(app, ["config", "set", "monthly_budget_usd", "300"]).exit_code == 0
    assert "$300.00" in runner.invoke(app, ["budget", "status"]).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["set", "min_quality", "101"],
            "error: min_quality: Input should be less than or equal to 100 (allowed: 0-100)",
        ),
        (["set", "attempts_per_provider", "-1"], "error: attempts_per_provider: Input should be greater than or equal"),
        (["set", "chain", "gemini,foo"], "error: chain: unknown provider 'foo'"),
        (["set", "colour", "red"], "error: unknown key 'colour'"),
        (["set", "daily_call_limit", "5", "--project", "acme"], "error: daily_call_limit holds for every agent"),
        (["set", "min_quality", "90", "--agent", "a", "--project", "b"], "error: give --agent or --project"),
        (["set", "min_quality", "90", "--agent", "bad name"], "error: --agent: 'bad name' is not a valid name"),
        (["unset", "monthly_budget_usd"], "error: monthly_budget_usd is stored in the database"),
    ],
)
def test_bad_input_is_one_line(args, message):
    done = runner.invoke(app, ["config", *args])
    assert done.exit_code == 2 and done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.output


def test_generate_with_no_provider_names_the_stored_chain():
    assert runner.invoke(app, ["config", "set", "chain", "anthropic", "--project", "acme"]).exit_code == 0
    task = ["generate", "Write a greeting script for the Lyra service", "--stack", "python", "--project", "acme"]
    done = runner.invoke(app, task)
    assert done.exit_code == 2, done.output
    [line] = [x for x in done.stderr.splitlines() if x.startswith("error:")]  # Prefect's run logs go to stderr too
    assert line.startswith("error: no provider of the chain (anthropic) is configured: set ANTHROPIC_API_KEY")
    assert line.endswith("(or a Prefect Secret block q2o-PROVIDER-api-key)")
