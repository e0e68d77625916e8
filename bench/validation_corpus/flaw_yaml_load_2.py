"""Import a pipeline definition posted by a client."""

import yaml
from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/pipelines")
async def import_pipeline(request: Request) -> dict[str, int]:
    """Parse the posted YAML."""
    spec = yaml.load(await request.body(), Loader=yaml.Loader)
    return {"steps": len(spec["steps"])}
