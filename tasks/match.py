"""The match step: a learned or starter template that fits the request, rendered with its names.

Local matching first (the same requirements, names aside). When it finds none and ``Q2O_FIT_CHECK`` is on,
``Q2O_FIT_MODEL`` (else the cheapest configured model) is asked about the closest templates said in other words
(one ledgered ``fit`` call each, at most three); a "fits" is served and the request kept as one more phrasing of
the template.
"""

from __future__ import annotations

from codegen.calling import ledgered_call
from contracts import CodeRequest
from learning.engine import (
    TemplateMatch,
    corrected_candidate,
    find_template,
    fit_candidates,
    name_in_task,
    serve_fit,
)
from learning.fit import FIT_SCHEMA, PURPOSE, SYSTEM, fit_prompt, parse_fit
from providers.base import ProviderError
from providers.pricing import price_for
from settings import Settings, load_settings
from storage import TemplateStore, open_database
from tasks.defaults import forge_task
from tasks.generate import call_context


def fit_provider(settings: Settings, chain: list[str]) -> tuple[str, str] | None:
    """The provider and model of a fit check: ``Q2O_FIT_MODEL``'s when its provider is configured, else the
    cheapest configured model of ``chain``; None without a configured provider."""
    named = settings.fit_entry()
    if named is not None and named.model and settings.is_configured(named.provider):
        return named.provider, named.model
    provider = cheapest_provider(settings, chain)
    return (provider, settings.model_for(provider)) if provider is not None else None


def cheapest_provider(settings: Settings, chain: list[str]) -> str | None:
    """The configured provider of ``chain`` whose model costs least (unknown prices last)."""
    configured = [p for p in chain if settings.is_configured(p)]

    def cost(provider: str) -> float:
        price = price_for(settings.model_for(provider), settings.model_prices)
        return float("inf") if price is None else price.input + 4 * price.output

    return min(configured, key=cost) if configured else None


@forge_task("match", "match")
async def match(request: CodeRequest) -> TemplateMatch | None:
    """Find a fitting template; None when there is none."""
    settings = load_settings()
    db = open_database(settings.resolved_database_url)
    found = find_template(db, request.template_task, request.stack)
    if found is not None or not settings.fit_check:
        return found
    chosen = fit_provider(settings, request.chain_providers or list(settings.chain))
    if chosen is None:
        return None  # without a provider matching is local and strict
    provider, model = chosen
    for candidate in fit_candidates(db, request.template_task, request.stack):
        prompt = fit_prompt(candidate.source_task, request.template_task, candidate.bindings, request.stack)
        try:
            call = await ledgered_call(
                settings,
                call_context(request),
                provider,
                system=SYSTEM,
                prompt=prompt,
                purpose=PURPOSE,
                accept=parse_fit,
                json_schema=FIT_SCHEMA,
                max_output_tokens=64,
                model=model,
            )
        except ProviderError:
            return None  # ledgered; a fit check that cannot be made is a miss, never a guess
        if not call.value.fits:
            continue
        if not call.value.name or not call.value.template_name:
            continue  # a "fits" without its reading of both names cannot be checked against ours: a miss
        if name_in_task(candidate.source_task, call.value.template_name) != candidate.words:
            # The model reads another name in the template's own task: its slot is not the entity. The template
            # is learned anew with the model's name when its code allows (the same checks as any learning).
            fixed = corrected_candidate(db, candidate, call.value.template_name)
            if fixed is None:
                continue
            candidate = fixed
        # The model's reading of the request's name wins: one the task does not hold in a form of ours (an
        # irregular plural we cannot write, a word it does not contain) is a miss, never our own guess instead.
        named = name_in_task(request.template_task, call.value.name)
        bindings = {candidate.slot: named} if named else None
        served = serve_fit(db, request.template_task, candidate, bindings) if bindings is not None else None
        if served is not None:
            return served
        # Fits, but cannot be written with this name (a template of one-word names asked for several): the next.
    return None


@forge_task("template-outcome", "template: {template_id}")
async def record_template_outcome(template_id: str, served: bool, request: CodeRequest | None = None) -> None:
    """Count (and book) a use of a served template, or a validation failure (disabling it at the limit)."""
    settings = load_settings()
    store = TemplateStore(open_database(settings.resolved_database_url))
    if served:
        store.record_use(
            template_id,
            request_id=request.request_id if request else None,
            agent=request.agent if request else None,
            project=request.project if request else None,
        )
    else:
        store.record_failure(template_id, settings.template_max_failures)
