"""Data script: aggregates a CSV of transactions into per-category JSON totals."""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path


def aggregate(rows: list[dict[str, str]]) -> dict[str, str]:
    """Sum ``amount`` per ``category`` (as strings, to keep decimals exact)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[row["category"].strip().lower()] += Decimal(row["amount"])
    return {category: str(total) for category, total in sorted(totals.items())}


def main() -> None:
    """Read the CSV, aggregate, write JSON next to it."""
    parser = argparse.ArgumentParser(description="Aggregate transactions per category.")
    parser.add_argument("csv_file", type=Path)
    args = parser.parse_args()
    with args.csv_file.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = args.csv_file.with_suffix(".totals.json")
    out.write_text(json.dumps(aggregate(rows), indent=2), encoding="utf-8")
    print("Wrote %d categories to %s" % (len(rows), out))


if __name__ == "__main__":
    main()
