"""Load service configuration from a YAML file with the safe loader."""

from pathlib import Path

import yaml


def load_config(path: Path) -> dict[str, object]:
    """Parse the YAML config at ``path``."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return data if isinstance(data, dict) else {}
