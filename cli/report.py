"""``q2o report``: reports on demand. ``report costs`` runs the cost-report flow (the HTML and PDF under
``Q2O_HOME/reports``, the ``q2o-costs`` and ``q2o-templates`` artifacts) and prints the costs at a glance."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cli.console import cli_settings, fail_usage, out, run_flow, terminal_safe
from settings import UsageError

if TYPE_CHECKING:
    from reports.costs import CostReport, GroupSpend

app = typer.Typer(help="Reports on demand: the costs at a glance.", no_args_is_help=True)

SPARKS = "▁▂▃▄▅▆▇█"


def _days(text: str) -> int:
    from reports.costs import MAX_DAYS

    try:
        days = int(text.strip())
    except ValueError:
        raise fail_usage(f"--days: a whole number of days from 1 to {MAX_DAYS}, not {text!r}") from None
    if not 1 <= days <= MAX_DAYS:
        raise fail_usage(f"--days: a whole number of days from 1 to {MAX_DAYS}, not {days}")
    return days


@app.command("costs")
def costs(
    days: Annotated[str, typer.Option("--days", help="Days in the daily trend, today included (1-366).")] = "30",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Budget, spent, reserved, remaining; today's calls, cost and average; spend by provider, agent and project;
    savings from templates and the cache; the daily trend. Writes the HTML and PDF, publishes the artifacts."""
    window = _days(days)
    cli_settings(open_db=True)
    from flows.cost_report import report_costs

    try:
        run = run_flow(report_costs(window))
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    if as_json:
        document = run.report.model_dump(mode="json") | {"html_path": run.html_path, "pdf_path": run.pdf_path}
        sys.stdout.write(json.dumps(document) + "\n")
        return
    _print_report(run.report)
    out.print(f"report: {run.html_path}", markup=False, soft_wrap=True)
    out.print(f"report: {run.pdf_path}", markup=False, soft_wrap=True)


def _usd(value: float | None) -> str:
    return "-" if value is None else f"${value:,.4f}"


def _groups(title: str, groups: list[GroupSpend]) -> str:
    from reports.costs import counted

    listed = ", ".join(f"{terminal_safe(g.name)} {_usd(g.cost_usd)} ({counted(g.calls)})" for g in groups)
    return f"by {title}: {listed or '-'}"


def sparkline(values: list[float]) -> str:
    """One block a day, its height the day's dollars against the window's dearest day."""
    top = max(values, default=0.0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, int(v / top * (len(SPARKS) - 1) + 0.5))] for v in values)


def _print_report(r: CostReport) -> None:
    from reports.costs import counted, text_bar

    average = "-" if r.today_average_usd is None else _usd(r.today_average_usd)
    s = r.savings
    lines = [
        f"{r.month} ({r.timezone}) · budget ${r.budget_usd:,.2f}",
        f"{text_bar(r.used_percent)}  spent {_usd(r.spent_usd)} · reserved {_usd(r.reserved_usd)} · "
        f"remaining {_usd(r.remaining_usd)}",
        f"today {r.today}: {counted(r.today_calls)}, {_usd(r.today_cost_usd)}, {average} per call; "
        f"this month: {counted(r.month_calls)}"
        + (f" ({r.calls_with_unknown_cost} of unknown cost, not in the sums)" if r.calls_with_unknown_cost else ""),
        _groups("provider", r.by_provider),
        _groups("agent", r.by_agent),
        _groups("project", r.by_project),
        f"saved this month: {_usd(s.total_usd)} ({counted(s.template_requests, 'request')} from templates "
        f"{_usd(s.template_saved_usd)}, {counted(s.cache_requests, 'repeat')} from the cache "
        f"{_usd(s.cache_saved_usd)})",
        f"last {r.days} days: {r.trend[0].day} {sparkline([d.cost_usd for d in r.trend])} {r.trend[-1].day}, "
        f"{counted(sum(d.calls for d in r.trend))}, {_usd(sum(d.cost_usd for d in r.trend))}",
    ]
    for line in lines:
        out.print(line, markup=False, highlight=False, soft_wrap=True)
