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


def test_providers_status_shows_each_circuit_from_the_database(sim):
    from datetime import timedelta

    from codegen.circuit import after_failure
    from providers.base import AuthError, Unavailable
    from settings import load_settings
    from storage import CallLedger, open_database
    from storage.models import utcnow

    def status() -> dict[str, dict]:
        done = runner.invoke(app, ["providers", "status", "--json"])
        assert done.exit_code == 0, done.output
        return {row["provider"]: row for row in map(json.loads, done.stdout.splitlines())}

    before = status()
    assert all(r["circuit"] == "closed" and r["configured"] and r["skips"] == 0 for r in before.values())
    settings = load_settings()
    after_failure(settings, "gemini", Unavailable("gemini HTTP 500: down"), failed_calls=3)
    ledger = CallLedger(open_database(settings.resolved_database_url))
    for n in range(2):  # two requests skipped it since it opened
        ledger.record_skip(
            request_id=f"r{n}",
            flow_run_id=None,
            agent="coder",
            project="acme",
            provider="gemini",
            model="gemini-2.5-flash",
            reason="not called: circuit open",
            kind="circuit_open",
        )
    after_failure(settings, "anthropic", AuthError("anthropic HTTP 401: invalid x-api-key"))
    after_failure(settings, "openai", Unavailable("openai HTTP 503"), now=utcnow() - timedelta(seconds=60))
    rows = status()
    gemini, anthropic, openai = rows["gemini"], rows["anthropic"], rows["openai"]
    assert (gemini["circuit"], gemini["consecutive_failures"], gemini["last_error_kind"]) == ("open", 3, "unavailable")
    assert gemini["skips"] == 2 and gemini["until"] > gemini["since"]
    assert (anthropic["configured"], anthropic["key_refused"], anthropic["circuit"]) == (False, True, "open")
    assert (openai["circuit"], openai["probe"], openai["skips"]) == ("half_open", "due", 0)
    table = runner.invoke(app, ["providers", "status"])
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert any("gemini" in line and " open " in line and line.split()[-1] == "2" for line in lines)
    assert any("anthropic" in line and "refused" in line for line in lines)
    assert any("openai" in line and "half-open" in line for line in lines)
    bad = runner.invoke(app, ["providers", "status", "--provider", "nope"])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: --provider:") and "Traceback" not in bad.output
