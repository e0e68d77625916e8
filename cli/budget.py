"""``q2o budget``: status, set and close of the monthly budget."""

from __future__ import annotations

import logging
import math
import re
import sys
from typing import Annotated

import typer
from rich.table import Table

from cli.console import cli_settings, configured_database, fail_usage, out, run_flow, use_prefect
from settings import UsageError

app = typer.Typer(help="The monthly budget: status, set, close.", no_args_is_help=True)


@app.command("status")
def status(as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False) -> None:
    """Budget, spent, reserved, remaining, today's calls and cost, spend by provider and agent, alerts."""
    from budget import budget_status
    from budget.alerts import usd_text
    from budget.periods import local_text

    s = budget_status(cli_settings(open_db=True))
    if as_json:
        sys.stdout.write(s.model_dump_json() + "\n")
        return
    state = "[bold red]EXHAUSTED: template-only[/]" if s.exhausted else "[green]provider calls on[/]"
    if not s.exhausted and s.blocked_by:
        state = "[bold yellow]provider calls on, some off[/]"
    out.print(f"[bold]{s.month}[/] ({s.timezone}) · {state}")
    for blocked in s.blocked_by:  # which scope blocks calls, its figures, and when and how it lifts
        out.print(f"blocked: {blocked.text}", markup=False, soft_wrap=True)
    out.print(
        f"budget {usd_text(s.budget_usd)} · spent ${s.spent_usd:,.4f} · reserved ${s.reserved_usd:,.4f} · "
        f"remaining ${s.remaining_usd:,.4f} · {s.percent:.1f}%",
        markup=False,
        soft_wrap=True,
    )
    out.print(f"today: {s.today_calls} calls, ${s.today_cost_usd:,.4f}", markup=False)
    table = Table("budget", "limit", "spent", "reserved", "resets", box=None, header_style="bold")
    resets = {u.scope: u.resets_at for u in s.limits}
    for u in s.scopes:
        table.add_row(
            u.scope,
            usd_text(u.budget_usd),
            f"${u.settled_usd:,.4f}",
            f"${u.reserved_usd:,.4f}",
            local_text(resets[u.scope], s.timezone),
        )
    for d in s.limits[len(s.scopes) :]:  # the daily limits, in their own units
        used = f"{int(d.used)} calls" if d.unit == "calls" else f"${d.used:,.4f}"
        limit = f"{int(d.limit)} calls" if d.unit == "calls" else usd_text(d.limit) + " (alert only)"
        table.add_row(d.scope, limit, used, "", local_text(d.resets_at, s.timezone))
    out.print(table)
    for title, values in (("by provider", s.by_provider), ("by agent", s.by_agent)):
        out.print(f"{title}: " + (", ".join(f"{k} ${v:,.4f}" for k, v in values.items()) or "-"), markup=False)
    out.print("alerts fired: " + (", ".join(f"{a.scope} {a.level}%" for a in s.alerts) or "none"), markup=False)


# ignore_unknown_options: a negative amount (-5, -0.5) reaches the validation below instead of Click's
# "No such option: -5".
@app.command("set", context_settings={"ignore_unknown_options": True})
def set_budget(amount: Annotated[str, typer.Argument(help="Monthly budget in US dollars, e.g. 250.")]) -> None:
    """Store the monthly budget (it wins over Q2O_MONTHLY_BUDGET_USD)."""
    value = _dollars(amount)
    from budget import BudgetGuard
    from budget.alerts import usd_text

    settings = cli_settings()
    configured_database(settings)
    # The command prints each alert it sent; the log channel's last-resort copy on stderr would say it twice.
    budget_log = logging.getLogger("q2o.budget")
    if not budget_log.handlers:
        budget_log.addHandler(logging.NullHandler())
    # Through the guard: a new budget is a change like a settle, so the levels it crosses fire (once) here.
    fired = BudgetGuard(settings).set_budget(value)
    out.print(f"monthly budget set to {usd_text(value)}", markup=False)
    for alert in fired:
        out.print(f"alert sent: {alert.text}", markup=False, soft_wrap=True)


def _dollars(amount: str) -> float:
    """``AMOUNT`` as a finite number of dollars >= 0 ("$1,000.50" included); exit 2 for anything else."""
    text = amount.strip().lstrip("$")
    if "," in text and not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):  # 1,000.50 yes; 5,5 is ambiguous
        raise fail_usage(f"AMOUNT: {amount!r} is ambiguous; write dollars with a decimal point, e.g. 5.50 or 1000")
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise fail_usage(f"AMOUNT: {amount!r} is not a number of dollars") from None
    if not math.isfinite(value) or value < 0:
        raise fail_usage(f"AMOUNT: the budget must be a finite amount >= 0, not {amount}")
    return value


@app.command("close")
def close(
    month: Annotated[str | None, typer.Option(help="YYYY-MM; default: the month that just ended.")] = None,
) -> None:
    """Run the close-month flow: statement (HTML and PDF) and the close recorded; no alert carries over."""
    from budget.periods import parse_month

    if month is not None:
        month = month.strip()
        try:
            parse_month(month)
        except ValueError as exc:
            raise fail_usage(f"--month: {exc}") from None
    settings = cli_settings(open_db=True)
    use_prefect(settings)
    from flows.close_month import close_month

    try:
        closed = run_flow(close_month(month))
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    note = " (already closed: nothing changed)" if closed.already_closed else ""
    out.print(f"closed {closed.month}: spent ${closed.spent_usd:,.4f}{note}", markup=False)
    out.print(f"statement: {closed.html_path}", markup=False, soft_wrap=True)
    out.print(f"statement: {closed.pdf_path}", markup=False, soft_wrap=True)
