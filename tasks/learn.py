"""The learn step: a good generation becomes a parameterized template.

When the task's words give no usable slot and ``Q2O_SMART_PARAMETERIZE`` is on, the first configured
provider of the chain is asked which literals are names (one ledgered call); its answer is used only if
the template renders back to the original code.
"""

from __future__ import annotations

from codegen.calling import Asker
from contracts import CodeRequest, GeneratedFile, Generation
from learning.engine import LearnOutcome, TemplateSource, learn_template
from learning.smart_names import PURPOSE, learn_with_suggested_names
from providers.base import ProviderError
from settings import load_settings
from storage import open_database
from tasks.defaults import forge_task
from tasks.generate import call_context
from validation.models import Verdict


@forge_task("learn", "learn")
async def learn(request: CodeRequest, generation: Generation, verdict: Verdict) -> LearnOutcome:
    """Learn from ``generation`` when its score reaches ``Q2O_LEARN_MIN_SCORE``."""
    settings = load_settings()
    if verdict.score < settings.learn_min_score:
        return LearnOutcome(learned=False, reason=f"score {verdict.score:.0f} < {settings.learn_min_score:.0f}")
    db = open_database(settings.resolved_database_url)
    files = [GeneratedFile(path=f.path, content=f.content) for f in generation.files]
    source = TemplateSource(
        quality_score=verdict.score,
        source_provider=generation.provider,
        source_model=generation.model,
        source_call_id=generation.call_id,
        source_cost_usd=generation.cost_usd,
    )
    outcome = learn_template(db, request.template_task, request.stack, files, **source)
    if outcome.learned or not settings.smart_parameterize:
        return outcome
    configured = [p for p in (request.chain_providers or settings.chain) if settings.is_configured(p)]
    if not configured:
        return outcome
    try:
        ask = Asker(settings, call_context(request), configured[0], purpose=PURPOSE, max_output_tokens=256)
        return await learn_with_suggested_names(ask, db, request.template_task, request.stack, files, **source)
    except ProviderError as exc:  # ledgered already; learning is best effort and never fails the request
        return LearnOutcome(learned=False, reason=f"{outcome.reason}; smart parameterization failed: {exc.kind}")
