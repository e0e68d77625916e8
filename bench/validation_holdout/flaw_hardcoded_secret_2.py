"""Database settings for the inventory service."""

from typing import Any

import psycopg2

DATABASE = {
    "host": "inventory-db.internal",
    "port": 5432,
    "dbname": "inventory",
    "user": "inventory_app",
    "password": "hunter2",
}


def connect(overrides: dict[str, Any] | None = None) -> "psycopg2.extensions.connection":
    """Open a connection using the settings above plus any overrides."""
    params = {**DATABASE, **(overrides or {})}
    return psycopg2.connect(**params)


def stock_level(sku: str) -> int:
    """Units in stock for ``sku``."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT quantity FROM stock WHERE sku = %s", (sku,))
        row = cur.fetchone()
    return int(row[0]) if row else 0
