"""Jupyter-like scratchpad endpoint for the internal admin dashboard."""

import contextlib
import io

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from app.auth import require_admin

router = APIRouter(prefix="/admin/scratchpad")


class Cell(BaseModel):
    """A snippet of Python entered in the dashboard."""

    code: str


class CellOutput(BaseModel):
    """What the snippet printed."""

    stdout: str
    error: str | None = None


@router.post("/run", response_model=CellOutput, dependencies=[Depends(require_admin)])
def run_cell(cell: Cell) -> CellOutput:
    """Run the snippet and capture its standard output."""
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            exec(cell.code, {})
    except Exception as exc:  # report any error back to the user
        return CellOutput(stdout=buffer.getvalue(), error=repr(exc))
    return CellOutput(stdout=buffer.getvalue())
