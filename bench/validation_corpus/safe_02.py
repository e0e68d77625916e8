"""Search customers with SQLAlchemy text() and bound parameters."""

from sqlalchemy import text
from sqlalchemy.engine import Connection


def search_customers(conn: Connection, name: str, limit: int = 20) -> list[dict[str, object]]:
    """Customers whose name starts with ``name``."""
    query = text("SELECT id, name FROM customers WHERE name LIKE :prefix LIMIT :limit")
    rows = conn.execute(query, {"prefix": f"{name}%", "limit": limit})
    return [dict(row._mapping) for row in rows]
