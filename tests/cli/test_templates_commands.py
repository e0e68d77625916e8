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
