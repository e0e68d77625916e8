"""The match step: a learned or starter template that fits the request, rendered with its names."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from codegen.models import CodeRequest
from learning.engine import TemplateMatch, find_template
from settings import load_settings
from storage import TemplateStore, open_database


@task(name="match", task_run_name="match", cache_policy=NO_CACHE)
async def match(request: CodeRequest) -> TemplateMatch | None:
    """Find a fitting template; None when there is none."""
    settings = load_settings()
    return find_template(open_database(settings.resolved_database_url), request.task, request.stack,
                         settings.match_threshold, settings.sensitive_keywords)


@task(name="template-outcome", task_run_name="template: {template_id}", cache_policy=NO_CACHE)
async def record_template_outcome(template_id: str, served: bool, request: CodeRequest | None = None) -> None:
    """Count (and book) a use of a served template, or a validation failure (disabling it at the limit)."""
    settings = load_settings()
    store = TemplateStore(open_database(settings.resolved_database_url))
    if served:
        store.record_use(template_id, request_id=request.request_id if request else None,
                         agent=request.agent if request else None, project=request.project if request else None)
    else:
        store.record_failure(template_id, settings.template_max_failures)
