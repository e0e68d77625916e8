"""Build a provider by name from the settings, importing its SDK only when it is asked for.

An unknown name, or a provider whose SDK is not installed, is a ``UsageError`` that says what to do.
"""

from __future__ import annotations

import importlib

from providers.base import Provider
from settings import PROVIDER_NAMES, Settings, UsageError

# name -> (module, class, pip package)
_PROVIDERS: dict[str, tuple[str, str, str]] = {
    "openai": ("providers.openai", "OpenAIProvider", "openai"),
    "anthropic": ("providers.anthropic", "AnthropicProvider", "anthropic"),
    "gemini": ("providers.gemini", "GeminiProvider", "google-genai"),
}


def make_provider(name: str, settings: Settings) -> Provider:
    """The provider called ``name``, with its key and base URL from ``settings``."""
    key = name.strip().lower()
    if key not in _PROVIDERS:
        raise UsageError(f"unknown provider {name!r}: choose one of {', '.join(PROVIDER_NAMES)}")
    module_name, class_name, package = _PROVIDERS[key]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(f"the {key} provider needs the {package!r} package: pip install {package} ({exc})") from None
    provider_class = getattr(module, class_name)
    provider: Provider = provider_class(api_key=settings.api_key_for(key), base_url=settings.base_url_for(key))
    return provider
