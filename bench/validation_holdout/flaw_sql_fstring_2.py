"""Admin endpoint that archives old audit events (SQLAlchemy 2.0)."""

from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db import get_session

router = APIRouter(prefix="/admin/audit")


@router.delete("/{tenant}")
def purge_events(tenant: str, older_than_days: int = 90, db: Session = Depends(get_session)) -> dict[str, int]:
    """Delete a tenant's audit events older than ``older_than_days`` days."""
    result = db.execute(
        text(
            f"DELETE FROM audit_events WHERE tenant = '{tenant}' "
            f"AND created_at < now() - interval '{older_than_days} days'"
        )
    )
    db.commit()
    return {"deleted": result.rowcount}
