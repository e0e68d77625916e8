"""The ``q2o`` command line: generate code, check providers, read the call ledger, keep the template library,
the budget, the prompt layers and the configuration, the reports (costs, the report endpoint), the shared Prefect
server and a warm worker for deployments. One module a command group; this one assembles them into the app.

User errors (bad input or configuration) print one line and exit 2; a failed generation exits 1.
"""

from __future__ import annotations

import typer

from cli import (
    budget,
    calls,
    config,
    generate,
    host,
    prompts,
    providers,
    report,
    reports,
    requests,
    server,
    templates,
    worker,
)
from cli.console import quiet_prefect_logs

app = typer.Typer(
    help="Q2O Forge: code generation for Q2O agents.", no_args_is_help=True, pretty_exceptions_enable=False
)
app.command("generate")(generate.generate)
app.add_typer(providers.app, name="providers")
app.add_typer(calls.app, name="calls")
app.add_typer(requests.app, name="requests")
app.add_typer(templates.app, name="templates")
app.add_typer(budget.app, name="budget")
app.add_typer(prompts.app, name="prompts")
app.add_typer(config.app, name="config")
reports.app.command("costs")(report.costs)  # one reports group: costs at a glance beside the endpoint and list
app.add_typer(reports.app, name="reports")
app.add_typer(reports.app, name="report", hidden=True)  # `q2o report costs`, as the plan spells it
app.add_typer(server.app, name="server")
app.add_typer(host.app, name="host", hidden=True)  # the run host the services table starts
app.add_typer(worker.app, name="worker")


def main() -> None:  # pragma: no cover - console entry point
    # Prefect's logs stay off the terminal; PREFECT_LOGGING_LEVEL=INFO shows them.
    quiet_prefect_logs()
    app()
