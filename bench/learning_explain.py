"""Why each request of a learning workload was a miss or a wrong hit: the engine's steps replayed one by one.

The same sequence as ``bench/learning.py`` (seed, order, starter library off), but through the learning
functions directly, with the ideal fit oracle of the ``named`` mode (fits when both tasks are of one family, and
names both entities). For each request with an earlier sibling that is not a right hit it prints the reason:
the family's first request was not learnable (and why), the local match missed and where the family's template
ranked among the fit candidates, or the fit said yes but the name could not be placed or rendered.
It is a diagnostic for engineers, not a figure: the figures are ``bench/learning.py``'s.
Usage: python bench/learning_explain.py --workload holdout3 [--seed 7] [--limit 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.learning import WORKLOADS, acceptance, load_workload, workload  # noqa: E402
from contracts import GeneratedFile  # noqa: E402
from learning.engine import corrected_candidate, find_template, fit_candidates, learn_template, name_in_task, serve_fit  # noqa: E402
from learning.library import seed_starters  # noqa: E402
from storage import TemplateStore, open_database  # noqa: E402


def explain(name: str, seed: int, limit: int) -> Counter:
    module = load_workload(name)
    requests = workload(module, seed)
    family_of: dict[str, str] = {}
    entity_of: dict[str, str] = {}
    for fam in [*module.FAMILIES, *module.NEAR_MISSES]:
        for entity in fam.entities:
            for phrase in fam.tasks:
                text = phrase.format(**module.forms(entity)).strip()
                family_of[text], entity_of[text] = fam.name, entity
    check = acceptance(module)
    home = tempfile.mkdtemp(prefix="q2o-explain-")
    db = open_database(f"sqlite:///{home}/explain.db")
    store = TemplateStore(db)
    seed_starters(db)
    for record in store.list():
        if record.origin == "starter":
            store.set_enabled(record.id, False)
    learned_from: dict[str, str] = {}  # family -> why its learning failed, when it did
    seen: set[str] = set()
    tally: Counter = Counter()
    for req in requests:
        fam = req.family.name
        sibling = fam in seen
        seen.add(fam)
        task, stack = req.task, list(req.family.stack)
        served = find_template(db, task, stack)
        reason = ""
        if served is None:
            ranked = fit_candidates(db, task, stack, limit=limit)
            families = [family_of.get(c.source_task.strip(), "?") for c in ranked]
            for candidate in ranked:
                tally["fit calls"] += 1
                if family_of.get(candidate.source_task.strip()) != fam:
                    continue
                own = entity_of.get(candidate.source_task.strip(), "")
                if name_in_task(candidate.source_task, own) != candidate.words:
                    fixed = corrected_candidate(db, candidate, own)
                    if fixed is None:
                        reason = f"fit: the template's slot {candidate.words} is not its task's entity {own!r}"
                        continue
                    candidate = fixed
                named = name_in_task(task, req.entity)
                if named is None:
                    reason = f"fit: the entity {req.entity!r} is not in the task in a form we write"
                    continue
                served = serve_fit(db, task, candidate, {candidate.slot: named})
                if served is None:
                    record = store.get(candidate.template_id)
                    one_word = record is not None and not record.slots[0].get("multiword", True)
                    reason = f"fit: cannot render {named}" + (
                        f" (learned from the one-word {candidate.words}: several words are a guess)" if one_word else ""
                    )
                    continue
                break
            if served is None and not reason:
                mine = [t for t in store.list() if t.enabled and family_of.get(t.source_task.strip()) == fam]
                if not mine:
                    reason = f"no template of the family ({learned_from.get(fam, 'never generated before')})"
                else:
                    reason = f"family's template not among the {limit} candidates {families}"
        if served is not None:
            why = check(req, {f.path: f.content for f in served.files})
            if why:
                status = "WRONG"
                reason = why
            else:
                status = "hit"
        else:
            status = "MISS" if sibling else "first"
            truth = req.family.code(req.forms)
            files = [GeneratedFile(path=p, content=c) for p, c in truth.items()]
            outcome = learn_template(db, task, stack, files)
            if not outcome.learned:
                learned_from.setdefault(fam, outcome.reason)
        tally[status] += 1
        if status in ("MISS", "WRONG"):
            print(f"{status:<5} {fam:<30} {task[:90]!r}\n      {reason}")
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=WORKLOADS, default="holdout")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=3, help="fit candidates asked per request")
    args = parser.parse_args()
    print(dict(explain(args.workload, args.seed, args.limit)))


if __name__ == "__main__":
    main()
