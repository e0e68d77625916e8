"""Search customers with SQLAlchemy."""

from sqlalchemy import text
from sqlalchemy.engine import Connection


def search_customers(conn: Connection, name: str) -> list[dict[str, object]]:
    """Customers whose name starts with ``name``."""
    rows = conn.execute(text(f"SELECT id, name FROM customers WHERE name LIKE '{name}%'"))
    return [dict(row._mapping) for row in rows]
