"""FastAPI endpoint reading an item by id with a parameterized sqlite query."""

import sqlite3

from fastapi import FastAPI, HTTPException

app = FastAPI()


@app.get("/items/{item_id}")
def read_item(item_id: int) -> dict[str, object]:
    """Return one item or 404."""
    with sqlite3.connect("items.db") as conn:
        row = conn.execute("SELECT id, name FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise HTTPException(status_code=404, detail="not found")
    return {"id": row[0], "name": row[1]}
