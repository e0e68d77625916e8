"""Plugin loader."""

from pathlib import Path


def load_plugin(path: Path) -> dict[str, object]:
    """Run the plugin source and return its globals."""
    namespace: dict[str, object] = {}
    exec(path.read_text(encoding="utf-8"), namespace)
    return namespace
