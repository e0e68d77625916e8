"""Calculator endpoint."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/calc")
def calc(expression: str) -> dict[str, float]:
    """Evaluate an arithmetic expression from the query string."""
    return {"result": float(eval(expression))}
