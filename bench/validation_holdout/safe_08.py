"""Parses typed values from an INI-style file using ``ast.literal_eval``."""

from __future__ import annotations

import ast
import configparser
from pathlib import Path
from typing import Any


def coerce(raw: str) -> Any:
    """Python literal for ``raw`` when it is one, else the raw string."""
    try:
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw


def read_settings(path: Path) -> dict[str, dict[str, Any]]:
    """Every section of the file as a dict of coerced values."""
    parser = configparser.ConfigParser()
    parser.read(path, encoding="utf-8")
    return {
        section: {key: coerce(value) for key, value in parser.items(section)}
        for section in parser.sections()
    }


if __name__ == "__main__":
    import sys

    for section, values in read_settings(Path(sys.argv[1])).items():
        print(f"[{section}]")
        for key, value in values.items():
            print(f"  {key} = {value!r} ({type(value).__name__})")
