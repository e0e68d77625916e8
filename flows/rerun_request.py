"""The ``rerun-request`` admin flow: a logged request again, as a new request, with another chain.

An admin re-runs a request from the UI's run form (or ``q2o requests rerun``) with another provider (or
providers); the new request is logged as a re-run of the old one and runs the ``generate-code`` flow as a
subflow, so its run, artifacts and ledger rows are those of any request.
"""

from __future__ import annotations

from prefect import flow
from prefect.context import FlowRunContext
from prefect.states import State

from codegen.admin import rerun_of
from contracts import CodeResult
from flows.generate_code import generate_code
from flows.logs import forward_q2o_logs
from flows.states import failed, result_of
from settings import load_settings
from storage import RequestLog, open_database

forward_q2o_logs()


@flow(name="rerun-request", flow_run_name="rerun {request_id}", persist_result=True, result_serializer="json")
async def rerun_request(request_id: str, provider: str | None = None) -> CodeResult | State[CodeResult]:
    """Run the logged request ``request_id`` again; ``provider`` (``openai`` or ``openai,anthropic``) replaces
    its chain. Fails at once for an unknown request id or provider."""
    settings = load_settings()
    db = open_database(settings.resolved_database_url)
    request = rerun_of(db, request_id, provider)
    context = FlowRunContext.get()
    run_id = str(context.flow_run.id) if context and context.flow_run else None
    RequestLog(db).record(request, run_id, rerun_of=request_id)
    result: CodeResult = await result_of(await generate_code(request, return_state=True))
    return result if result.status == "succeeded" else failed(result.error or "failed", result)
