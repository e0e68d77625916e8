"""Run git to read the current commit, without a shell."""

import subprocess


def current_commit(repo: str) -> str:
    """The HEAD commit hash of ``repo``."""
    done = subprocess.run(
        ["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True, check=True, shell=False
    )
    return done.stdout.strip()
