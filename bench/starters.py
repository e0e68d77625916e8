"""The starter library on day one: what a fresh service serves from its shipped templates alone.

``bench/learning.py`` turns the starters off, so that every hit there is learned in its run; a real service ships
them on, and an agent's first requests meet them. This replays a blind workload of agent requests
(``bench/workloads/starters_blind.py``, written by someone who had not read the engine: each request says which
starter's code is a right answer, or none, and the entity a right render names) through the local match of a
fresh database, starters on, no provider (so no fit check: the path every request takes first).

A hit is right when the starter served is the one expected and its slot holds the entity; wrong when no starter
was expected (a near miss or another job), another one was served, or the name is another (``InvoiceTable`` for
"the invoice table"). It prints right hits, wrong hits with why, misses, and the lookup time.
Usage: python bench/starters.py [--workload starters_blind] [--show-misses]
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learning.engine import find_template  # noqa: E402
from learning.forms import singularize  # noqa: E402
from learning.library import seed_starters  # noqa: E402
from storage import TemplateStore, open_database  # noqa: E402


def _singular(words: list[str]) -> list[str]:
    return [w.lower() for w in words[:-1]] + [singularize(words[-1].lower())] if words else []


def run(name: str, show_misses: bool) -> int:
    module = importlib.import_module(f"bench.workloads.{name}")
    home = tempfile.mkdtemp(prefix="q2o-starters-")
    db = open_database(f"sqlite:///{home}/starters.db")
    seed_starters(db)
    store = TemplateStore(db)
    names = {t.id: t.name for t in store.list() if t.origin == "starter"}
    right = wrong = missed = 0
    expected_hits = sum(1 for r in module.REQUESTS if r["expect"] is not None)
    lines: list[str] = []
    times: list[float] = []
    for req in module.REQUESTS:
        started = time.perf_counter()
        found = find_template(db, req["task"], list(req["stack"]))
        times.append((time.perf_counter() - started) * 1000)
        if found is None:
            missed += 1
            if show_misses and req["expect"] is not None:
                lines.append(f"  miss: {req['task'][:100]!r} (expected {req['expect']})")
            continue
        served = names.get(found.template_id, found.template_id)
        bound = [w for words in found.bindings.values() for w in words]
        if req["expect"] is None:
            why = f"served {served!r} where no starter fits ({req['note']})"
        elif served != req["expect"]:
            why = f"served {served!r}, expected {req['expect']!r}"
        elif _singular(bound) != _singular(list(req["entity"])):
            why = f"named {' '.join(bound)!r}, the entity is {' '.join(req['entity'])!r}"
        else:
            right += 1
            continue
        wrong += 1
        lines.append(f"  wrong hit: {req['task'][:100]!r}: {why}")
    total = len(module.REQUESTS)
    print(
        f"workload {name}: {total} requests ({expected_hits} a starter answers, {total - expected_hits} none does), "
        f"starters on, local match only"
    )
    print(
        f"  right hits {right} ({right / max(expected_hits, 1):.1%} of the requests a starter answers) | "
        f"wrong hits {wrong} | misses {missed} | lookup median {statistics.median(times):.2f} ms"
    )
    for line in lines:
        print(line)
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", default="starters_blind")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    run(args.workload, args.show_misses)


if __name__ == "__main__":
    main()
