"""Self-check of the blind starter-library workload (bench/workloads/starters_blind.py).

Reads the starters' names as a user does (``q2o templates list --json`` in a throw-away ``Q2O_HOME``) and checks
the shape of every request. Prints the counts; exits non-zero on any problem.

Run from the repository root:  .venv/bin/python bench/workloads/check_starters_blind.py
"""
from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import starters_blind  # noqa: E402

KEYS = {"task", "stack", "expect", "entity", "note"}
WORD = re.compile(r"^[a-z][a-z0-9]*$")
MISS_KINDS = {"plus-one", "changed", "less", "other-framework", "other-output", "other-job", "combo", "unrelated"}

problems: list[str] = []


def problem(msg: str) -> None:
    problems.append(msg)


def q2o_command() -> list[str]:
    beside = Path(sys.executable).with_name("q2o")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("q2o")
    if found:
        return [found]
    return [sys.executable, "-c", "import cli; cli.main()"]


def starter_names() -> set[str]:
    with tempfile.TemporaryDirectory(prefix="q2o-starters-blind-") as home:
        env = dict(os.environ, Q2O_HOME=home)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
        done = subprocess.run([*q2o_command(), "templates", "list", "--json"], env=env, cwd=home,
                              capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        sys.exit(f"q2o templates list --json failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    rows = json.loads(done.stdout)
    return {row["name"] for row in rows if row.get("origin") == "starter"}


names = starter_names()
if not names:
    problem("q2o templates list --json printed no starters")
for const in starters_blind.STARTERS:
    if const not in names:
        problem(f"constant {const!r} is not a starter name")

requests = starters_blind.REQUESTS
seen: dict[str, int] = {}
hits_by_starter: collections.Counter[str] = collections.Counter()
miss_kinds: collections.Counter[str] = collections.Counter()
entities: set[tuple[str, ...]] = set()

for i, req in enumerate(requests):
    where = f"request {i} ({str(req.get('task', ''))[:50]!r})"
    if not isinstance(req, dict) or set(req) != KEYS:
        problem(f"{where}: keys {sorted(req) if isinstance(req, dict) else type(req)} != {sorted(KEYS)}")
        continue
    task, stack, expect, entity, note = (req[k] for k in ("task", "stack", "expect", "entity", "note"))
    if not isinstance(task, str) or not task.strip():
        problem(f"{where}: task must be a non-empty string")
        continue
    key = " ".join(task.lower().split())
    if key in seen:
        problem(f"{where}: duplicate task (also request {seen[key]})")
    seen[key] = i
    if not isinstance(stack, list) or not stack or not all(isinstance(s, str) and s.strip() for s in stack):
        problem(f"{where}: stack must be a non-empty list of non-empty strings")
    if not isinstance(note, str) or not note.strip():
        problem(f"{where}: note must be a non-empty string")
        note = ""
    if expect is None:
        if entity is not None:
            problem(f"{where}: entity must be None when expect is None")
        kind = note.split(":", 1)[0].strip()
        if ":" not in note or kind not in MISS_KINDS:
            problem(f"{where}: a None case's note must start with one of {sorted(MISS_KINDS)} and a colon")
        miss_kinds[kind] += 1
        continue
    if expect not in names:
        problem(f"{where}: expect {expect!r} is not a starter name")
    hits_by_starter[expect] += 1
    if (not isinstance(entity, list) or not 1 <= len(entity) <= 4
            or not all(isinstance(w, str) and WORD.match(w) for w in entity)):
        problem(f"{where}: entity must be a list of 1-4 lower-case words, got {entity!r}")
        continue
    entities.add(tuple(entity))

total = len(requests)
hits = sum(hits_by_starter.values())
nones = total - hits
if not 120 <= total <= 160:
    problem(f"{total} requests (want 120-160)")
if not 0.4 <= hits / max(total, 1) <= 0.6:
    problem(f"{hits} expected hits of {total} (want about half)")
for name in sorted(names):
    if hits_by_starter[name] < 3:
        problem(f"starter {name!r} has {hits_by_starter[name]} expected hits (want at least 3)")
multi = sum(1 for e in entities if len(e) > 1)
if len(entities) < 50:
    problem(f"{len(entities)} distinct entities (want at least 50)")
if multi * 3 < len(entities):
    problem(f"{multi} of {len(entities)} distinct entities are multi-word (want at least a third)")

print(f"requests: {total}   expected hits: {hits}   None: {nones}")
print(f"distinct entities: {len(entities)} ({multi} multi-word)")
print("expected hits per starter:")
for name in sorted(names):
    print(f"  {hits_by_starter[name]:3d}  {name}")
print("None cases by kind:")
for kind, n in sorted(miss_kinds.items(), key=lambda kv: (-kv[1], kv[0])):
    print(f"  {n:3d}  {kind}")
for line in problems:
    print(" -", line)
print("starters_blind:", "FAILED" if problems else "OK")
sys.exit(1 if problems else 0)
