"""``q2o budget set`` and ``close``: amounts read as dollars (thousands separators, small budgets shown), bad
amounts and months refused in one line (exit 2). Status and the close flow are in tests/budget."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def test_a_positive_budget_is_still_set():
    done = runner.invoke(app, ["budget", "set", "0.5"])
    assert done.exit_code == 0 and "monthly budget set" in done.stdout, done.output


@pytest.mark.parametrize("amount", ["-5", "abc", "nan", "inf", "--", "5,5", "1e400"])
def test_bad_amounts_are_refused_in_one_line(amount):
    done = runner.invoke(app, ["budget", "set", "--", amount])
    assert done.exit_code == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: AMOUNT")


@pytest.mark.parametrize("month", ["2026-13", "0000-01", "9999-12", "2026-1", "2026-10x"])
def test_close_refuses_a_bad_month_in_one_line(month):
    done = runner.invoke(app, ["budget", "close", "--month", month])
    assert done.exit_code == 2 and "--month" in done.stderr and done.stderr.count("\n") == 1


def test_set_reads_thousands_and_shows_small_budgets():
    assert "set to $1,000.50" in runner.invoke(app, ["budget", "set", "1,000.50"]).stdout
    assert "set to $0.0010" in runner.invoke(app, ["budget", "set", "0.001"]).stdout
