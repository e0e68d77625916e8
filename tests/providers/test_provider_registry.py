"""The registry: every row is a whole provider (class, settings, prices, simulator), built from the settings."""

from __future__ import annotations

import pytest

from codegen.loader import make_provider
from providers.http import HTTPProvider
from providers.loader import ProviderUnavailable, provider_class
from providers.pricing import PROVIDER_PRICES, price_for
from providers.registry import PROVIDER_NAMES, PROVIDERS, ProviderSpec, spec_for
from settings import KEY_VARIABLES, Settings, UsageError
from simulator import PROTOCOLS

over_registry = pytest.mark.parametrize("spec", PROVIDERS, ids=PROVIDER_NAMES)


@over_registry
def test_row_names_its_class_and_the_class_its_row(spec: ProviderSpec):
    cls = provider_class(spec)
    assert issubclass(cls, HTTPProvider) and cls.spec is spec_for(spec.name)


@over_registry
def test_settings_know_the_row(spec: ProviderSpec, monkeypatch):
    defaults = Settings()
    assert spec.name in defaults.chain and KEY_VARIABLES[spec.name] == spec.key_variables
    assert defaults.model_for(spec.name) == spec.default_model and defaults.base_url_for(spec.name) is None
    monkeypatch.setenv(spec.key_variables[-1], "k-0123456789")
    monkeypatch.setenv(spec.model_variable, "some-model")
    monkeypatch.setenv(spec.base_url_variable, "http://127.0.0.1:1/")
    configured = Settings()
    assert configured.api_key_for(spec.name) == "k-0123456789" and configured.is_configured(spec.name)
    assert configured.model_for(spec.name) == "some-model"
    assert configured.base_url_for(spec.name) == "http://127.0.0.1:1"
    assert "k-0123456789" in configured.secret_values()


@over_registry
def test_base_url_alone_configures_only_where_the_row_says(spec: ProviderSpec, monkeypatch):
    monkeypatch.setenv(spec.base_url_variable, "http://127.0.0.1:1")
    assert Settings().is_configured(spec.name) is spec.base_url_alone_configures
    assert (spec.keyless_hint is not None) is spec.base_url_alone_configures


@over_registry
def test_row_has_prices_for_its_default_model(spec: ProviderSpec):
    assert spec.default_model in PROVIDER_PRICES[spec.name]
    assert price_for(spec.default_model) == PROVIDER_PRICES[spec.name][spec.default_model]


@over_registry
def test_simulator_speaks_the_row(spec: ProviderSpec):
    assert PROTOCOLS[spec.name].name == spec.name


@over_registry
def test_builds_each_provider(spec: ProviderSpec):
    provider = make_provider(spec.name, Settings())
    assert isinstance(provider, provider_class(spec)) and provider.name == spec.name


def test_the_registry_lists_what_the_simulator_and_prices_hold():
    assert set(PROTOCOLS) == set(PROVIDER_PRICES) == set(PROVIDER_NAMES)


def test_unknown_provider_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown provider 'mistral'"):
        make_provider("mistral", Settings())


def test_a_missing_sdk_says_what_to_install():
    missing = PROVIDERS[0].model_copy(
        update={"implementation": "providers.not_installed:Nothing", "sdk_package": "no-sdk"}
    )
    with pytest.raises(ProviderUnavailable, match="needs the 'no-sdk' package: pip install no-sdk"):
        provider_class(missing)


async def test_key_and_base_url_come_from_the_settings(sim, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-0123456789")
    monkeypatch.setenv("Q2O_OPENAI_BASE_URL", sim.base_url("openai"))
    from providers.base import CompletionRequest

    await make_provider("openai", Settings()).complete(
        CompletionRequest(system="s", prompt="p", model="gpt-4.1-mini", timeout_seconds=5)
    )
    [sent] = sim.requests_for("openai")
    assert sent.api_key == "sk-from-env-0123456789"
