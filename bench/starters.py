"""The starter library on day one: what a fresh service serves from its shipped templates alone.

``bench/learning.py`` turns the starters off, so that every hit there is learned in its run; a real service ships
them on, and an agent's first requests meet them. This replays a blind workload of agent requests
(``bench/workloads/starters_blind.py``, written by someone who had not read the engine: each request says which
starter's code is a right answer, or none, and the entity a right render names) through the local match of a
fresh database, starters on, no provider (so no fit check: the path every request takes first); with
``--fit named``, a request the local match misses then goes through the engine's fit path with an ideal fit model
(as ``bench/learning.py``'s "named" mode: it says "fits" for the expected starter only and names both entities
right), which counts the fit calls and shows what the engine does with a right answer.

A hit is right when the starter served is the one expected and its slot holds the entity; wrong when no starter
was expected (a near miss or another job), another one was served, or the name is another (``InvoiceTable`` for
"the invoice table"). It prints right hits, wrong hits with why, misses, and the lookup time.
Usage: python bench/starters.py [--workload starters_blind] [--fit off|named] [--show-misses]
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

from learning.engine import (  # noqa: E402
    TemplateMatch,
    corrected_candidate,
    find_template,
    fit_candidates,
    name_in_task,
    serve_fit,
)
from learning.forms import singularize  # noqa: E402
from learning.library import seed_starters  # noqa: E402
from storage import TemplateStore, open_database  # noqa: E402


def _singular(words: list[str]) -> list[str]:
    return [w.lower() for w in words[:-1]] + [singularize(words[-1].lower())] if words else []


def _ideal_fit(db, store: TemplateStore, req: dict, names: dict[str, str]) -> tuple[TemplateMatch | None, int]:
    """The engine's fit path with a model that answers "fits" for the expected starter only, naming the
    template's entity (its source task's) and the request's right: the served match and the calls asked."""
    calls = 0
    for candidate in fit_candidates(db, req["task"], list(req["stack"])):
        calls += 1
        if req["expect"] is None or names.get(candidate.template_id) != req["expect"]:
            continue
        record = store.get(candidate.template_id)
        own = " ".join(record.slots[0]["words"]) if record is not None else ""
        if name_in_task(candidate.source_task, own) != candidate.words:
            fixed = corrected_candidate(db, candidate, own)
            if fixed is None:
                continue
            candidate = fixed
        named = name_in_task(req["task"], " ".join(req["entity"]))
        served = serve_fit(db, req["task"], candidate, {candidate.slot: named}) if named else None
        if served is not None:
            return served, calls
    return None, calls


def run(name: str, show_misses: bool, fit: str = "off") -> int:
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
    fit_calls = fit_hits = 0
    for req in module.REQUESTS:
        started = time.perf_counter()
        found = find_template(db, req["task"], list(req["stack"]))
        times.append((time.perf_counter() - started) * 1000)
        if found is None and fit == "named":
            found, asked = _ideal_fit(db, store, req, names)
            fit_calls += asked
            fit_hits += found is not None
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
        "starters on, " + ("local match, then the fit path (ideal fit model)" if fit == "named" else "local match only")
    )
    print(
        f"  right hits {right} ({right / max(expected_hits, 1):.1%} of the requests a starter answers) | "
        f"wrong hits {wrong} | misses {missed} | lookup median {statistics.median(times):.2f} ms"
        + (f" | fit calls {fit_calls}, hits through the fit path {fit_hits}" if fit == "named" else "")
    )
    for line in lines:
        print(line)
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", default="starters_blind")
    parser.add_argument("--fit", choices=("off", "named"), default="off")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    run(args.workload, args.show_misses, args.fit)


if __name__ == "__main__":
    main()
