"""``q2o templates add``: hand-written code served offline afterwards, bad code refused in one line (exit 2), and
a security-sensitive task's code reviewed first (or vouched for with --no-review)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from simulator import Reply

runner = CliRunner()

LOGIN = (
    '"""Partner login."""\n\nimport hmac\n\n\ndef check_partner_login(partner_password_hash: bytes, '
    'candidate_hash: bytes) -> bool:\n    """True when the partner\'s password hash matches."""\n'
    "    return hmac.compare_digest(partner_password_hash, candidate_hash)\n"
)


@pytest.mark.usefixtures("prefect_server")
def test_templates_add_serves_hand_written_code_offline(tmp_path, monkeypatch):
    """The failure report's advice: add the hand-written component; the next similar task is served from it
    with no provider configured."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "invoices.py").write_text(
        '"""Invoices."""\n\nfrom dataclasses import dataclass\n\n\n@dataclass\nclass Invoice:\n'
        '    """An invoice."""\n\n    number: str\n    amounts: list[float]\n\n\n'
        'def invoice_sum(invoice: Invoice) -> float:\n    """Sum an invoice."""\n    return sum(invoice.amounts)\n',
        encoding="utf-8",
    )
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


@pytest.mark.parametrize(
    "code, message",
    [
        ("x = eval(input())\n", "fails static validation"),
        ('"""Nothing."""\n\nVALUE = 1\n', "not added: no name of the task is a name the code defines"),
    ],
)
def test_templates_add_refuses_bad_code_in_one_line(tmp_path, monkeypatch, code, message):
    (tmp_path / "job.py").write_text(code, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(app, ["templates", "add", "Dataclass for Invoice records", "--stack", "python", "job.py"])
    assert done.exit_code == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    missing = runner.invoke(app, ["templates", "add", "Dataclass for Invoice records", "--stack", "python", "nope.py"])
    assert missing.exit_code == 2 and "cannot read nope.py" in missing.stderr


def test_templates_add_of_a_security_sensitive_task_needs_a_review(sim, tmp_path, monkeypatch):
    """Served from the library, a template is not reviewed again: a sensitive task's code is reviewed before
    it is added, by the first configured provider of the chain."""
    (tmp_path / "login.py").write_text(LOGIN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["templates", "add", "Login check for Partner accounts with password", "--stack", "python", "login.py"]
    sim.script(
        "gemini",
        [
            Reply(
                json={
                    "issues": [{"description": "no rate limit on attempts", "severity": "high"}],
                    "severity": "high",
                    "recommendation": "reject",
                    "score": 40,
                }
            )
        ],
    )
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
    # vouching skips the review of the code added, not of each render served: the user is told so
    assert "security-sensitive" in vouched.stderr and "reviews its render" in vouched.stderr


def test_code_a_review_approved_but_that_cannot_be_learned_says_both(sim, tmp_path, monkeypatch):
    """The review ran (and was paid for) before learning refused the code: stdout says so, stderr says why."""
    (tmp_path / "login.py").write_text(
        '"""Login."""\n\nimport hmac\n\n\ndef verify(stored: bytes, given: bytes) -> '
        'bool:\n    """True when they match."""\n'
        "    return hmac.compare_digest(stored, given)\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    sim.script("gemini", [Reply(json={"issues": [], "severity": "none", "recommendation": "approve", "score": 97})])
    done = runner.invoke(
        app, ["templates", "add", "Login check for Partner accounts with password", "--stack", "python", "login.py"]
    )
    assert done.exit_code == 2 and done.stdout.startswith("reviewed by gemini: approve")
    assert done.stderr.startswith("error: not added: no name of the task") and done.stderr.count("\n") == 1
