"""Delete expired sessions of one user."""

import sqlite3


def purge_sessions(conn: sqlite3.Connection, user_id: str) -> int:
    """Remove the sessions of ``user_id``; return how many."""
    query = f"DELETE FROM sessions WHERE user_id = {user_id} AND expired = 1"
    cursor = conn.execute(query)
    conn.commit()
    return cursor.rowcount
