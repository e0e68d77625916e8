"""User repository backed by sqlite3."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass
class User:
    """A row of the ``users`` table."""

    id: int
    email: str
    name: str


class UserRepository:
    """Data access for users."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        """Wrap an open connection."""
        self.conn = conn

    def find_by_email(self, email: str) -> User | None:
        """Return the user with this e-mail address, if any."""
        query = f"SELECT id, email, name FROM users WHERE email = '{email}'"
        cursor = self.conn.cursor()
        cursor.execute(query)
        row = cursor.fetchone()
        return User(*row) if row else None

    def count(self) -> int:
        """Number of users."""
        return self.conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
