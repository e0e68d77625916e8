"""``q2o providers check``: a table of the configured providers' answers; exit 1 when one of them fails."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from simulator import Fail

runner = CliRunner()


@pytest.mark.usefixtures("prefect_server")
def test_providers_check_table(sim):
    sim.script("anthropic", [Fail(401)])
    done = runner.invoke(app, ["providers", "check"])
    assert done.exit_code == 1, done.output  # one configured provider failed
    lines = done.stdout.splitlines()
    assert any("gemini" in line and "ok" in line for line in lines)
    assert any("anthropic" in line and "AuthError" in line for line in lines)
    status = json.loads(runner.invoke(app, ["budget", "status", "--json"]).stdout)
    assert status["today_calls"] == 3 and status["spent_usd"] > 0  # check calls are budgeted like any call
    assert runner.invoke(app, ["providers", "check", "--provider", "gemini,openai"]).exit_code == 0
