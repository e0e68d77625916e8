"""What ``q2o generate`` prints: generated files as generated (piped) or highlighted but never wrapped (on a
terminal), and a summary line that keeps the request id whole and shows a template's bindings readably."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from simulator import Reply, code_answer

runner = CliRunner()

LONG_LINE = '    message = "' + "a string literal long enough to be wrapped by any terminal " * 3 + '"\n'
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
    done = runner.invoke(
        app,
        ["generate", "Write a greeting script for the Lyra service", "--stack", "python", "--provider", "openai"],
        env={"COLUMNS": "40"},
    )
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

    from cli import generate as generate_command
    from contracts import GeneratedFile

    buffer = io.StringIO()
    monkeypatch.setattr(
        generate_command, "out", Console(file=buffer, force_terminal=True, width=40, color_system="truecolor")
    )
    monkeypatch.setattr(generate_command, "_stdout_is_terminal", lambda: True)
    generate_command.print_files([GeneratedFile(path=p, content=c) for p, c in FILES.items()])
    shown = re.sub(r"\x1b\[[0-9;]*m", "", buffer.getvalue())
    assert "\x1b[" in buffer.getvalue()  # highlighted
    for content in FILES.values():
        assert content in shown
    assert not [line for line in shown.splitlines() if line != line.rstrip()]
