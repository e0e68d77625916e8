"""FastAPI router for notes stored in sqlite, with parameterized queries."""

import logging
import sqlite3
from collections.abc import Iterator

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/notes", tags=["notes"])


class Note(BaseModel):
    """A note as returned by the API."""

    id: int
    title: str
    body: str


def get_db() -> Iterator[sqlite3.Connection]:
    """Yield a connection for the duration of a request."""
    conn = sqlite3.connect("notes.db")
    try:
        yield conn
    finally:
        conn.close()


@router.get("/{note_id}", response_model=Note)
def read_note(note_id: int, db: sqlite3.Connection = Depends(get_db)) -> Note:
    """Return one note or 404."""
    row = db.execute("SELECT id, title, body FROM notes WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        logger.info(f"note {note_id} not found")
        raise HTTPException(status_code=404, detail=f"Note {note_id} not found")
    return Note(id=row[0], title=row[1], body=row[2])


@router.delete("/{note_id}", status_code=204)
def delete_note(note_id: int, db: sqlite3.Connection = Depends(get_db)) -> None:
    """Delete a note."""
    cur = db.execute("DELETE FROM notes WHERE id = ?", (note_id,))
    db.commit()
    logger.info("Deleted %d note(s) with id=%s", cur.rowcount, note_id)
