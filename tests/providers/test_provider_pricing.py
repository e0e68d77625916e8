"""The price table: known models, dated ids reported back by the APIs, and unknown models."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from providers.pricing import PRICES, PRICES_AS_OF, cost_usd, price_for
from providers.registry import PROVIDER_NAMES
from settings import Settings


def test_table_is_dated_and_prices_the_default_models():
    assert isinstance(PRICES_AS_OF, date)
    defaults = Settings()
    for provider in PROVIDER_NAMES:
        assert price_for(defaults.model_for(provider)) is not None


def test_known_model():
    assert cost_usd("gpt-4.1-mini", 1_000_000, 1_000_000) == pytest.approx(0.40 + 1.60)
    assert cost_usd("claude-sonnet-4-5", 2_000, 1_000) == pytest.approx((2_000 * 3 + 1_000 * 15) / 1e6)
    assert cost_usd("gemini-2.5-flash", 0, 0) == 0.0


@pytest.mark.parametrize(
    "reported, base",
    [
        ("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),  # not gpt-4o
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
        ("claude-sonnet-4-20250514", "claude-sonnet-4-0"),
        ("models/gemini-2.5-flash", "gemini-2.5-flash"),
        ("gemini-2.5-flash-lite", "gemini-2.5-flash-lite"),  # its own price, not flash's
        ("gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash"),
        ("GPT-4.1", "gpt-4.1"),
    ],
)
def test_dated_and_prefixed_ids_match_their_base(reported, base):
    assert price_for(reported) == PRICES[base]


@pytest.mark.parametrize("model", ["gpt-4o-audio-preview", "llama3.1:8b", "gpt-4.1-mini-fine-tuned", ""])
def test_unknown_model_has_no_price(model):
    assert price_for(model) is None


def test_unknown_model_costs_none_and_warns_once(caplog):
    with caplog.at_level(logging.WARNING, logger="providers.pricing"):
        assert cost_usd("mystery-model-7", 10, 10) is None
        assert cost_usd("mystery-model-7", 20, 20) is None
    assert len([r for r in caplog.records if "mystery-model-7" in r.getMessage()]) == 1


def test_unknown_tokens_cost_none_not_zero():
    assert cost_usd("gpt-4.1", None, 10) is None
    assert cost_usd("gpt-4.1", 10, None) is None


def test_long_prompt_tier():
    assert cost_usd("gemini-2.5-pro", 100_000, 0) == pytest.approx(0.125)
    assert cost_usd("gemini-2.5-pro", 300_000, 1_000_000) == pytest.approx(0.75 + 15.0)


def test_a_call_is_priced_by_the_answered_model_else_by_the_model_asked_for():
    from providers.pricing import call_cost_usd, priced_model

    assert priced_model("gpt-4o-mini-2024-07-18", "gpt-4o") == "gpt-4o-mini-2024-07-18"  # the answer is precise
    assert priced_model("my-vllm-alias", "gpt-4o-mini") == "gpt-4o-mini"
    assert priced_model(None, "gpt-4o-mini") == "gpt-4o-mini"
    assert priced_model("my-vllm-alias", "llama3") == "my-vllm-alias"  # neither priced: unknown, as answered
    assert priced_model("my-vllm-alias", "llama3", {"llama3": (0.0, 0.0)}) == "llama3"
    assert call_cost_usd("my-vllm-alias", "gpt-4o-mini", 1_000_000, 0) == pytest.approx(0.15)
    assert call_cost_usd("my-vllm-alias", "llama3", 10, 10) is None
