"""Why a request failed: one rule over what trying the chain came to."""

from __future__ import annotations

import pytest

from codegen.outcome import ChainOutcome, failure_kind

ALL = ["gemini", "openai", "anthropic"]


@pytest.mark.parametrize(
    ("outcome", "kind"),
    [
        (ChainOutcome(), "no_provider_configured"),
        (ChainOutcome(configured=ALL, ran=ALL, failed=ALL, refused=ALL), "budget_exhausted"),
        # one refused, the others down: the budget is not why nothing came back
        (ChainOutcome(configured=ALL, ran=ALL, failed=ALL, refused=["gemini"]), "all_providers_failed"),
        (ChainOutcome(configured=ALL, ran=ALL, failed=["gemini"], rejected=[2], invalid=[3]), "rejected_by_review"),
        (ChainOutcome(configured=ALL, ran=ALL, invalid=[1, 2, 3]), "failed_validation"),
        # some answers invalid, some providers down: the providers failing is the reason that holds for all
        (ChainOutcome(configured=ALL, ran=ALL, failed=["openai"], invalid=[1, 3]), "all_providers_failed"),
        (ChainOutcome(configured=ALL, ran=ALL, failed=ALL), "all_providers_failed"),
    ],
)
def test_failure_kind(outcome: ChainOutcome, kind: str) -> None:
    assert failure_kind(outcome) == kind


def test_healthy_reviewers_are_the_configured_providers_that_did_not_fail() -> None:
    outcome = ChainOutcome(configured=ALL, ran=["gemini", "openai"], failed=["gemini"])
    assert outcome.healthy() == ["openai", "anthropic"]
