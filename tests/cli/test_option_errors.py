"""Bad options of any command are one line on stderr, nothing on stdout, and exit 2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    "args, message",
    [
        (["budget", "set", "-5"], "error: AMOUNT: the budget must be a finite amount >= 0, not -5"),
        (["budget", "set", "-0.5"], "error: AMOUNT: the budget must be a finite amount >= 0, not -0.5"),
        (["budget", "set", "--", "-5"], "error: AMOUNT: the budget must be a finite amount >= 0, not -5"),
        (["calls", "--provider", "bogus"], "error: --provider: unknown provider bogus; choose from gemini, openai"),
        (
            ["generate", "CRUD API", "--stack", "python", "--provider", "openai,openai"],
            "error: --provider: openai appears more than once",
        ),
        (
            ["generate", "CRUD API", "--stack", "python", "--provider", "openai,anthropic,OpenAI"],
            "error: --provider: openai appears more than once",
        ),
        (
            ["generate", "CRUD API", "--stack", "python", "--provider", ""],
            "error: --provider: the provider list is empty",
        ),
        (
            ["generate", "CRUD API", "--stack", "python", "--provider", "openai,,gemini"],
            "error: --provider: the provider list has an empty entry",
        ),
        (["providers", "check", "--provider", ""], "error: --provider: the provider list is empty"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args, message):
    done = runner.invoke(app, args)
    assert done.exit_code == 2, done.output
    assert done.stderr.startswith(message) and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not done.stdout
