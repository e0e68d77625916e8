"""``q2o budget``: status, set, close (issue 5)."""

from __future__ import annotations

import typer

app = typer.Typer(help="The monthly budget: status, set, close.", no_args_is_help=True)
