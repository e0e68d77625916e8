"""Self-check of the seventh blind hold-out workload (bench/workloads/holdout7.py): the checks of
check_holdout.py, run on holdout7, then the benchmark's own acceptance (``bench/learning.py``) on every reference
answer and the size of the request sequence.

Run from the repository root:  .venv/bin/python bench/workloads/check_holdout7.py
Exits non-zero on any problem.
"""

from __future__ import annotations

import importlib
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))
sys.modules["holdout"] = importlib.import_module("holdout7")  # check_holdout imports "holdout"
try:
    runpy.run_path(str(HERE / "check_holdout.py"), run_name="__main__")
except SystemExit as done:
    if done.code:
        raise

from bench.learning import Request, acceptance, workload  # noqa: E402

holdout7 = sys.modules["holdout"]
check = acceptance(holdout7)
failures = []
for fam in [*holdout7.FAMILIES, *holdout7.NEAR_MISSES]:
    for entity in fam.entities:
        forms = holdout7.forms(entity)
        why = check(Request(fam, entity, "", forms), fam.code(forms))
        if why:
            failures.append(f"{fam.name}/{entity}: the harness refuses the reference: {why}")
requests = len(workload(holdout7, 7))
if not 100 <= requests <= 130:
    failures.append(f"{requests} requests (want 100-130)")
for line in failures:
    print(" -", line)
print(f"harness acceptance on every reference, {requests} requests: {'FAILED' if failures else 'OK'}")
sys.exit(1 if failures else 0)
