"""Application config loaded from YAML with the safe loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass
class AppConfig:
    """Validated application settings."""

    name: str
    debug: bool = False
    workers: int = 4
    features: list[str] = field(default_factory=list)


def load_yaml(path: Path) -> dict[str, Any]:
    """Parse a YAML file into a dict (empty file gives an empty dict)."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return data or {}


def load_overrides(path: Path) -> dict[str, Any]:
    """Parse an overrides file, also with a safe loader."""
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=yaml.SafeLoader) or {}


def load_config(base: Path, overrides: Path | None = None) -> AppConfig:
    """Merge the base config and the optional overrides."""
    raw = load_yaml(base)
    if overrides is not None:
        raw.update(load_overrides(overrides))
    return AppConfig(
        name=str(raw["name"]),
        debug=bool(raw.get("debug", False)),
        workers=int(raw.get("workers", 4)),
        features=list(raw.get("features", [])),
    )
