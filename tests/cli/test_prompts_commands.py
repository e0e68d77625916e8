"""``q2o prompts``: set, show (each part's layer), history, reset, list and test from the command line; bad input
is one line and exit 2; ``test`` renders without calling a provider."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli import app

runner = CliRunner()
ACME = "{% block instructions %}Follow ACME coding standards, use ACME's logger, no GPL dependencies.{% endblock %}"


def _ok(*args: str):
    done = runner.invoke(app, ["prompts", *args])
    assert done.exit_code == 0, done.output
    return done


def test_set_show_history_reset_and_list(tmp_path):
    layer = tmp_path / "acme.j2"
    layer.write_text(ACME)
    assert (
        "project acme v1 set by alice"
        in _ok("set", "system", "--project", "acme", "--file", str(layer), "--by", "alice").stdout
    )
    assert "unchanged" in _ok("set", "system", "--project", "acme", "--text", ACME).stdout

    [shown] = json.loads(_ok("show", "system", "--project", "acme", "--json").stdout)
    sources = {p["block"]: p["source"] for p in shown["parts"]}
    assert sources["instructions"] == "project acme v1" and sources["role"] == "system"
    assert "Follow ACME coding standards" in _ok("show", "system", "--project", "acme").stdout
    assert "Follow ACME" not in _ok("show", "system", "--project", "other").stdout

    listed = json.loads(_ok("list", "--json").stdout)
    assert [(x["prompt"], x["scope"], x["target"]) for x in listed["layers"]] == [("system", "project", "acme")]
    assert listed["prompts"]["generate"] == ["context", "instructions"]

    assert "removed by bob" in _ok("reset", "system", "--project", "acme", "--by", "bob").stdout
    history = json.loads(_ok("history", "system", "--project", "acme", "--json").stdout)
    assert [(c["layer"]["version"], c["layer"]["author"], c["layer"]["text"] is None) for c in history] == [
        (1, "alice", False),
        (2, "bob", True),
    ]
    assert "-{% block instructions %}Follow ACME" in _ok("history", "system").stdout
    assert "no layer is set" in _ok("list").stdout


def test_test_renders_the_layers_without_calling_a_provider(sim):
    _ok("set", "generate", "--task-type", "api", "--text", "{% block instructions %}Add OpenAPI docs.{% endblock %}")
    rendered = json.loads(
        _ok("test", "--task-type", "api", "--task", "Orders API", "--instructions", "Use tabs.", "--json").stdout
    )
    assert set(rendered) == {"system", "generate"}
    assert "Use tabs." in rendered["system"] and "Add OpenAPI docs." in rendered["generate"]
    assert "<<<TASK\nOrders API\nTASK>>>" in rendered["generate"]
    review = json.loads(_ok("test", "review", "--json").stdout)["review"]
    assert "<<<CODE" in review
    assert sim.requests == []  # nothing was sent


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    for args, says in [
        (
            [
                "set",
                "generate",
                "--agent",
                "coder",
                "--text",
                "{% block instructions %}{{ task_description }}{% endblock %}",
            ],
            "may not place",
        ),
        (["set", "generate", "--text", ACME], "name one layer"),
        (["set", "generate", "--agent", "a", "--project", "p", "--text", ACME], "name one layer"),
        (["set", "generate", "--agent", "coder"], "--file F or --text T"),
        (["set", "generate", "--agent", "coder", "--file", str(tmp_path / "missing.j2")], "--file: cannot read"),
        (["set", "nope", "--agent", "coder", "--text", ACME], "unknown prompt"),
        (["reset", "system", "--agent", "coder"], "no agent layer coder"),
        (["show", "nope"], "unknown prompt"),
        (["test", "nope"], "unknown prompt"),
        (["test", "--agent", "bad name!"], "agent"),
    ]:
        done = runner.invoke(app, ["prompts", *args])
        assert done.exit_code == 2, (args, done.output)
        assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1 and says in done.stderr, done.stderr
