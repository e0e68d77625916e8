"""The validate step: a verdict on the files a provider (or later a template) produced."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from codegen.models import GeneratedFile, Verdict
from settings import load_settings
from validation.static import validate_files


@task(name="validate", task_run_name="validate", cache_policy=NO_CACHE)
async def validate(files: list[GeneratedFile]) -> Verdict:
    """Run the static checks on ``files`` against the configured minimum quality."""
    return validate_files(files, min_quality=load_settings().min_quality)
