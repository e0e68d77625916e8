"""The library as a table: one row per template, a word search over what each template does, and the totals.

``q2o templates list`` prints these rows and the cost-report flow publishes them as the ``q2o-templates``
table artifact. A template's dollars saved is its source generation's ledger cost x its uses, as
``q2o templates stats`` counts it; a template never generated (a starter, a hand-added one) saves nothing.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from storage import TemplateRecord

NOT_GENERATED = ("starter", "manual")  # origins no model was paid for


class CatalogRow(BaseModel):
    """One template as the catalog shows it."""

    id: str
    name: str
    origin: str = Field(description="learned (from a generation), starter or manual (q2o templates add).")
    stack: str
    source_provider: str | None
    source_model: str | None
    uses: int
    failures: int
    quality: float
    enabled: bool
    source_cost_usd: float | None = Field(description="What its source generation cost; None if unknown or none.")
    dollars_saved_usd: float | None = Field(
        description="source cost x uses; 0 for a template never generated; None when a learned one's cost is unknown."
    )
    phrasings: list[str] = Field(
        default=[], description="The tasks it is known to be asked as (its names as slot markers): what it serves."
    )


class CatalogTotals(BaseModel):
    templates: int
    enabled: int
    uses: int
    failures: int
    dollars_saved_usd: float = Field(description="Sum of the known savings.")
    uses_with_unknown_cost: int


def catalog_row(record: TemplateRecord) -> CatalogRow:
    if record.source_cost_usd is not None:
        saved: float | None = round(record.source_cost_usd * record.usage_count, 6)
    else:
        saved = 0.0 if record.origin in NOT_GENERATED else None
    return CatalogRow(
        id=record.id,
        name=record.name,
        origin=record.origin,
        stack=record.stack_key,
        source_provider=record.source_provider,
        source_model=record.source_model,
        uses=record.usage_count,
        failures=record.failure_count,
        quality=round(record.quality_score, 1),
        enabled=record.enabled,
        source_cost_usd=record.source_cost_usd,
        dollars_saved_usd=saved,
        phrasings=list(record.skeleton),
    )


def matches(record: TemplateRecord, text: str) -> bool:
    """Whether every word of ``text`` (any case) is in the template's id, name, description, task, stack or
    phrasings: ``crud customer`` finds "CRUD API for <entity> records" learned from a Customer task."""
    haystack = " ".join(
        [record.id, record.name, record.description, record.source_task, record.stack_key, *record.skeleton]
    ).lower()
    return all(word in haystack for word in text.lower().split())


def catalog(records: list[TemplateRecord], search: str | None = None) -> list[CatalogRow]:
    """The rows of ``records`` (in their order), only those matching ``search`` when one is given."""
    return [catalog_row(r) for r in records if not search or matches(r, search)]


def catalog_totals(rows: list[CatalogRow]) -> CatalogTotals:
    return CatalogTotals(
        templates=len(rows),
        enabled=sum(r.enabled for r in rows),
        uses=sum(r.uses for r in rows),
        failures=sum(r.failures for r in rows),
        dollars_saved_usd=round(sum(r.dollars_saved_usd or 0.0 for r in rows), 6),
        uses_with_unknown_cost=sum(r.uses for r in rows if r.dollars_saved_usd is None),
    )
