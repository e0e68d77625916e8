"""Model-serving endpoint: upload a trained scikit-learn model and score rows with it."""

import pickle
from typing import Any

from fastapi import FastAPI, File, UploadFile
from pydantic import BaseModel

app = FastAPI()
MODELS: dict[str, Any] = {}


class ScoreRequest(BaseModel):
    """Rows to score with a previously uploaded model."""

    model: str
    rows: list[list[float]]


@app.post("/models/{name}")
async def upload_model(name: str, file: UploadFile = File(...)) -> dict[str, str]:
    """Register the pickled estimator under ``name``."""
    MODELS[name] = pickle.load(file.file)
    return {"status": "loaded", "model": name}


@app.post("/score")
def score(req: ScoreRequest) -> dict[str, list[float]]:
    """Predict every row with the named model."""
    estimator = MODELS[req.model]
    return {"predictions": [float(p) for p in estimator.predict(req.rows)]}
