"""``q2o report costs``: the flow run on demand, its figures as JSON and as text, and one-line errors (exit 2)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from storage import CallLedger, open_database

runner = CliRunner()


def _call(database: str, provider: str, agent: str, project: str, cost: float) -> None:
    ledger = CallLedger(open_database(database))
    call_id = ledger.start(
        request_id=f"{provider}-{agent}",
        flow_run_id=None,
        agent=agent,
        project=project,
        provider=provider,
        model="m",
        attempt=1,
        system_prompt="",
        prompt="p",
    )
    ledger.finish(call_id, status="succeeded", cost_usd=cost)


@pytest.fixture
def ledger(database, monkeypatch):
    monkeypatch.setenv("Q2O_DATABASE_URL", database)
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "10")
    _call(database, "openai", "coder", "acme", 1.5)
    _call(database, "gemini", "researcher", "globex", 0.5)
    return database


def test_report_costs_json_and_text(prefect_server, ledger):
    done = runner.invoke(app, ["reports", "costs", "--days", "3", "--json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert report["budget_usd"] == 10 and report["spent_usd"] == 2.0 and report["remaining_usd"] == 8.0
    assert report["used_percent"] == 20 and report["today_calls"] == 2 and report["today_average_usd"] == 1.0
    assert [(g["name"], g["calls"], g["cost_usd"]) for g in report["by_provider"]] == [
        ("openai", 1, 1.5),
        ("gemini", 1, 0.5),
    ]
    assert {g["name"] for g in report["by_project"]} == {"acme", "globex"}
    assert len(report["trend"]) == 3 and report["trend"][-1] == {"day": report["today"], "calls": 2, "cost_usd": 2.0}
    assert report["savings"]["total_usd"] == 0 and report["pdf_path"].endswith(".pdf")
    text = runner.invoke(app, ["report", "costs"])
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert lines[1].startswith("████░░░░░░░░░░░░░░░░ 20 %  spent $2.0000 · reserved $0.0000 · remaining $8.0000")
    assert "today " in lines[2] and "2 calls, $2.0000, $1.0000 per call" in lines[2]
    assert "by provider: openai $1.5000 (1 call), gemini $0.5000 (1 call)" in text.stdout
    assert "by agent: coder $1.5000 (1 call), researcher $0.5000 (1 call)" in text.stdout
    assert "last 30 days: " in text.stdout and "2 calls, $2.0000" in text.stdout
    assert text.stdout.count("report: ") == 2 and ".html" in text.stdout and ".pdf" in text.stdout


@pytest.mark.parametrize(
    "days, message",
    [
        ("0", "error: --days: a whole number of days from 1 to 366, not 0"),
        ("400", "error: --days: a whole number of days from 1 to 366, not 400"),
        ("a week", "error: --days: a whole number of days from 1 to 366, not 'a week'"),
    ],
)
def test_a_bad_window_is_one_line_and_exit_2(days, message):
    done = runner.invoke(app, ["report", "costs", "--days", days])
    assert done.exit_code == 2 and done.stderr.strip() == message and not done.stdout
