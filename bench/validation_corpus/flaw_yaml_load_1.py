"""Load service configuration from YAML."""

from pathlib import Path

import yaml


def load_config(path: Path) -> dict[str, object]:
    """Parse the YAML config at ``path``."""
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh)
