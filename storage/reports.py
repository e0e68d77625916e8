"""The reports' table: each written report's HTML and PDF, kept so any machine sharing the database can serve it.

Plain writes and reads; rendering is ``reports``' and serving is ``reports.server``'s.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import Report, utcnow

ReportKind = Literal["failure", "statement"]


class ReportSummary(BaseModel):
    """What an index of reports shows: everything but the bytes."""

    id: str
    kind: ReportKind
    title: str
    request_id: str | None = None
    month: str | None = None
    created_at: datetime


class StoredReport(ReportSummary):
    """A report with its bytes."""

    created_at: datetime = Field(default_factory=utcnow)
    html: str = Field(repr=False)
    pdf: bytes = Field(repr=False)


_SUMMARY_COLUMNS = (Report.id, Report.kind, Report.title, Report.request_id, Report.month, Report.created_at)


class ReportStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def put(self, report: StoredReport) -> None:
        """Keep ``report`` under its id, replacing what an earlier write of the same id kept (a month's statement
        written again after a crash). Two writers at once: one inserts, the other's insert fails and it updates."""
        values = report.model_dump(exclude={"id"})
        try:
            with self.db.session() as session:
                row = session.get(Report, report.id)
                if row is None:
                    session.add(Report(id=report.id, **values))
                    return
        except IntegrityError:
            pass
        with self.db.session() as session:
            session.execute(update(Report).where(Report.id == report.id).values(**values))

    def recent(self, limit: int = 100) -> list[ReportSummary]:
        """The newest ``limit`` reports, newest first, without their bytes."""
        with self.db.session() as session:
            rows = session.execute(
                select(*_SUMMARY_COLUMNS).order_by(Report.created_at.desc(), Report.id.desc()).limit(limit)
            ).all()
        return [ReportSummary.model_validate(row._mapping) for row in rows]

    def html(self, report_id: str) -> str | None:
        """The report's HTML; None for an unknown id."""
        with self.db.session() as session:
            return session.scalar(select(Report.html).where(Report.id == report_id))

    def pdf(self, report_id: str) -> bytes | None:
        """The report's PDF; None for an unknown id."""
        with self.db.session() as session:
            return session.scalar(select(Report.pdf).where(Report.id == report_id))

    def get(self, report_id: str) -> StoredReport | None:
        with self.db.session() as session:
            row = session.get(Report, report_id)
            if row is None:
                return None
            return StoredReport(
                id=row.id,
                kind=row.kind,  # type: ignore[arg-type]  # one of REPORT_KINDS, as written by put()
                title=row.title,
                request_id=row.request_id,
                month=row.month,
                created_at=row.created_at,
                html=row.html,
                pdf=row.pdf,
            )

    def count(self) -> int:
        """How many reports are kept (the health check's one query)."""
        with self.db.session() as session:
            return session.scalar(select(func.count()).select_from(Report)) or 0
