"""What a call cost, from a dated table of public list prices (US dollars per million tokens).

A model not in the table costs ``None`` (unknown), never 0, and is logged once. Dated ids that APIs
report back ("gpt-4.1-mini-2025-04-14", "claude-sonnet-4-5-20250929", "models/gemini-2.5-flash") match their base entry.
A call is priced by the model that answered, or, when the table lacks that name (an OpenAI-compatible server
answering with an alias), by the configured model it was sent to: ``call_cost_usd``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

logger = logging.getLogger(__name__)

PRICES_AS_OF = date(2025, 10, 20)


class Price(NamedTuple):
    """Dollars per million tokens; Gemini Pro charges more for prompts past ``long_context`` tokens."""

    input: float
    output: float
    long_context: int | None = None
    long_input: float | None = None
    long_output: float | None = None


# Standard (not batch, not cached-input) list prices as published by each provider on PRICES_AS_OF, one table a
# provider of the registry.
PROVIDER_PRICES: dict[str, dict[str, Price]] = {
    "openai": {
        "gpt-5": Price(1.25, 10.00),
        "gpt-5-mini": Price(0.25, 2.00),
        "gpt-5-nano": Price(0.05, 0.40),
        "gpt-4.1": Price(2.00, 8.00),
        "gpt-4.1-mini": Price(0.40, 1.60),
        "gpt-4.1-nano": Price(0.10, 0.40),
        "gpt-4o": Price(2.50, 10.00),
        "gpt-4o-mini": Price(0.15, 0.60),
    },
    "anthropic": {
        "claude-sonnet-4-5": Price(3.00, 15.00),
        "claude-sonnet-4-0": Price(3.00, 15.00),
        "claude-haiku-4-5": Price(1.00, 5.00),
        "claude-opus-4-1": Price(15.00, 75.00),
        "claude-opus-4-0": Price(15.00, 75.00),
    },
    "gemini": {  # output includes thinking tokens
        "gemini-2.5-pro": Price(1.25, 10.00, long_context=200_000, long_input=2.50, long_output=15.00),
        "gemini-2.5-flash": Price(0.30, 2.50),
        "gemini-2.5-flash-lite": Price(0.10, 0.40),
    },
}
# A model id is priced the same whoever serves it: one table for lookups.
PRICES: dict[str, Price] = {model: price for table in PROVIDER_PRICES.values() for model, price in table.items()}

# Other names the APIs accept for the same model.
ALIASES: dict[str, str] = {
    "claude-sonnet-4": "claude-sonnet-4-0",
    "claude-opus-4": "claude-opus-4-0",
}

# What may follow a base id in a dated or pinned id: -2025-04-14, -20250929, -001, -latest, -preview-09-2025.
_VERSION_SUFFIX = re.compile(r"^-(\d{4}-\d{2}-\d{2}|\d{8}|\d{3}|latest|preview(-\d{2}-\d{4})?)$")

_warned: set[str] = set()


def price_for(model: str, extra: Mapping[str, tuple[float, float]] | None = None) -> Price | None:
    """The price of ``model`` (``extra`` first: prices declared in Q2O_MODEL_PRICES, e.g. a local model at 0)
    or of the base model a dated id names; None when in neither."""
    name = model.strip().lower()
    name = name.removeprefix("models/")
    if extra and name in extra:
        return Price(*extra[name][:2])
    name = ALIASES.get(name, name)
    if name in PRICES:
        return PRICES[name]
    # Longest base first, so "gpt-4o-mini-2024-07-18" is gpt-4o-mini, not gpt-4o.
    for base in sorted(PRICES, key=len, reverse=True):
        if name.startswith(base) and _VERSION_SUFFIX.match(name[len(base) :]):
            return PRICES[base]
    for alias, base in ALIASES.items():
        if name.startswith(alias) and _VERSION_SUFFIX.match(name[len(alias) :]):
            return PRICES[base]
    return None


def cost_usd(
    model: str,
    input_tokens: int | None,
    output_tokens: int | None,
    extra: Mapping[str, tuple[float, float]] | None = None,
) -> float | None:
    """Dollars for one call; None when the model's price or the token counts are unknown."""
    price = price_for(model, extra)
    if price is None:
        if model not in _warned:
            _warned.add(model)
            logger.warning(
                "no price for model %r (price table of %s): its cost is recorded as unknown; declare "
                "it with Q2O_MODEL_PRICES=%s=IN/OUT (dollars per million tokens)",
                model,
                PRICES_AS_OF.isoformat(),
                model,
            )
        return None
    if input_tokens is None or output_tokens is None:
        return None
    per_input, per_output = price.input, price.output
    if price.long_context is not None and input_tokens > price.long_context:
        per_input = price.long_input if price.long_input is not None else per_input
        per_output = price.long_output if price.long_output is not None else per_output
    return round((input_tokens * per_input + output_tokens * per_output) / 1_000_000, 10)


def priced_model(answered: str | None, asked: str, extra: Mapping[str, tuple[float, float]] | None = None) -> str:
    """The name a call is priced by: the model that answered when the table knows it (a dated id is the more
    precise), else the model it was sent to when the table knows that, else the answered name (unknown)."""
    if answered and price_for(answered, extra) is not None:
        return answered
    if price_for(asked, extra) is not None:
        return asked
    return answered or asked


def call_cost_usd(
    answered: str | None,
    asked: str,
    input_tokens: int | None,
    output_tokens: int | None,
    extra: Mapping[str, tuple[float, float]] | None = None,
) -> float | None:
    """Dollars for one call, priced as ``priced_model`` says; None when neither name has a price."""
    return cost_usd(priced_model(answered, asked, extra), input_tokens, output_tokens, extra)
