"""Typer CLI to restore a Postgres dump into a fresh database."""

import os

import typer

app = typer.Typer(help="Database maintenance commands.")


@app.command()
def restore(dump_file: str, database: str = "staging", jobs: int = 4) -> None:
    """Drop and recreate ``database``, then restore ``dump_file`` into it."""
    commands = [
        "dropdb --if-exists %s" % database,
        "createdb %s" % database,
        "pg_restore -j %d -d %s %s" % (jobs, database, dump_file),
    ]
    for command in commands:
        typer.echo(f"$ {command}")
        exit_code = os.system(command)
        if exit_code:
            typer.secho(f"command failed ({exit_code})", fg=typer.colors.RED)
            raise typer.Exit(code=1)
    typer.secho("restore complete", fg=typer.colors.GREEN)


if __name__ == "__main__":
    app()
