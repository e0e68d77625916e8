"""Loads Kubernetes-style manifests from a directory given on the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml


def read_manifests(directory: Path) -> list[dict[str, Any]]:
    """Every YAML document in every ``*.yaml`` file under ``directory``."""
    manifests: list[dict[str, Any]] = []
    for path in sorted(directory.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for doc in yaml.unsafe_load_all(text):
            if doc:
                manifests.append(doc)
    return manifests


def summarize(manifests: list[dict[str, Any]]) -> dict[str, int]:
    """Count manifests per ``kind``."""
    counts: dict[str, int] = {}
    for manifest in manifests:
        kind = manifest.get("kind", "Unknown")
        counts[kind] = counts.get(kind, 0) + 1
    return counts


if __name__ == "__main__":
    for kind, count in summarize(read_manifests(Path(sys.argv[1]))).items():
        print(f"{kind:<24}{count:>5}")
