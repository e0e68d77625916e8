"""Ping a host from a CLI."""

import os

import typer

app = typer.Typer()


@app.command()
def ping(host: str) -> None:
    """Ping ``host`` four times."""
    status = os.system("ping -c 4 " + host)
    typer.echo(f"exit status {status}")
