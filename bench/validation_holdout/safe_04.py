"""Release CLI that drives git through subprocess without a shell."""

from __future__ import annotations

import subprocess
import sys


def run_git(*args: str) -> str:
    """Run ``git`` with ``args`` and return its stdout."""
    completed = subprocess.run(["git", *args], check=True, capture_output=True, text=True)
    return completed.stdout.strip()


def tag_release(version: str, message: str | None = None) -> None:
    """Create an annotated tag ``v<version>`` and push it."""
    if run_git("status", "--porcelain"):
        raise SystemExit("working tree is dirty; commit or stash first")
    tag = f"v{version}"
    run_git("tag", "-a", tag, "-m", message or f"Release {tag}")
    run_git("push", "origin", tag)
    print(f"Tagged and pushed {tag}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: release.py VERSION")
    tag_release(sys.argv[1])
