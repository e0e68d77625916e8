"""Build a provider from its registry row and the settings (its key and base URL).

An unknown name, or a provider whose SDK is not installed, is a ``UsageError`` that says what to do.
"""

from __future__ import annotations

from providers.base import Provider
from providers.loader import ProviderUnavailable, provider_class
from providers.registry import UnknownProvider, spec_for
from settings import Settings, UsageError


def make_provider(name: str, settings: Settings) -> Provider:
    """The provider called ``name``, with its key and base URL from ``settings``."""
    try:
        spec = spec_for(name)
        cls = provider_class(spec)
    except (UnknownProvider, ProviderUnavailable) as exc:
        raise UsageError(str(exc)) from None
    return cls(api_key=settings.api_key_for(spec.name), base_url=settings.base_url_for(spec.name))
