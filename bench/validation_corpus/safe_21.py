"""Flask blueprint that deletes a note by id with a bound parameter."""

import sqlite3

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

notes = Blueprint("notes", __name__)


@notes.delete("/notes/<int:note_id>")
def delete_note(note_id: int) -> ResponseReturnValue:
    """Delete one note."""
    with sqlite3.connect("notes.db") as conn:
        conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
    return jsonify({"deleted": note_id})
