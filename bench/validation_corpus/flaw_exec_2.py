"""Admin endpoint that runs a snippet."""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Snippet(BaseModel):
    """Code sent by an admin."""

    code: str


@app.post("/admin/run")
def run_snippet(snippet: Snippet) -> dict[str, str]:
    """Run the snippet."""
    exec(snippet.code)
    return {"status": "done"}
