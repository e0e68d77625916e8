"""``q2o templates`` list, stats, reindex, disable and export: the seeded starters, the enabled-only filter, and
one-line errors (exit 2) for a missing id or an unwritable export."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli import app

runner = CliRunner()


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


def test_templates_list_all_or_enabled_only():
    first = runner.invoke(app, ["templates", "list"]).stdout.split()
    starter = next(word for word in first if word.startswith("tpl-"))
    assert runner.invoke(app, ["templates", "disable", starter]).exit_code == 0
    assert starter in runner.invoke(app, ["templates", "list"]).stdout
    assert starter in runner.invoke(app, ["templates", "list", "--all"]).stdout
    enabled = runner.invoke(app, ["templates", "list", "--enabled-only"])
    assert enabled.exit_code == 0 and "tpl-" in enabled.stdout and starter not in enabled.stdout
    assert "--enabled-only" in runner.invoke(app, ["templates", "list", "--help"]).stdout


def test_an_unwritable_export_is_exit_2(tmp_path):
    for target in (tmp_path / "missing" / "t.json", tmp_path):
        done = runner.invoke(app, ["templates", "export", str(target)])
        assert done.exit_code == 2 and done.stderr.startswith("error: cannot write"), done.output


def _learned(name_words: str = "Customer"):
    """A learned template made the way the engine makes one, with a long name, as a generation would store it."""
    from contracts import GeneratedFile
    from learning.engine import build_record
    from learning.library import seed_starters
    from settings import load_settings
    from storage import TemplateStore, open_database

    code = f"class {name_words}:\n    def __init__(self, {name_words.lower()}_id: int) -> None:\n        pass\n"
    record = build_record(
        f"Model for {name_words} records, with validation of every field, audit columns, soft deletes, "
        "optimistic locking and a changelog table kept for the compliance team's quarterly review",
        ["python"],
        [GeneratedFile(path="models.py", content=code)],
        origin="learned",
        source_provider="openai",
        source_model="gpt-4.1-mini",
        source_cost_usd=0.05,
        quality_score=88.0,
    )
    db = open_database(load_settings().resolved_database_url)
    seed_starters(db)
    store = TemplateStore(db)
    store.add(record)
    store.record_use(record.id, request_id="r", agent="coder", project="acme")
    store.record_use(record.id, request_id="r2", agent="coder", project="acme")
    return record


def test_templates_list_json_and_search():
    record = _learned()
    listed = runner.invoke(app, ["templates", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert len(rows) == json.loads(runner.invoke(app, ["templates", "stats", "--json"]).stdout)["templates"]
    mine = next(r for r in rows if r["id"] == record.id)
    assert mine["origin"] == "learned" and mine["source_provider"] == "openai"
    assert mine["source_model"] == "gpt-4.1-mini" and mine["uses"] == 2 and mine["failures"] == 0
    assert mine["quality"] == 88.0 and mine["dollars_saved_usd"] == 0.1 and mine["enabled"] is True
    assert all(r["dollars_saved_usd"] == 0 for r in rows if r["origin"] == "starter")  # never generated
    found = json.loads(runner.invoke(app, ["templates", "list", "--json", "--search", "MODEL compliance"]).stdout)
    assert [r["id"] for r in found] == [record.id]  # every word, any case, in the name or the task
    crud = json.loads(runner.invoke(app, ["templates", "list", "--json", "--search", "crud"]).stdout)
    assert crud and all(r["origin"] == "starter" for r in crud) and len(crud) < len(rows)
    assert json.loads(runner.invoke(app, ["templates", "list", "--json", "--search", "zebra quux"]).stdout) == []
    blank = runner.invoke(app, ["templates", "list", "--search", " "])
    assert blank.exit_code == 2 and blank.stderr.strip() == "error: --search: give some text to look for"


def test_templates_list_piped_is_one_row_a_line():
    record = _learned()
    listed = runner.invoke(app, ["templates", "list"])  # the runner's stdout is no terminal, as in a pipe
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].split("\t") == ["id", "name", "origin", "provider", "score", "uses", "fails", "on", "cost"]
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(r) == 9 for r in rows) and len(rows) == len(
        json.loads(runner.invoke(app, ["templates", "list", "--json"]).stdout)
    )
    [mine] = [r for r in rows if r[0] == record.id]
    assert mine[1] == record.name and len(record.name) > 80  # the whole name on its row, never wrapped or cut
    assert mine[2:] == ["learned", "openai", "88", "2", "0", "yes", "$0.0500"]
    searched = runner.invoke(app, ["templates", "list", "--search", "compliance"]).stdout.splitlines()
    assert len(searched) == 2 and searched[1].startswith(record.id + "\t")


def test_a_real_pipe_gets_the_same_rows(tmp_path):
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "cli", "templates", "list", "--search", "crud"],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | {"COLUMNS": "60"},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("id\tname\t") and len(lines) > 1
    assert all(len(line.split("\t")) == 9 for line in lines)


def test_list_json_and_show_say_the_phrasings_a_template_serves():
    rows = json.loads(runner.invoke(app, ["templates", "list", "--json"]).stdout)
    crud = next(r for r in rows if r["name"] == "fastapi,python: CRUD API for ⟦entity:title⟧ records")
    assert crud["phrasings"] and all("⟦entity:" in p for p in crud["phrasings"])
    shown = runner.invoke(app, ["templates", "show", crud["id"]])
    assert shown.exit_code == 0 and "phrasings" in shown.stdout
    assert crud["phrasings"][0] in shown.stdout  # one phrasing a line, as stored
