"""Run a formatter on user-chosen files, passing them as separate arguments."""

import shutil
import subprocess
from pathlib import Path


def format_files(paths: list[Path]) -> int:
    """Run black on ``paths``; return its exit code."""
    black = shutil.which("black")
    if black is None:
        raise RuntimeError("black is not installed")
    return subprocess.run([black, "--quiet", *map(str, paths)], check=False).returncode
