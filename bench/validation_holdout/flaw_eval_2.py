"""CLI that applies ``key=value`` overrides to a JSON settings file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def parse_value(raw: str) -> Any:
    """Turn the right-hand side of an override into a Python value.

    Numbers, booleans, lists and dicts are supported; anything else stays a string.
    """
    try:
        return eval(raw, {"__builtins__": {}}, {"true": True, "false": False, "null": None})
    except Exception:
        return raw


def apply_overrides(settings: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Return a copy of ``settings`` with every ``key=value`` override applied."""
    updated = dict(settings)
    for item in overrides:
        key, _, raw = item.partition("=")
        updated[key.strip()] = parse_value(raw.strip())
    return updated


def main() -> None:
    """Entry point: read the file, apply the overrides, write it back."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("settings", type=Path)
    parser.add_argument("overrides", nargs="*", help="key=value pairs")
    args = parser.parse_args()
    data = json.loads(args.settings.read_text(encoding="utf-8"))
    data = apply_overrides(data, args.overrides)
    args.settings.write_text(json.dumps(data, indent=2), encoding="utf-8")
    print(f"Updated {len(args.overrides)} setting(s) in {args.settings}")


if __name__ == "__main__":
    main()
