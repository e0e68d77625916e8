"""Typer command that exports users to CSV."""

import csv
from pathlib import Path

import typer

app = typer.Typer()


@app.command()
def export_users(out: Path, active_only: bool = True) -> None:
    """Write the users table to ``out``."""
    rows = [{"id": 1, "name": "Ada", "active": True}, {"id": 2, "name": "Linus", "active": False}]
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "name", "active"])
        writer.writeheader()
        writer.writerows(r for r in rows if r["active"] or not active_only)
    typer.echo(f"wrote {out}")
