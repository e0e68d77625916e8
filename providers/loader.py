"""Build a provider from its registry row and the settings, importing its SDK only when it is asked for.

An unknown name, or a provider whose SDK is not installed, is a ``UsageError`` that says what to do.
"""

from __future__ import annotations

import importlib

from providers.base import Provider
from providers.registry import ProviderSpec, UnknownProvider, spec_for
from settings import Settings, UsageError


def provider_class(spec: ProviderSpec) -> type[Provider]:
    """The class a row names (``module:Class``), its module imported now."""
    module_name, _, class_name = spec.implementation.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(f"the {spec.name} provider needs the {spec.sdk_package!r} package: "
                         f"pip install {spec.sdk_package} ({exc})") from None
    found: type[Provider] = getattr(module, class_name)
    return found


def make_provider(name: str, settings: Settings) -> Provider:
    """The provider called ``name``, with its key and base URL from ``settings``."""
    try:
        spec = spec_for(name)
    except UnknownProvider as exc:
        raise UsageError(str(exc)) from None
    return provider_class(spec)(api_key=settings.api_key_for(spec.name), base_url=settings.base_url_for(spec.name))
