"""``q2o calls`` and ``q2o calls show``: the ledger rows of a generation, filters, JSON, unknown ids (exit 2) and
escape sequences from an LLM shown, not obeyed."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from simulator import DEFAULT_CODE, Reply, code_answer

runner = CliRunner()


@pytest.mark.usefixtures("prefect_server")
def test_generate_json_success_then_calls_list_and_show(sim):
    done = runner.invoke(
        app,
        [
            "generate",
            "Write a greeting script for the Lyra service",
            "--stack",
            "python",
            "--agent",
            "researcher",
            "--project",
            "acme",
            "--provider",
            "openai",
            "--json",
        ],
    )
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert set(result) >= {
        "request_id",
        "status",
        "source",
        "files",
        "provider",
        "model",
        "cost_usd",
        "quality_score",
        "attempts",
        "template_id",
        "error",
        "report_paths",
    }
    assert result["status"] == "succeeded" and result["provider"] == "openai" and result["source"] == "llm"
    assert set(result["attempts"][0]) >= {
        "provider",
        "model",
        "attempt",
        "status",
        "error",
        "duration_s",
        "input_tokens",
        "output_tokens",
        "cost_usd",
    }
    listed = runner.invoke(
        app, ["calls", "--agent", "researcher", "--provider", "openai", "--status", "succeeded", "--json"]
    )
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


def test_an_out_of_range_call_id_is_exit_2():
    assert runner.invoke(app, ["calls", "show", "99999999999999999999999"]).exit_code == 2


@pytest.mark.usefixtures("prefect_server")
def test_escape_sequences_from_an_llm_are_shown_not_obeyed(sim):
    sim.script("gemini", [Reply(text=code_answer({"app/main.py": DEFAULT_CODE}, prose="\x1b[2J\x1b[31mHi"))])
    done = runner.invoke(
        app, ["generate", "Write a greeting script for the Lyra service", "--stack", "python", "--json"]
    )
    call_id = json.loads(done.stdout)["attempts"][0]["call_id"]
    shown = runner.invoke(app, ["calls", "show", str(call_id)])
    assert shown.exit_code == 0 and "\x1b" not in shown.stdout and "\\x1b[2J" in shown.stdout


EVAL_CODE = code_answer(
    {
        "app/calc.py": '"""Calculator."""\n\n\ndef calc(expr: str) -> object:\n'
        '    """Evaluate."""\n    return eval(expr)\n'
    }
)


@pytest.mark.usefixtures("prefect_server")
def test_an_answer_validation_rejected_is_rejected_in_calls_as_in_the_result(sim):
    sim.script("gemini", [Reply(text=EVAL_CODE)])
    done = runner.invoke(
        app, ["generate", "Write a calculator for the Lyra service", "--stack", "python", "--agent", "qa", "--json"]
    )
    result = json.loads(done.stdout)
    first = result["attempts"][0]
    assert (first["provider"], first["status"], first["error_kind"]) == ("gemini", "failed", "failed_validation")
    rejected = [
        json.loads(line)
        for line in runner.invoke(app, ["calls", "--agent", "qa", "--status", "rejected", "--json"]).stdout.splitlines()
    ]
    assert [(r["id"], r["outcome"], r["verdict"]) for r in rejected] == [
        (first["call_id"], "rejected", "failed_validation")
    ]
    assert rejected[0]["verdict_reason"] == first["error"]
    accepted = [
        json.loads(line)
        for line in runner.invoke(
            app, ["calls", "--agent", "qa", "--status", "succeeded", "--json"]
        ).stdout.splitlines()
    ]
    assert [r["provider"] for r in accepted] == [result["provider"]] and result["status"] == "succeeded"
    table = runner.invoke(app, ["calls", "--agent", "qa"]).stdout
    assert "rejected" in table and "failed_validation" in table


def _seed_calls() -> dict[str, int]:
    """Three finished calls of two projects and requests; the first one two days old."""
    from datetime import timedelta

    from sqlalchemy import update

    from settings import load_settings
    from storage import CallLedger, open_database
    from storage.models import Call
    from storage.models import utcnow as now

    settings = load_settings()
    settings.ensure_home()
    db = open_database(settings.resolved_database_url)
    ledger = CallLedger(db)
    ids = {}
    for name, project, request_id, prompt, flow_run_id in (
        ("old", "acme", "req-1", "Write the Invoice_Total 100% helper", None),
        ("acme", "acme", "req-2", "Write a Lyra greeting", "5f0c7a52-0000-4000-8000-000000000001"),
        ("globex", "globex", "req-3", "Write a Vega greeting", None),
    ):
        call_id = ledger.start(
            request_id=request_id,
            flow_run_id=flow_run_id,
            agent="coder",
            project=project,
            provider="openai",
            model="gpt-4.1-mini",
            attempt=1,
            system_prompt="system",
            prompt=prompt,
        )
        ledger.finish(call_id, status="succeeded", cost_usd=0.001, response_text=f"code for {name}")
        ids[name] = call_id
    with db.session() as session:
        session.execute(update(Call).where(Call.id == ids["old"]).values(created_at=now() - timedelta(days=2)))
    return ids


def _listed(*args: str) -> list[int]:
    done = runner.invoke(app, ["calls", *args, "--json"])
    assert done.exit_code == 0, done.output
    return [json.loads(line)["id"] for line in done.stdout.splitlines()]


def test_calls_filter_by_project_request_since_and_search():
    ids = _seed_calls()
    assert _listed("--project", "acme") == [ids["acme"], ids["old"]]
    assert _listed("--request", "req-3") == [ids["globex"]]
    assert _listed("--since", "1d") == [ids["globex"], ids["acme"]]
    assert _listed("--since", "2020-01-01") == [ids["globex"], ids["acme"], ids["old"]]
    assert _listed("--search", "lyra") == [ids["acme"]]  # any case, in the prompt
    assert _listed("--search", "code for globex") == [ids["globex"]]  # in the response
    assert _listed("--search", "100%") == [ids["old"]]  # taken literally, not as a pattern
    assert _listed("--search", "e_t") == [ids["old"]]  # "_" is not a wildcard: Invoice_Total
    assert _listed("--project", "acme", "--search", "vega") == []
    done = runner.invoke(app, ["calls", "--since", "yesterday"])
    assert done.exit_code == 2 and "--since" in done.output


def test_each_call_links_to_its_run_in_the_ui(monkeypatch):
    ids = _seed_calls()
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    rows = {
        json.loads(line)["id"]: json.loads(line) for line in runner.invoke(app, ["calls", "--json"]).stdout.splitlines()
    }
    assert rows[ids["acme"]]["run_url"] == "http://127.0.0.1:4200/runs/flow-run/5f0c7a52-0000-4000-8000-000000000001"
    assert rows[ids["globex"]]["run_url"] is None  # made outside a flow run
    shown = runner.invoke(app, ["calls", "show", str(ids["acme"])])
    assert "runs/flow-run/5f0c7a52" in shown.output
    monkeypatch.delenv("PREFECT_API_URL")
    assert json.loads(runner.invoke(app, ["calls", "show", str(ids["acme"]), "--json"]).stdout)["run_url"] is None


def test_calls_keep_the_model_asked_for_beside_the_one_that_answered():
    from cli.calls import _model_text
    from settings import load_settings
    from storage import CallLedger, open_database

    ledger = CallLedger(open_database(load_settings().resolved_database_url))
    call_id = ledger.start(
        request_id="alias",
        flow_run_id=None,
        agent="coder",
        project="acme",
        provider="openai",
        model="gpt-4o-mini",
        attempt=1,
        system_prompt="",
        prompt="hi",
    )
    ledger.finish(call_id, status="succeeded", model="served-alias", cost_usd=0.0001, input_tokens=1, output_tokens=1)
    [row] = [json.loads(line) for line in runner.invoke(app, ["calls", "--json"]).stdout.splitlines()]
    assert (row["model"], row["model_asked"]) == ("served-alias", "gpt-4o-mini")
    record = ledger.get(call_id)
    assert record is not None and _model_text(record) == "served-alias (asked gpt-4o-mini)"
    dated = record.model_copy(update={"model": "gpt-4o-mini-2024-07-18"})
    assert _model_text(dated) == "gpt-4o-mini-2024-07-18"  # a dated form of the same model says nothing new


def test_with_the_shared_server_calls_link_its_ui_without_starting_it(monkeypatch):
    """No PREFECT_API_URL in the shell: the links come from the shared server this Q2O_HOME recorded."""
    import time

    from services import service_named
    from services.processes import ServiceState, _paths, _write_state
    from settings import load_settings

    ids = _seed_calls()
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("Q2O_SERVER", "shared")
    settings = load_settings()
    state_file = _paths(settings, service_named("prefect"))[0]
    state_file.parent.mkdir(parents=True, exist_ok=True)
    _write_state(
        state_file,
        ServiceState(
            name="prefect",
            pid=1,
            host="127.0.0.1",
            port=4321,
            url="http://127.0.0.1:4321/api",
            health="http://127.0.0.1:4321/api/health",
            ui="http://127.0.0.1:4321",
            argv=["prefect"],
            started_at=time.time(),
            log="prefect.log",
        ),
    )
    rows = {
        json.loads(line)["id"]: json.loads(line) for line in runner.invoke(app, ["calls", "--json"]).stdout.splitlines()
    }
    assert rows[ids["acme"]]["run_url"] == "http://127.0.0.1:4321/runs/flow-run/5f0c7a52-0000-4000-8000-000000000001"
    assert not list(state_file.parent.glob("*.log"))  # nothing was started
