"""Admin actions on what the service did: re-run a logged request with another chain, and promote one call's
answer to a template (held to the bar of ``templates add``: validation, and a review for sensitive tasks).

Plain use cases: ``q2o requests rerun`` / ``q2o templates promote`` and the admin flows of the same names call
them.
"""

from __future__ import annotations

import uuid

from pydantic import ValidationError

from codegen.parse import parse_files
from codegen.templates import AddedTemplate, TemplateRefused, add_template
from contracts import CodeRequest
from providers.base import InvalidOutput
from settings import Settings, UsageError
from storage import CallLedger, Database, RequestLog

PROMOTABLE_PURPOSES = ("generate", "repair")  # calls whose answer is the code for the request


def rerun_of(db: Database, request_id: str, chain: str | list[str] | None = None) -> CodeRequest:
    """A new request (new id) with the task, stack, agent and project of logged request ``request_id``;
    ``chain`` (``openai`` or ``openai,anthropic``) replaces its providers (None keeps the request's own, or the
    configured chain)."""
    logged = RequestLog(db).get(request_id.strip())
    if logged is None:
        raise UsageError(f"no request {request_id} in the request log (q2o calls --json shows request ids)")
    update: dict[str, object] = {"request_id": uuid.uuid4().hex}
    if chain:
        update["chain"] = chain
    try:
        return CodeRequest.model_validate({**logged.request.model_dump(), **update})
    except ValidationError as exc:
        raise UsageError(f"provider: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None


async def promote_call(db: Database, settings: Settings, call_id: int) -> AddedTemplate:
    """Make call ``call_id``'s answer a template of its request's task. Raises ``UsageError`` (a
    ``TemplateRefused`` when the checks refuse the code) with the reason in one line."""
    record = CallLedger(db).get(call_id)
    if record is None:
        raise UsageError(f"no call with id {call_id}")
    if record.purpose not in PROMOTABLE_PURPOSES or record.status != "succeeded" or not record.response_text:
        raise UsageError(
            f"call {call_id} is a {record.status} {record.purpose} call; only an answered generate or repair call "
            "holds code to promote"
        )
    logged = RequestLog(db).get(record.request_id)
    if logged is None:
        raise UsageError(f"the request of call {call_id} is not in the request log, so its task is unknown")
    request = logged.request
    try:
        files = parse_files(record.response_text, request.stack)
    except InvalidOutput as exc:
        raise TemplateRefused(f"call {call_id}'s answer holds no usable code: {exc}") from None
    return await add_template(
        db, settings, request.task, request.stack, files, origin="promoted", author=record.provider
    )
