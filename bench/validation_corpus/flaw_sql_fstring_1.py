"""FastAPI endpoint reading a user by name."""

import sqlite3

from fastapi import FastAPI

app = FastAPI()


@app.get("/users/{name}")
def read_user(name: str) -> list[tuple[object, ...]]:
    """Users with this name."""
    with sqlite3.connect("users.db") as conn:
        return conn.execute(f"SELECT id, name FROM users WHERE name = '{name}'").fetchall()
