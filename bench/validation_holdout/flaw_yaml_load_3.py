"""Config loader for the scraper bot."""

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass
class ScraperConfig:
    """Settings read from ``scraper.yml``."""

    start_urls: list[str]
    max_depth: int = 2
    delay_seconds: float = 1.0


def load_config(path: Path) -> ScraperConfig:
    """Read the YAML config file into a :class:`ScraperConfig`."""
    with path.open() as fh:
        raw = yaml.load(fh)
    return ScraperConfig(
        start_urls=list(raw["start_urls"]),
        max_depth=int(raw.get("max_depth", 2)),
        delay_seconds=float(raw.get("delay_seconds", 1.0)),
    )
