"""Typer CLI that lets a user run a tool with extra arguments, safely split."""

import shlex
import subprocess

import typer

app = typer.Typer()


@app.command()
def lint(paths: list[str], extra: str = typer.Option("", help="Extra flags for ruff, e.g. '--fix --select E'")) -> None:
    """Run ruff on ``paths`` with the extra flags, without invoking a shell."""
    cmd = ["ruff", "check", *shlex.split(extra), "--", *paths]
    typer.echo("running: " + shlex.join(cmd))
    result = subprocess.run(cmd, check=False)
    raise typer.Exit(code=result.returncode)


if __name__ == "__main__":
    app()
