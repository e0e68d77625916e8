"""GitHub API helper for the release bot."""

from __future__ import annotations

import requests

GITHUB_API = "https://api.github.com"


def open_issues(repo: str, label: str | None = None) -> list[dict[str, object]]:
    """Open issues of ``owner/name``, optionally filtered by label."""
    params = {"state": "open", "per_page": 100}
    if label:
        params["labels"] = label
    resp = requests.get(
        f"{GITHUB_API}/repos/{repo}/issues",
        params=params,
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": "token ghp_R8x2mQ7vLk4Tz9Wc1Np6Yb3Hs5Jd0Fa2Ge8K",
        },
        timeout=15,
    )
    resp.raise_for_status()
    return resp.json()
