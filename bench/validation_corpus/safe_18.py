"""Load a YAML manifest with an explicit safe loader."""

import yaml


def read_manifest(text: str) -> dict[str, object]:
    """Parse a manifest string."""
    data = yaml.load(text, Loader=yaml.SafeLoader)
    return data or {}
