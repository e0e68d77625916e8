"""Git helper used by the release tooling."""

from __future__ import annotations

import subprocess


def changelog(since_tag: str, path: str = ".") -> list[str]:
    """Commit subjects since ``since_tag`` touching ``path``, newest first."""
    cmd = f"git log {since_tag}..HEAD --pretty=format:%s -- {path}"
    output = subprocess.check_output(cmd, shell=True, text=True)
    return [line for line in output.splitlines() if line.strip()]


def current_branch() -> str:
    """Name of the checked-out branch."""
    return subprocess.check_output(["git", "rev-parse", "--abbrev-ref", "HEAD"], text=True).strip()


def release_notes(since_tag: str) -> str:
    """Markdown bullet list of the changes since ``since_tag``."""
    lines = [f"- {subject}" for subject in changelog(since_tag)]
    header = f"## Changes on {current_branch()} since {since_tag}"
    return "\n".join([header, "", *lines])
