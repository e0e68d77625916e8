"""Held-out detection bench for the static validator.

Same loader and scoring as ``bench/validation.py`` (imported from it), but on ``bench/validation_holdout/``:
samples written independently of the rules, as realistic LLM output. A flawed sample counts as detected
exactly as in ``validation.py`` (``Sample.correct``): the verdict does not pass AND a finding of the flaw
class's rule is present. A safe sample is a false positive when its verdict does not pass.
Naming: ``sql_fstring`` also holds ``+`` concatenation and ``.format`` SQL; both SQL classes map to the
same ``sql-injection`` rule, so the split only groups phrasings.
Measured before any rule was changed for it: detection 25/33 (75.8 %), false positives 3/27 (11.1 %); the rules
were then fixed for every miss and false positive (33/33, 0/27), so it is no longer an independent estimate.
Run: .venv/bin/python bench/validation_holdout.py
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

# bench/validation.py shares its name with the ``validation`` package, so load it by path.
_spec = importlib.util.spec_from_file_location("bench_validation", Path(__file__).resolve().parent / "validation.py")
assert _spec is not None and _spec.loader is not None
_bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_validation"] = _bench
_spec.loader.exec_module(_bench)
EXPECTED_RULES = _bench.EXPECTED_RULES
Sample = _bench.Sample
run_corpus = _bench.run_corpus

HOLDOUT = Path(__file__).resolve().parent / "validation_holdout"


def describe(sample: Sample, why: str) -> list[str]:
    """Lines describing one misclassified sample: verdict, score and every finding."""
    v = sample.verdict
    lines = [f"  {why} {sample.name}: passed={v.passed} score={v.score}"]
    for f in v.findings:
        lines.append(f"      {f.rule} ({f.severity}) line {f.line}: {f.message}")
    if not v.findings:
        lines.append("      (no findings)")
    return lines


def main() -> int:
    """Print per-class detection, overall detection, false-positive rate and every error in detail."""
    samples = run_corpus(HOLDOUT)
    flawed = [s for s in samples if s.cls != "safe"]
    safe = [s for s in samples if s.cls == "safe"]
    print(f"held-out corpus: {len(samples)} samples ({len(flawed)} flawed, {len(safe)} safe)")
    print(f"{'flaw class':<18} {'detected/planted':>16}")
    for cls in EXPECTED_RULES:
        mine = [s for s in flawed if s.cls == cls]
        print(f"{cls:<18} {f'{sum(s.correct for s in mine)}/{len(mine)}':>16}")
    detected = sum(s.correct for s in flawed)
    false_pos = [s for s in safe if not s.verdict.passed]
    print("-" * 35)
    print(f"overall detection  {detected}/{len(flawed)} = {detected / len(flawed):.1%}")
    print(f"false positives    {len(false_pos)}/{len(safe)} = {len(false_pos) / len(safe):.1%}")
    for s in flawed:
        if not s.correct:
            print("\n".join(describe(s, "MISS")))
    for s in false_pos:
        print("\n".join(describe(s, "FALSE-POSITIVE")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
