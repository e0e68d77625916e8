"""The validate step: a verdict on the files a provider or a template produced."""

from __future__ import annotations

from contracts import GeneratedFile
from settings import load_settings
from tasks.defaults import forge_task
from validation.imports import unresolved_imports
from validation.models import Verdict
from validation.static import validate_files


@forge_task("validate", "validate")
async def validate(files: list[GeneratedFile], imports: bool = False) -> Verdict:
    """Run the static checks on ``files`` against the configured minimum quality; with ``imports`` (a rendered
    template) every name imported from an installed module must also resolve."""
    verdict = validate_files(files, min_quality=load_settings().min_quality)
    broken = unresolved_imports(files) if imports else []
    if broken:
        verdict = verdict.model_copy(update={"passed": False, "findings": [*verdict.findings, *broken]})
    return verdict
