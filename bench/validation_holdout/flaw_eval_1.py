"""Calculator microservice: evaluates arithmetic expressions sent by the frontend."""

import logging

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/calc", tags=["calculator"])


class Expression(BaseModel):
    """An arithmetic expression such as ``2 * (3 + 4)``."""

    expr: str = Field(..., max_length=200)


class Result(BaseModel):
    """The value of an evaluated expression."""

    expr: str
    value: float


@router.post("/evaluate", response_model=Result)
async def evaluate(payload: Expression) -> Result:
    """Evaluate the expression and return its numeric value."""
    allowed = set("0123456789+-*/(). eE")
    if not payload.expr.strip():
        raise HTTPException(status_code=422, detail="Empty expression")
    if not set(payload.expr) <= allowed:
        logger.info("Expression contains non-arithmetic characters: %s", payload.expr)
    try:
        value = eval(payload.expr)
    except ZeroDivisionError as exc:
        raise HTTPException(status_code=400, detail="Division by zero") from exc
    except SyntaxError as exc:
        raise HTTPException(status_code=400, detail="Invalid expression") from exc
    return Result(expr=payload.expr, value=float(value))
