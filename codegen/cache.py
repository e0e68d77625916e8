"""Exact repeats are free: the same request asked again is answered from the cache, at no cost.

"The same" means everything that shaped the answer: the task text, the stack, the agent and project, the task
type and the request's instructions and context, the chain with each provider's model, and the prompts: the
prompt files and the layers in force for the request (a prompt change means a new answer). Only answers an LLM wrote are
kept (a template hit is free anyway); a request flagged for prompt injection is never served from the cache.
A hit is a ledger row of purpose ``cache`` at $0, so ``q2o calls`` shows it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from codegen.prompt_layers import generation_prompts_for, prompt_version_for
from contracts import CodeRequest, CodeResult, GeneratedFile
from learning.match import normalize_stack
from settings import Settings
from storage import CachedAnswer, CallLedger, ResultCache, open_database
from storage.models import utcnow


def cache_key(settings: Settings, request: CodeRequest) -> str:
    chain = [f"{p}:{settings.model_for(p)}" for p in (request.chain or settings.chain)]
    parts = {
        "task": request.task.strip(),
        "stack": normalize_stack(request.stack),
        "agent": request.agent,
        "project": request.project,
        "chain": chain,
        "task_type": request.task_type,
        "context": [
            request.custom_instructions,
            request.requirements,
            request.research_context,
            request.project_context,
        ],
        "prompts": prompt_version_for(settings, request),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def cached_result(settings: Settings, request: CodeRequest, flow_run_id: str | None) -> CodeResult | None:
    """The cached answer to ``request`` (ledgered as a $0 ``cache`` row), or None."""
    if settings.cache_ttl_days <= 0 or request.flags:
        return None
    db = open_database(settings.resolved_database_url)
    answer = ResultCache(db).get(cache_key(settings, request), utcnow() - timedelta(days=settings.cache_ttl_days))
    if answer is None:
        return None
    ResultCache(db).record_hit(answer.key)
    ledger = CallLedger(db, secrets=settings.secret_values())
    ledger.record_cache_hit(
        request_id=request.request_id,
        flow_run_id=flow_run_id,
        agent=request.agent,
        project=request.project,
        provider=answer.provider or "cache",
        model=answer.model,
        source_request_id=answer.request_id,
    )
    from codegen.result import request_attempts

    return CodeResult(
        request_id=request.request_id,
        status="succeeded",
        source="cache",
        files=[GeneratedFile(**f) for f in answer.files],
        provider=answer.provider,
        model=answer.model,
        cost_usd=0.0,
        quality_score=answer.quality_score,
        attempts=request_attempts(settings, request),
        flags=list(request.flags),
    )


def keep_result(settings: Settings, request: CodeRequest, result: CodeResult) -> None:
    """Keep a succeeded LLM answer for exact repeats."""
    if settings.cache_ttl_days <= 0 or request.flags or result.status != "succeeded" or result.source != "llm":
        return
    if _prompts_changed_during(settings, request):
        return
    ResultCache(open_database(settings.resolved_database_url)).put(
        CachedAnswer(
            key=cache_key(settings, request),
            request_id=request.request_id,
            provider=result.provider,
            model=result.model,
            quality_score=result.quality_score,
            cost_usd=result.cost_usd,
            files=[f.model_dump() for f in result.files],
            created_at=utcnow(),
        )
    )


def _prompts_changed_during(settings: Settings, request: CodeRequest) -> bool:
    """A layer was set or reset while the request ran: its answer was made under prompts the key no longer names.

    The ledger keeps each call's prompts, so the check is exact: the generation prompts now against the ones
    each generate call of the request was made with.
    """
    db = open_database(settings.resolved_database_url)
    rows = [r for r in CallLedger(db, secrets=settings.secret_values()).for_request(request.request_id)]
    now = generation_prompts_for(settings, request)
    return any((r.system_prompt, r.prompt) != now for r in rows if r.purpose == "generate" and r.status == "succeeded")
