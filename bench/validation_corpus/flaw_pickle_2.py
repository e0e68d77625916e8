"""Upload endpoint that restores a saved model."""

import pickle

from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/models")
async def upload_model(file: UploadFile) -> dict[str, str]:
    """Restore the uploaded model object."""
    model = pickle.loads(await file.read())
    return {"type": type(model).__name__}
