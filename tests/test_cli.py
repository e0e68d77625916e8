"""The q2o command line: exit codes, one-line errors, JSON output, the ledger and provider checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from tests.sim import DEFAULT_CODE, Fail, Reply, code_answer

Q2O = [sys.executable, "-c", "from cli import app; app()"]
ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*Q2O, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("Q2O_")}
    env["Q2O_HOME"] = str(home)
    return env


@pytest.mark.parametrize("args, message", [
    (["generate", "   ", "--stack", "python"], "task is empty"),
    (["generate", "x" * 20_001, "--stack", "python"], "at most 20000"),
    (["generate", "CRUD API", "--stack", "python,,fastapi"], "empty entry"),
    (["generate", "CRUD API", "--stack", "python", "--provider", "mistral"], "--provider: unknown provider mistral"),
    (["generate", "CRUD API", "--stack", "python", "--agent", "bad name!"], "not a valid name"),
])
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


runner = CliRunner()


@pytest.mark.usefixtures("prefect_server")
def test_generate_json_success_then_calls_list_and_show(sim):
    done = runner.invoke(app, ["generate", "Write a greeting script for the Lyra service", "--stack", "python",
                               "--agent", "researcher", "--project", "acme", "--provider", "openai", "--json"])
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert set(result) >= {"request_id", "status", "source", "files", "provider", "model", "cost_usd",
                           "quality_score", "attempts", "template_id", "error", "report_paths"}
    assert result["status"] == "succeeded" and result["provider"] == "openai" and result["source"] == "llm"
    assert set(result["attempts"][0]) >= {"provider", "model", "attempt", "status", "error", "duration_s",
                                          "input_tokens", "output_tokens", "cost_usd"}
    listed = runner.invoke(app, ["calls", "--agent", "researcher", "--provider", "openai", "--status", "succeeded",
                                 "--json"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert listed.exit_code == 0 and [r["id"] for r in rows] == [result["attempts"][0]["call_id"]]
    assert rows[0]["model"] == "gpt-4.1-mini" and rows[0]["agent"] == "researcher"
    assert not runner.invoke(app, ["calls", "--agent", "nobody", "--json"]).stdout
    assert runner.invoke(app, ["calls"]).exit_code == 0
    call_id = result["attempts"][0]["call_id"]
    shown = runner.invoke(app, ["calls", "show", str(call_id), "--json"])
    call = json.loads(shown.stdout)
    assert "Lyra" in call["prompt"] and call["response_text"] and call["cost_usd"] == result["cost_usd"]
    assert runner.invoke(app, ["calls", "show", "999999"]).exit_code == 2


@pytest.mark.usefixtures("prefect_server")
def test_generate_failed_is_exit_1_with_report(sim):
    for provider in ("gemini", "openai", "anthropic"):
        sim.default[provider] = Fail(500)
    done = runner.invoke(app, ["generate", "Write a greeting script for the Lyra service", "--stack", "python"])
    assert done.exit_code == 1
    assert "all_providers_failed" in done.stderr and ".pdf" in done.stderr
    assert "why: last attempt anthropic #3: Unavailable" in done.stderr  # the reason, not just its code


def test_out_of_range_call_id_and_unwritable_export_are_exit_2(tmp_path):
    assert runner.invoke(app, ["calls", "show", "99999999999999999999999"]).exit_code == 2
    for target in (tmp_path / "missing" / "t.json", tmp_path):
        done = runner.invoke(app, ["templates", "export", str(target)])
        assert done.exit_code == 2 and done.stderr.startswith("error: cannot write"), done.output


@pytest.mark.usefixtures("prefect_server")
def test_budget_exhausted_is_exit_1_and_says_how_to_raise_it(sim, monkeypatch):
    assert runner.invoke(app, ["budget", "set", "0"]).exit_code == 0
    done = runner.invoke(app, ["generate", "Write a greeting script for the Lyra service", "--stack", "python"])
    assert done.exit_code == 1 and not sim.requests
    assert "budget_exhausted" in done.stderr and "q2o budget set AMOUNT" in done.stderr and ".pdf" in done.stderr


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


def test_templates_commands_list_show_disable_stats_reindex_and_missing_id():
    listed = runner.invoke(app, ["templates", "list"])
    assert listed.exit_code == 0 and "starter" in listed.stdout  # the starter library is seeded on first use
    stats = runner.invoke(app, ["templates", "stats", "--json"])
    assert stats.exit_code == 0, stats.output
    count = json.loads(stats.stdout)["templates"]
    assert count >= 15
    reindexed = runner.invoke(app, ["templates", "reindex"])
    assert reindexed.exit_code == 0 and reindexed.stdout.startswith("reindexed ")
    assert json.loads(runner.invoke(app, ["templates", "stats", "--json"]).stdout)["templates"] == count
    missing = runner.invoke(app, ["templates", "disable", "tpl-nope"])
    assert missing.exit_code == 2


@pytest.mark.usefixtures("prefect_server")
def test_escape_sequences_from_an_llm_are_shown_not_obeyed(sim):
    sim.script("gemini", [Reply(text=code_answer({"app/main.py": DEFAULT_CODE}, prose="\x1b[2J\x1b[31mHi"))])
    done = runner.invoke(app, ["generate", "Write a greeting script for the Lyra service", "--stack", "python",
                               "--json"])
    call_id = json.loads(done.stdout)["attempts"][0]["call_id"]
    shown = runner.invoke(app, ["calls", "show", str(call_id)])
    assert shown.exit_code == 0 and "\x1b" not in shown.stdout and "\\x1b[2J" in shown.stdout


def test_an_unreachable_prefect_api_is_one_line_and_exit_2(tmp_path):
    env = _env(tmp_path / "home") | {"PREFECT_API_URL": "http://127.0.0.1:9/api"}
    done = _run(["generate", "CRUD API for Customer records", "--stack", "python,fastapi"], env)
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.startswith("error: PREFECT_API_URL: cannot reach") and done.stderr.count("\n") == 1


@pytest.mark.usefixtures("prefect_server")
def test_templates_add_serves_hand_written_code_offline(tmp_path, monkeypatch):
    """The failure report's advice: add the hand-written component; the next similar task is served from it
    with no provider configured."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "invoices.py").write_text(
        '"""Invoices."""\n\nfrom dataclasses import dataclass\n\n\n@dataclass\nclass Invoice:\n'
        '    """An invoice."""\n\n    number: str\n    amounts: list[float]\n\n\n'
        'def invoice_sum(invoice: Invoice) -> float:\n    """Sum an invoice."""\n    return sum(invoice.amounts)\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    task = "Dataclass for Invoice records"
    added = runner.invoke(app, ["templates", "add", task, "--stack", "python", "app/invoices.py"])
    assert added.exit_code == 0 and "added tpl-" in added.stdout and "entity=invoice" in added.stdout
    again = runner.invoke(app, ["templates", "add", task, "--stack", "python", "app/invoices.py"])
    assert again.exit_code == 0 and "already covers this task" in again.stdout
    done = runner.invoke(app, ["generate", "Dataclass for Purchase Order records", "--stack", "python", "--json"])
    result = json.loads(done.stdout)
    assert done.exit_code == 0 and result["source"] == "template" and result["cost_usd"] == 0
    [f] = result["files"]
    assert f["path"] == "app/purchase_orders.py"
    assert "def purchase_order_sum(purchase_order: PurchaseOrder)" in f["content"]


