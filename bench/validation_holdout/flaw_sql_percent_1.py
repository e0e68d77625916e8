"""Search endpoint over the articles table."""

from fastapi import APIRouter, Depends, Query
from sqlalchemy import text
from sqlalchemy.engine import Connection

from app.db import get_conn

router = APIRouter()


@router.get("/articles/search")
def search_articles(
    q: str = Query(..., min_length=2),
    limit: int = Query(20, le=100),
    conn: Connection = Depends(get_conn),
) -> list[dict[str, object]]:
    """Articles whose title contains ``q``."""
    stmt = text("SELECT id, title, published_at FROM articles WHERE title ILIKE '%%%s%%' LIMIT %d" % (q, limit))
    rows = conn.execute(stmt).mappings().all()
    return [dict(row) for row in rows]
