"""Detection bench for the static validator: planted flaws are caught, safe code passes.

Runs ``validate_files`` on every sample in ``bench/validation_corpus/``: ``safe_*.py`` must pass, and
``flaw_<class>_<n>.py`` must fail with a finding of that class's rule. Prints detection per flaw class, the
false-positive rate on the safe half and the median validation time per sample.
Run: .venv/bin/python bench/validation.py
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contracts import GeneratedFile
from validation.models import Verdict
from validation.static import validate_files  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "validation_corpus"
# Flaw class (from the file name) -> the rules that count as detecting it.
EXPECTED_RULES: dict[str, set[str]] = {
    "eval": {"dangerous-call:eval", "bandit:B307"},
    "exec": {"dangerous-call:exec", "bandit:B102"},
    "os_system": {"dangerous-call:os.system", "bandit:B605"},
    "subprocess_shell": {"dangerous-call:subprocess-shell", "bandit:B602"},
    "pickle": {"dangerous-call:pickle", "bandit:B301"},
    "yaml_load": {"dangerous-call:yaml-load", "bandit:B506"},
    "sql_fstring": {"sql-injection"},
    "sql_percent": {"sql-injection"},
    "hardcoded_secret": {"hardcoded-secret"},
    "tls_disabled": {"tls-disabled", "bandit:B501", "bandit:B323"},
}
_FLAW = re.compile(r"^flaw_(?P<cls>[a-z_]+?)_\d+\.py$")


@dataclass
class Sample:
    """One corpus file, its expected class ("safe" or a flaw class), and what the validator said."""

    name: str
    cls: str
    verdict: Verdict
    seconds: float

    @property
    def correct(self) -> bool:
        """Safe and passed, or flawed, failed, and reported with the class's rule."""
        if self.cls == "safe":
            return self.verdict.passed
        rules = {f.rule for f in self.verdict.findings}
        return not self.verdict.passed and bool(rules & EXPECTED_RULES[self.cls])


def sample_class(name: str) -> str:
    """The class a corpus file name declares."""
    if name.startswith("safe_"):
        return "safe"
    match = _FLAW.match(name)
    if not match or match["cls"] not in EXPECTED_RULES:
        raise ValueError(f"corpus file {name} names no known class")
    return match["cls"]


def run_corpus(corpus: Path = CORPUS) -> list[Sample]:
    """Validate every corpus sample (as a one-file answer named app.py) and time it."""
    validate_files([GeneratedFile(path="warmup.py", content="x: int = 1\n")])
    samples = []
    for path in sorted(corpus.glob("*.py")):
        files = [GeneratedFile(path="app.py", content=path.read_text(encoding="utf-8"))]
        start = time.perf_counter()
        verdict = validate_files(files)
        samples.append(Sample(path.name, sample_class(path.name), verdict, time.perf_counter() - start))
    return samples


def main() -> int:
    """Print the table; exit 1 when a class is missed or false positives exceed 5 %."""
    samples = run_corpus()
    print(f"{'flaw class':<18} {'detected/planted':>16}")
    all_detected = True
    for cls in EXPECTED_RULES:
        mine = [s for s in samples if s.cls == cls]
        hits = sum(s.correct for s in mine)
        all_detected &= bool(mine) and hits == len(mine)
        print(f"{cls:<18} {f'{hits}/{len(mine)}':>16}")
    flawed = [s for s in samples if s.cls != "safe"]
    safe = [s for s in samples if s.cls == "safe"]
    false_pos = [s for s in safe if not s.verdict.passed]
    fp_rate = len(false_pos) / len(safe) if safe else 0.0
    detected = sum(s.correct for s in flawed)
    print("-" * 35)
    print(f"overall detection  {detected}/{len(flawed)} = {detected / len(flawed):.0%}")
    print(f"false positives    {len(false_pos)}/{len(safe)} = {fp_rate:.1%} (target <= 5 %)")
    print(
        f"median time/sample {statistics.median(s.seconds for s in samples) * 1000:.0f} ms "
        f"(max {max(s.seconds for s in samples) * 1000:.0f} ms, {len(samples)} samples)"
    )
    for s in [*false_pos, *(s for s in flawed if not s.correct)]:
        rules = ", ".join(f"{f.rule}({f.severity})@{f.line}" for f in s.verdict.findings if f.severity != "info")
        print(f"  MISCLASSIFIED {s.name}: passed={s.verdict.passed} score={s.verdict.score} [{rules}]")
    return 0 if all_detected and fp_rate <= 0.05 else 1


if __name__ == "__main__":
    raise SystemExit(main())
