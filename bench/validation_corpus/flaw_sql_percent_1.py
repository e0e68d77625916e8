"""Order lookup with psycopg."""

import psycopg


def find_orders(conn: psycopg.Connection, status: str) -> list[tuple[object, ...]]:
    """Orders with ``status``."""
    with conn.cursor() as cur:
        cur.execute("SELECT id, total FROM orders WHERE status = '%s'" % status)  # noqa: UP031 - the planted flaw
        return cur.fetchall()
