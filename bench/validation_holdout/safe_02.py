"""Customer repository on psycopg 3 with %s placeholders and safe identifier composition."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

SORTABLE = {"name", "created_at", "country"}


class CustomerRepository:
    """Reads and writes the ``customers`` table."""

    def __init__(self, conn: psycopg.Connection) -> None:
        """Use an open connection."""
        self.conn = conn

    def get(self, customer_id: int) -> tuple[Any, ...] | None:
        """One customer by primary key."""
        with self.conn.cursor() as cur:
            cur.execute("SELECT id, name, country FROM customers WHERE id = %s", (customer_id,))
            return cur.fetchone()

    def list_by_country(self, country: str, order_by: str = "name") -> list[tuple[Any, ...]]:
        """Customers of a country, sorted by an allowed column."""
        if order_by not in SORTABLE:
            raise ValueError(f"cannot sort by {order_by!r}")
        query = sql.SQL("SELECT id, name, country FROM customers WHERE country = %s ORDER BY {}").format(
            sql.Identifier(order_by)
        )
        with self.conn.cursor() as cur:
            cur.execute(query, (country,))
            return cur.fetchall()

    def rename(self, customer_id: int, name: str) -> None:
        """Change a customer's name."""
        with self.conn.cursor() as cur:
            cur.execute("UPDATE customers SET name = %(name)s WHERE id = %(id)s", {"name": name, "id": customer_id})
        self.conn.commit()
