"""The registry builds each provider with its key and base URL from the settings."""

from __future__ import annotations

import pytest

from providers.anthropic import AnthropicProvider
from providers.gemini import GeminiProvider
from providers.openai import OpenAIProvider
from providers.registry import make_provider
from settings import Settings, UsageError


@pytest.mark.parametrize("name, kind", [
    ("openai", OpenAIProvider), ("anthropic", AnthropicProvider), ("gemini", GeminiProvider),
])
def test_builds_each_provider(name, kind):
    provider = make_provider(name, Settings())
    assert isinstance(provider, kind) and provider.name == name


def test_unknown_provider_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown provider 'mistral'"):
        make_provider("mistral", Settings())


async def test_key_and_base_url_come_from_the_settings(sim, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-0123456789")
    monkeypatch.setenv("Q2O_OPENAI_BASE_URL", sim.base_url("openai"))
    from providers.base import CompletionRequest

    await make_provider("openai", Settings()).complete(
        CompletionRequest(system="s", prompt="p", model="gpt-4.1-mini", timeout_seconds=5))
    [sent] = sim.requests_for("openai")
    assert sent.api_key == "sk-from-env-0123456789"
