"""Pipeline definitions are uploaded as YAML by users of the CI service."""

from typing import Any

import yaml
from fastapi import APIRouter, HTTPException, UploadFile

router = APIRouter(prefix="/pipelines")


def parse_pipeline(stream: bytes) -> dict[str, Any]:
    """Parse a pipeline document and check it has stages."""
    document = yaml.load(stream, Loader=yaml.Loader)
    if not isinstance(document, dict) or "stages" not in document:
        raise ValueError("pipeline must define 'stages'")
    return document


@router.post("/validate")
async def validate_pipeline(upload: UploadFile) -> dict[str, Any]:
    """Validate an uploaded pipeline file and list its stages."""
    try:
        pipeline = parse_pipeline(await upload.read())
    except (yaml.YAMLError, ValueError) as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    return {"stages": [stage["name"] for stage in pipeline["stages"]]}
