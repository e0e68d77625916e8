"""Self-check of a blind hold-out workload (``bench/workloads/NAME.py``): the checks of check_holdout.py, run on it,
then the benchmark's own acceptance (``bench/learning.py``) on every reference answer and the size of the request
sequence. The ``check_holdoutN.py`` scripts call it with their workload's name.

Run from the repository root:  .venv/bin/python bench/workloads/check_blind.py holdout7
Exits non-zero on any problem.
"""

from __future__ import annotations

import importlib
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(name: str) -> None:
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parents[1]))
    sys.modules["holdout"] = importlib.import_module(name)  # check_holdout imports "holdout"
    try:
        runpy.run_path(str(HERE / "check_holdout.py"), run_name="__main__")
    except SystemExit as done:
        if done.code:
            raise

    from bench.learning import Request, acceptance, workload

    module = sys.modules["holdout"]
    check = acceptance(module)
    failures = []
    for fam in [*module.FAMILIES, *module.NEAR_MISSES]:
        for entity in fam.entities:
            forms = module.forms(entity)
            why = check(Request(fam, entity, "", forms), fam.code(forms))
            if why:
                failures.append(f"{fam.name}/{entity}: the harness refuses the reference: {why}")
    requests = len(workload(module, 7))
    if not 100 <= requests <= 130:
        failures.append(f"{requests} requests (want 100-130)")
    for line in failures:
        print(" -", line)
    print(f"harness acceptance on every reference, {requests} requests: {'FAILED' if failures else 'OK'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main(sys.argv[1])
