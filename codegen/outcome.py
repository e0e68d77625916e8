"""What trying a request's provider chain came to, and the one rule that names why a request failed.

The flow folds each provider's try into a ``ChainOutcome``; ``failure_kind`` reads it. Both are plain data
and a pure function, so the rule is tested without a flow, a database or a provider.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from contracts import ReviewSummary


class ChainOutcome(BaseModel):
    """The providers of one request's chain as they were tried, in order."""

    configured: list[str] = Field(default=[], description="Providers of the chain that have a key (or base URL).")
    ran: list[str] = Field(default=[], description="Providers whose generation was tried.")
    failed: list[str] = Field(default=[], description="Providers whose generation failed (errors, retries spent).")
    refused: list[str] = Field(default=[], description="Providers whose call the budget guard refused: nothing sent.")
    invalid: list[int] = Field(default=[], description="Ledger ids of answers static validation rejected.")
    refused_findings: list[str] = Field(
        default=[], description="Why static validation rejected them, one finding a line: the next attempt is told."
    )
    rejected: list[int] = Field(default=[], description="Ledger ids of answers the review rejected.")
    last_review: ReviewSummary | None = None

    def healthy(self) -> list[str]:
        """Configured providers not failed in this request: the ones that may review."""
        return [p for p in self.configured if p not in self.failed]


def failure_kind(outcome: ChainOutcome) -> str:
    """The machine-readable reason a request whose chain produced no accepted answer failed."""
    if not outcome.configured:
        return "no_provider_configured"
    if outcome.refused and set(outcome.refused) == set(outcome.ran):
        return "budget_exhausted"  # every provider tried was refused by the budget guard
    if outcome.rejected:
        return "rejected_by_review"
    if outcome.invalid and not outcome.failed:  # every provider answered; validation rejected every answer
        return "failed_validation"
    return "all_providers_failed"
