"""Self-check of the fourth blind hold-out workload (bench/workloads/holdout4.py): the checks of
check_holdout.py, run on holdout4.

Run from the repository root:  .venv/bin/python bench/workloads/check_holdout4.py
Exits non-zero on any problem.
"""

from __future__ import annotations

import importlib
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.modules["holdout"] = importlib.import_module("holdout4")  # check_holdout imports "holdout"
runpy.run_path(str(HERE / "check_holdout.py"), run_name="__main__")
