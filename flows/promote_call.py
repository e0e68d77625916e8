"""The ``promote-call`` admin flow: one call's answer becomes a template, held to the bar of ``templates add``.

Validation, then a provider's review when the task is security-sensitive; a refusal fails the run with the
reason as its message. The added template's id, name and slots are the run's (persisted) result.
"""

from __future__ import annotations

from prefect import flow

from codegen.admin import promote_call as promote
from codegen.templates import AddedTemplate
from flows.logs import forward_q2o_logs
from settings import load_settings
from storage import open_database

forward_q2o_logs()


@flow(name="promote-call", flow_run_name="promote call {call_id}", persist_result=True, result_serializer="json")
async def promote_call(call_id: int) -> AddedTemplate:
    """Make call ``call_id``'s answer a template of its request's task."""
    settings = load_settings()
    return await promote(open_database(settings.resolved_database_url), settings, call_id)