@pytest.mark.parametrize("code, message", [
    ("x = eval(input())\n", "fails static validation"),
    ('"""Nothing."""\n\nVALUE = 1\n', "not added: no name of the task is a name the code defines"),
])
def test_templates_add_refuses_bad_code_in_one_line(tmp_path, monkeypatch, code, message):
    (tmp_path / "job.py").write_text(code, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(app, ["templates", "add", "Dataclass for Invoice records", "--stack", "python", "job.py"])
    assert done.exit_code == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    missing = runner.invoke(app, ["templates", "add", "Dataclass for Invoice records", "--stack", "python", "nope.py"])
    assert missing.exit_code == 2 and "cannot read nope.py" in missing.stderr


LOGIN = ('"""Partner login."""\n\nimport hmac\n\n\ndef check_partner_login(partner_password_hash: bytes, '
         'candidate_hash: bytes) -> bool:\n    """True when the partner\'s password hash matches."""\n'
         '    return hmac.compare_digest(partner_password_hash, candidate_hash)\n')


def test_templates_add_of_a_security_sensitive_task_needs_a_review(sim, tmp_path, monkeypatch):
    """Served from the library, a template is not reviewed again: a sensitive task's code is reviewed before
    it is added, by the first configured provider of the chain."""
    (tmp_path / "login.py").write_text(LOGIN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["templates", "add", "Login check for Partner accounts with password", "--stack", "python", "login.py"]
    sim.script("gemini", [Reply(json={"issues": [{"description": "no rate limit on attempts", "severity": "high"}],
                                      "severity": "high", "recommendation": "reject", "score": 40})])
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "the gemini review did not approve" in refused.stderr
    assert "no rate limit" in refused.stderr
    sim.script("gemini", [Reply(json={"issues": [], "severity": "none", "recommendation": "approve", "score": 97})])
    added = runner.invoke(app, args)
    assert added.exit_code == 0 and "reviewed by gemini: approve, score 97" in added.stdout, added.output
    calls = json.loads("[" + ",".join(runner.invoke(app, ["calls", "--json"]).stdout.split("\n")[:-1]) + "]")
    assert [(c["purpose"], c["agent"]) for c in calls][:2] == [("review", "admin"), ("review", "admin")]


def test_templates_add_of_a_sensitive_task_without_providers_says_how(tmp_path, monkeypatch):
    (tmp_path / "login.py").write_text(LOGIN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["templates", "add", "Login check for Partner accounts with password", "--stack", "python", "login.py"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "needs a provider's review" in refused.stderr and "--no-review" in refused.stderr
    vouched = runner.invoke(app, [*args, "--no-review"])
    assert vouched.exit_code == 0 and "added tpl-" in vouched.stdout


def test_code_a_review_approved_but_that_cannot_be_learned_says_both(sim, tmp_path, monkeypatch):
    """The review ran (and was paid for) before learning refused the code: stdout says so, stderr says why."""
    (tmp_path / "login.py").write_text('"""Login."""\n\nimport hmac\n\n\ndef verify(stored: bytes, given: bytes) -> '
                                       'bool:\n    """True when they match."""\n'
                                       '    return hmac.compare_digest(stored, given)\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sim.script("gemini", [Reply(json={"issues": [], "severity": "none", "recommendation": "approve", "score": 97})])
    done = runner.invoke(app, ["templates", "add", "Login check for Partner accounts with password", "--stack",
                               "python", "login.py"])
    assert done.exit_code == 2 and done.stdout.startswith("reviewed by gemini: approve")
    assert done.stderr.startswith("error: not added: no name of the task") and done.stderr.count("\n") == 1
