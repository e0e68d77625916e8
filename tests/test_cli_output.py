"""The q2o command line's output and option parsing: generated files printed as generated, a summary line that
keeps the request id whole, Prefect's service warnings off the terminal, and one-line errors for bad options."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from tests.sim import Reply, code_answer

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

LONG_LINE = "    message = \"" + "a string literal long enough to be wrapped by any terminal " * 3 + "\"\n"
FILES = {
    "app/main.py": '"""Greeting."""\n\n\ndef main() -> None:\n' + LONG_LINE + "    print(message)\n",
    "app/util.py": "def shout(text: str) -> str:\n    return text.upper()  # " + "x" * 120 + "\n",
}


def _printed_files(stdout: str) -> dict[str, str]:
    files: dict[str, str] = {}
    path = None
    for line in stdout.splitlines(keepends=True):
        if line.startswith("# file: "):
            path = line.removeprefix("# file: ").rstrip("\n")
            files[path] = ""
        elif path is not None:
            files[path] += line
    return files


@pytest.mark.usefixtures("prefect_server")
def test_generate_piped_prints_each_file_verbatim_with_a_header_and_the_summary_keeps_the_request_id(sim):
    sim.script("openai", [Reply(text=code_answer(FILES))])
    done = runner.invoke(app, ["generate", "Write a greeting script for the Lyra service", "--stack", "python",
                               "--provider", "openai"], env={"COLUMNS": "40"})
    assert done.exit_code == 0, done.output
    assert _printed_files(done.stdout) == FILES
    for path, content in FILES.items():
        assert f"# file: {path}\n{content}" in done.stdout
    assert not [line for line in done.stdout.splitlines() if line != line.rstrip()]
    request_id = json.loads(runner.invoke(app, ["calls", "--json"]).stdout.splitlines()[0])["request_id"]
    summary = done.stderr.strip().splitlines()[-1]  # Prefect's run logs come first: tests do not run cli.main
    assert summary.startswith("openai gpt-") and summary.endswith(f" · request {request_id}"), done.stderr


@pytest.mark.usefixtures("prefect_server")
def test_a_template_answer_shows_its_bindings_readably(sim):
    done = runner.invoke(app, ["generate", "CRUD API for Customer records", "--stack", "python,fastapi"])
    assert done.exit_code == 0, done.output
    summary = done.stderr.strip().splitlines()[-1]
    assert summary.startswith("template ") and "entity=customer)" in summary and "{" not in summary, done.stderr
    assert " · request " in summary


def test_on_a_terminal_files_are_highlighted_but_not_wrapped_nor_padded(monkeypatch):
    import io
    import re

    from rich.console import Console

    import cli
    from codegen.models import GeneratedFile

    buffer = io.StringIO()
    monkeypatch.setattr(cli, "out", Console(file=buffer, force_terminal=True, width=40, color_system="truecolor"))
    monkeypatch.setattr(cli, "_stdout_is_terminal", lambda: True)
    cli.print_files([GeneratedFile(path=p, content=c) for p, c in FILES.items()])
    shown = re.sub(r"\x1b\[[0-9;]*m", "", buffer.getvalue())
    assert "\x1b[" in buffer.getvalue()  # highlighted
    for content in FILES.values():
        assert content in shown
    assert not [line for line in shown.splitlines() if line != line.rstrip()]


_SERVICE_WARNING = """
import logging, sys
from cli_common import quiet_prefect_logs
quiet_prefect_logs()
from prefect.events.worker import EventsWorker
from prefect.logging.configuration import setup_logging
setup_logging(incremental=False)  # as the embedded Prefect server does again at its start
logging.getLogger(EventsWorker.__name__).warning("Still processing items: 9 items remaining...")
logging.getLogger("prefect.flow_runs").warning("a flow run warning")
"""


@pytest.mark.parametrize("level, shown", [(None, False), ("INFO", True)])
def test_prefect_service_warnings_stay_off_the_terminal_unless_asked_for(tmp_path, level, shown):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PREFECT_HOME": str(tmp_path / "prefect")}
    if level:
        env["PREFECT_LOGGING_LEVEL"] = level
    done = subprocess.run([sys.executable, "-c", _SERVICE_WARNING], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert ("Still processing items" in done.stderr) is shown, done.stderr
    assert ("a flow run warning" in done.stderr) is shown, done.stderr


def test_templates_list_all_or_enabled_only():
    first = runner.invoke(app, ["templates", "list"]).stdout.split()
    starter = next(word for word in first if word.startswith("tpl-"))
    assert runner.invoke(app, ["templates", "disable", starter]).exit_code == 0
    assert starter in runner.invoke(app, ["templates", "list"]).stdout
    assert starter in runner.invoke(app, ["templates", "list", "--all"]).stdout
    enabled = runner.invoke(app, ["templates", "list", "--enabled-only"])
    assert enabled.exit_code == 0 and "tpl-" in enabled.stdout and starter not in enabled.stdout
    assert "--enabled-only" in runner.invoke(app, ["templates", "list", "--help"]).stdout


@pytest.mark.parametrize("args, message", [
    (["budget", "set", "-5"], "error: AMOUNT: the budget must be a finite amount >= 0, not -5"),
    (["budget", "set", "-0.5"], "error: AMOUNT: the budget must be a finite amount >= 0, not -0.5"),
    (["budget", "set", "--", "-5"], "error: AMOUNT: the budget must be a finite amount >= 0, not -5"),
    (["calls", "--provider", "bogus"], "error: --provider: unknown provider bogus; choose from gemini, openai"),
    (["generate", "CRUD API", "--stack", "python", "--provider", "openai,openai"],
     "error: --provider: openai appears more than once"),
    (["generate", "CRUD API", "--stack", "python", "--provider", "openai,anthropic,OpenAI"],
     "error: --provider: openai appears more than once"),
    (["generate", "CRUD API", "--stack", "python", "--provider", ""], "error: --provider: the provider list is empty"),
    (["generate", "CRUD API", "--stack", "python", "--provider", "openai,,gemini"],
     "error: --provider: the provider list has an empty entry"),
    (["providers", "check", "--provider", ""], "error: --provider: the provider list is empty"),
])
def test_bad_options_are_one_line_and_exit_2(args, message):
    done = runner.invoke(app, args)
    assert done.exit_code == 2, done.output
    assert done.stderr.startswith(message) and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not done.stdout


def test_a_positive_budget_is_still_set():
    done = runner.invoke(app, ["budget", "set", "0.5"])
    assert done.exit_code == 0 and "monthly budget set" in done.stdout, done.output
