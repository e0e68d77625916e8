"""Build a dynamic ORDER BY from an allow-list, values stay bound."""

import sqlite3

SORTABLE = {"name": "name", "created": "created_at"}


def list_products(conn: sqlite3.Connection, sort: str, min_price: float) -> list[tuple[object, ...]]:
    """Products at or above ``min_price``, sorted by an allowed column."""
    column = SORTABLE.get(sort, "name")
    query = "SELECT id, name FROM products WHERE price >= ? ORDER BY " + ("created_at" if column != "name" else "name")
    return conn.execute(query, (min_price,)).fetchall()
