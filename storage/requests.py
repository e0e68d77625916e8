"""The request log: each request as it entered the flow (``RequestLog.record``), read back by id."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from contracts import CodeRequest
from storage.db import Database
from storage.models import RequestRow


class LoggedRequest(BaseModel):
    request: CodeRequest
    flow_run_id: str | None
    rerun_of: str | None
    created_at: datetime


class RequestLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, request: CodeRequest, flow_run_id: str | None, *, rerun_of: str | None = None) -> bool:
        """Keep ``request``; False when its id is logged already (a deployment's retry of the same request)."""
        row = RequestRow(
            request_id=request.request_id,
            task=request.task,
            stack=",".join(request.stack),
            agent=request.agent,
            project=request.project,
            chain=",".join(request.chain) if request.chain else None,
            flags=",".join(request.flags) or None,
            flow_run_id=flow_run_id,
            rerun_of=rerun_of,
            body=request.model_dump_json(),
        )
        try:
            with self.db.session() as session:
                session.add(row)
            return True
        except IntegrityError:
            return False

    def get(self, request_id: str) -> LoggedRequest | None:
        with self.db.session() as session:
            row = session.get(RequestRow, request_id)
            if row is None:
                return None
            request = CodeRequest.model_validate_json(row.body)
            return LoggedRequest(
                request=request, flow_run_id=row.flow_run_id, rerun_of=row.rerun_of, created_at=row.created_at
            )
