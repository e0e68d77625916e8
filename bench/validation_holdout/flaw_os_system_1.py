"""Thumbnail worker: shells out to ImageMagick for each uploaded image."""

import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

THUMB_DIR = Path("/var/app/thumbs")


def make_thumbnail(upload: Path, size: int = 256) -> Path:
    """Create a square thumbnail of ``upload`` and return its path."""
    THUMB_DIR.mkdir(parents=True, exist_ok=True)
    target = THUMB_DIR / f"{upload.stem}_{size}.png"
    status = os.system(f"convert '{upload}' -thumbnail {size}x{size}^ -gravity center -extent {size}x{size} '{target}'")
    if status != 0:
        logger.error("convert failed for %s with status %d", upload, status)
        raise RuntimeError(f"thumbnail failed for {upload.name}")
    return target


def process_batch(uploads: list[Path]) -> list[Path]:
    """Thumbnail every upload, skipping the ones that fail."""
    done: list[Path] = []
    for upload in uploads:
        try:
            done.append(make_thumbnail(upload))
        except RuntimeError:
            continue
    return done
