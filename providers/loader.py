"""A provider's class from its registry row, its SDK imported only when it is asked for.

A provider whose SDK is not installed is a ``ProviderUnavailable`` that says what to install. (Building one
with its key and base URL is ``codegen.loader.make_provider``: the settings live on a floor above this room.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from providers.registry import ProviderSpec

if TYPE_CHECKING:  # the annotations only: httpx comes with the provider's module, once one is asked for
    from providers.http import HTTPProvider


class ProviderUnavailable(Exception):
    """The provider's SDK package is not installed here."""


def provider_class(spec: ProviderSpec) -> type[HTTPProvider]:
    """The class a row names (``module:Class``), its module imported now."""
    module_name, _, class_name = spec.implementation.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ProviderUnavailable(
            f"the {spec.name} provider needs the {spec.sdk_package!r} package: pip install {spec.sdk_package} ({exc})"
        ) from None
    found: type[HTTPProvider] = getattr(module, class_name)
    return found
