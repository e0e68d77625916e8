"""Self-check of the fifth blind hold-out workload (bench/workloads/holdout5.py): `check_blind.py` on it.

Run from the repository root:  .venv/bin/python bench/workloads/check_holdout5.py
Exits non-zero on any problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_blind import main  # noqa: E402

main("holdout5")
