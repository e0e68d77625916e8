"""Content-addressed thumbnail cache keys and random sampling for previews."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

CACHE_DIR = Path("/var/cache/previews")


def cache_key(source: Path, width: int, height: int) -> str:
    """Stable, non-security cache key for a resized image."""
    digest = hashlib.md5(source.read_bytes(), usedforsecurity=False).hexdigest()
    return f"{digest}_{width}x{height}"


def cache_path(source: Path, width: int, height: int) -> Path:
    """Where the resized image is cached."""
    return CACHE_DIR / f"{cache_key(source, width, height)}.webp"


def preview_sample(paths: list[Path], k: int = 5, seed: int | None = None) -> list[Path]:
    """Pick up to ``k`` images to show in a gallery preview (not security-relevant)."""
    rng = random.Random(seed)
    return rng.sample(paths, min(k, len(paths)))
