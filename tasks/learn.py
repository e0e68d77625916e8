"""The learn step: a good generation becomes a parameterized template."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from codegen.models import CodeRequest, Generation, Verdict
from learning.engine import LearnOutcome, learn_template
from learning.parameterize import TemplateFile
from settings import load_settings
from storage import open_database


@task(name="learn", task_run_name="learn", cache_policy=NO_CACHE)
async def learn(request: CodeRequest, generation: Generation, verdict: Verdict) -> LearnOutcome:
    """Learn from ``generation`` when its score reaches ``Q2O_LEARN_MIN_SCORE``."""
    settings = load_settings()
    if verdict.score < settings.learn_min_score:
        return LearnOutcome(learned=False, reason=f"score {verdict.score:.0f} < {settings.learn_min_score:.0f}")
    return learn_template(
        open_database(settings.resolved_database_url), request.task, request.stack,
        [TemplateFile(path=f.path, content=f.content) for f in generation.files],
        quality_score=verdict.score, source_provider=generation.provider, source_model=generation.model,
        source_call_id=generation.call_id, source_cost_usd=generation.cost_usd,
    )
