"""A call cancelled while the provider works (as a cancel from the UI or API, or Ctrl-C, cancels the run's task) is
ledgered as ``cancelled``, not as an internal error, and a failure report advises a re-run, not a bug report."""

from __future__ import annotations

import asyncio

from typer.testing import CliRunner

from cli import app
from codegen.calling import CallContext, ledgered_call
from contracts import Attempt
from reports.failure_advice import specific_advice
from settings import load_settings
from simulator import Hang
from storage import CallLedger, open_database

CONTEXT = CallContext(request_id="cancelled-call", flow_run_id=None, agent="coder", project="acme")


async def test_a_cancelled_call_is_ledgered_as_cancelled(sim):
    sim.script("openai", [Hang(seconds=30)])
    call = asyncio.ensure_future(
        ledgered_call(load_settings(), CONTEXT, "openai", system="You write Python.", prompt="Write hello world.")
    )
    for _ in range(200):  # until the provider has the request
        if sim.requests_for("openai"):
            break
        await asyncio.sleep(0.02)
    assert sim.requests_for("openai")
    call.cancel()
    await asyncio.gather(call, return_exceptions=True)
    assert call.cancelled()
    [row] = CallLedger(open_database(load_settings().resolved_database_url)).for_request(CONTEXT.request_id)
    assert (row.status, row.error_kind) == ("failed", "cancelled")
    assert row.error_message == "CancelledError: the call was cancelled before it ended (Ctrl-C or a shutdown)"
    assert row.cost_usd is None  # it was sent and got no answer: nobody knows what it cost
    shown = CliRunner().invoke(app, ["calls", "--request", CONTEXT.request_id], env={"COLUMNS": "200"}).stdout
    assert " cancelled" in shown and "internal" not in shown


def test_a_report_advises_a_re_run_for_a_cancelled_call():
    cancelled = Attempt(provider="openai", status="failed", error_kind="cancelled", error="CancelledError: ...")
    [advice] = specific_advice([cancelled])
    assert advice.startswith("Interrupted: the only attempt never finished") and "Re-run" in advice
