"""Compress an uploaded file."""

import subprocess


def compress(filename: str) -> None:
    """Gzip ``filename`` in place."""
    subprocess.run(f"gzip -9 {filename}", shell=True, check=True)
