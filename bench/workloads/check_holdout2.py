"""Self-check of the blind hold-out workload (bench/workloads/holdout.py).

Run from the repository root:  .venv/bin/python bench/workloads/check_holdout.py
Exits non-zero on any problem.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import string
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import holdout2 as holdout  # noqa: E402
from holdout2 import FAMILIES, NEAR_MISSES, Family, forms  # noqa: E402

FORM_KEYS = (
    "words", "title", "pascal", "camel", "snake", "kebab", "upper", "sentence",
)
ALL_KEYS = {k for key in FORM_KEYS for k in (key, f"{key}_plural")}
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ENTITY = re.compile(r"^[a-z]+( [a-z]+){0,3}$")

problems: list[str] = []


def problem(msg: str) -> None:
    problems.append(msg)


# --------------------------------------------------------------------------
# acceptance (what the benchmark does with served code)
# --------------------------------------------------------------------------

_import_cache: dict[tuple[str, str | None], str | None] = {}


def _installed(top: str) -> bool:
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False


def _resolve(module: str, name: str | None) -> str | None:
    """None if `import module` / `from module import name` resolves (or is not checkable)."""
    key = (module, name)
    if key in _import_cache:
        return _import_cache[key]
    result: str | None = None
    if _installed(module.split(".")[0]):
        try:
            mod = importlib.import_module(module)
        except Exception as exc:  # noqa: BLE001 - report any import failure
            result = f"import {module} fails: {exc!r}"
        else:
            if name is not None and name != "*" and not hasattr(mod, name):
                try:
                    found = importlib.util.find_spec(f"{module}.{name}") is not None
                except (ImportError, ValueError):
                    found = False
                if not found:
                    result = f"from {module} import {name}: no such name"
    _import_cache[key] = result
    return result


def import_errors(tree: ast.AST) -> list[str]:
    errors = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                err = _resolve(alias.name, None)
                if err:
                    errors.append(err)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                err = _resolve(node.module, alias.name)
                if err:
                    errors.append(err)
    return errors


def _entity_patterns(entity: str) -> list[re.Pattern[str]]:
    f = forms(entity)
    pats = []
    for key in ("pascal", "pascal_plural"):
        pats.append(re.compile(rf"(?<![A-Za-z0-9]){re.escape(f[key])}(?![a-z0-9])"))
    for key in ("snake", "snake_plural"):
        pats.append(re.compile(rf"(?<![a-z0-9]){re.escape(f[key])}(?![a-z0-9])"))
    return pats


def _strip_own(text: str, f: holdout.Forms) -> str:
    for value in sorted(set(f.values()), key=len, reverse=True):
        text = text.replace(value, "\x00")
    return text


def leftovers(text: str, target: str, others: set[str], raw: bool) -> list[str]:
    """Other entities' pascal/snake forms present in code written for `target`."""
    stripped = _strip_own(text, forms(target))
    found = []
    for other in sorted(others - {target}):
        of = forms(other)
        if raw:
            hit = any(of[k] in stripped for k in ("pascal", "snake"))
        else:
            hit = any(p.search(stripped) for p in _entity_patterns(other))
        if hit:
            found.append(other)
    return found


def rejection(fam: Family, entity: str, files: dict[str, str], others: set[str]) -> list[str]:
    """Why `files` would be refused as fam's answer for entity ([] = accepted)."""
    reasons = []
    f = forms(entity)
    for path, src in files.items():
        if path.endswith(".py"):
            try:
                tree = ast.parse(src)
            except SyntaxError as exc:
                reasons.append(f"{path}: syntax error {exc}")
                continue
            reasons += [f"{path}: {e}" for e in import_errors(tree)]
    text = "\n".join(files.values())
    reasons += [f"missing {m!r}" for m in fam.must(f) if m not in text]
    reasons += [f"contains forbidden {m!r}" for m in fam.must_not if m in text]
    reasons += [f"leftover entity {o!r}" for o in leftovers(text, entity, others, raw=False)]
    return reasons


# --------------------------------------------------------------------------
# code quality lint of reference answers
# --------------------------------------------------------------------------

BANNED_CALLS = {"eval", "exec", "compile", "__import__"}
BANNED_MODULES = {"pickle", "marshal", "shelve", "subprocess", "dill"}
SECRET_ASSIGN = re.compile(
    r"""(?i)\b(?!\w*url)\w*(secret|password|passwd|api_key|token)\w*\s*=\s*["'][^"'/]{6,}["']"""
)


def lint(label: str, files: dict[str, str]) -> None:
    total_lines = 0
    for path, src in files.items():
        total_lines += len(src.strip().splitlines())
        if "{{" in src and re.search(r"\{\{\w+\}\}", src):
            problem(f"{label}: {path}: unrendered placeholder")
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue  # reported elsewhere
        if not ast.get_docstring(tree):
            problem(f"{label}: {path}: no module docstring")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BANNED_CALLS:
                problem(f"{label}: {path}: calls {node.func.id}()")
            if isinstance(node, ast.keyword) and node.arg == "shell":
                problem(f"{label}: {path}: shell= keyword")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for mod in mods:
                    if mod.split(".")[0] in BANNED_MODULES:
                        problem(f"{label}: {path}: imports {mod}")
            if isinstance(node, ast.Attribute) and node.attr == "system" and getattr(node.value, "id", "") == "os":
                problem(f"{label}: {path}: os.system")
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args
                params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
                if args.vararg:
                    params.append(args.vararg)
                if args.kwarg:
                    params.append(args.kwarg)
                unannotated = [a.arg for a in params if a.annotation is None and a.arg not in ("self", "cls")]
                if unannotated:
                    problem(f"{label}: {path}: {node.name}() lacks annotations for {unannotated}")
                if node.returns is None:
                    problem(f"{label}: {path}: {node.name}() lacks a return annotation")
                if not node.name.startswith("_") and not ast.get_docstring(node):
                    problem(f"{label}: {path}: public {node.name}() lacks a docstring")
        if SECRET_ASSIGN.search(src):
            problem(f"{label}: {path}: looks like a hard-coded secret")
    if not 30 <= total_lines <= 90:
        problem(f"{label}: {total_lines} lines of code (want 30-90)")


# --------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------

def check_forms() -> None:
    expected = {
        "purchase order": {
            "words": "purchase order", "words_plural": "purchase orders", "title": "Purchase Order",
            "title_plural": "Purchase Orders", "pascal": "PurchaseOrder", "pascal_plural": "PurchaseOrders",
            "camel": "purchaseOrder", "camel_plural": "purchaseOrders", "snake": "purchase_order",
            "snake_plural": "purchase_orders", "kebab": "purchase-order", "kebab_plural": "purchase-orders",
            "upper": "PURCHASE_ORDER", "upper_plural": "PURCHASE_ORDERS", "sentence": "Purchase order",
            "sentence_plural": "Purchase orders",
        },
    }
    plurals = {
        "category": "categories", "address": "addresses", "person": "people", "child": "children",
        "status": "statuses", "analysis": "analyses", "time entry": "time entries", "box": "boxes",
        "shipment batch": "shipment batches", "company": "companies", "day": "days", "key": "keys",
        "cost analysis": "cost analyses", "order status": "order statuses", "series": "series",
        "sales tax rate": "sales tax rates", "wish": "wishes", "leaf": "leaves", "quiz": "quizzes",
        "item": "items", "data point": "data points", "contact person": "contact people",
    }
    for entity, want in expected.items():
        got = forms(entity)
        for key, value in want.items():
            if got.get(key) != value:
                problem(f"forms({entity!r})[{key!r}] = {got.get(key)!r}, want {value!r}")
    for entity, plural in plurals.items():
        if forms(entity)["words_plural"] != plural:
            problem(f"forms({entity!r}) plural {forms(entity)['words_plural']!r}, want {plural!r}")
    f = forms("inventory stock level adjustment")
    if f["camel_plural"] != "inventoryStockLevelAdjustments" or f["upper_plural"] != "INVENTORY_STOCK_LEVEL_ADJUSTMENTS":
        problem(f"forms 4-word wrong: {f}")
    for entity in ("item", "time entry"):
        if set(forms(entity)) != ALL_KEYS:
            problem(f"forms({entity!r}) keys {sorted(forms(entity))}")


def check_structure(all_families: list[Family]) -> None:
    names = [fam.name for fam in all_families]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        problem(f"duplicate family names {sorted(dup)}")
    family_names = {fam.name for fam in FAMILIES}
    for fam in all_families:
        is_nm = fam in NEAR_MISSES
        if not KEBAB.match(fam.name):
            problem(f"{fam.name}: name not kebab-case")
        if not fam.stack or any(not s for s in fam.stack):
            problem(f"{fam.name}: empty stack")
        lo, hi = (2, 4) if is_nm else (5, 8)
        if not lo <= len(fam.entities) <= hi:
            problem(f"{fam.name}: {len(fam.entities)} entities (want {lo}-{hi})")
        if len(set(fam.entities)) != len(fam.entities):
            problem(f"{fam.name}: repeated entity")
        for e in fam.entities:
            if not ENTITY.match(e):
                problem(f"{fam.name}: bad entity {e!r}")
        if not 4 <= len(fam.tasks) <= 7:
            problem(f"{fam.name}: {len(fam.tasks)} tasks (want 4-7)")
        if len(set(fam.tasks)) != len(fam.tasks):
            problem(f"{fam.name}: repeated task")
        if is_nm:
            if fam.base not in family_names:
                problem(f"{fam.name}: base {fam.base!r} is not a family")
        elif fam.base is not None:
            problem(f"{fam.name}: a family must not have a base")
    by_name = {fam.name: fam for fam in all_families}
    for nm in NEAR_MISSES:
        base = by_name.get(nm.base or "")
        if base and set(nm.tasks) & set(base.tasks):
            problem(f"{nm.name}: shares a task phrase with its base")
    if not any(nm.sensitive and not by_name[nm.base].sensitive for nm in NEAR_MISSES if nm.base in by_name):
        problem("no near miss is sensitive where its base is not")
    if len(FAMILIES) < 9:
        problem(f"only {len(FAMILIES)} families (want >= 9)")
    if len(NEAR_MISSES) < 9:
        problem(f"only {len(NEAR_MISSES)} near-miss kinds (want >= 9)")
    if len({fam.stack for fam in FAMILIES}) < 8:
        problem("families do not vary their stacks enough")


def check_tasks(fam: Family, entity: str) -> None:
    f = forms(entity)
    values = set(f.values())
    for task in fam.tasks:
        fields = {name for _, name, _, _ in string.Formatter().parse(task) if name is not None}
        if fields - ALL_KEYS:
            problem(f"{fam.name}: task uses unknown keys {sorted(fields - ALL_KEYS)}: {task!r}")
            continue
        if not fields:
            problem(f"{fam.name}: task without an entity placeholder: {task!r}")
        try:
            text = task.format(**f)
        except (KeyError, IndexError, ValueError) as exc:
            problem(f"{fam.name}: task {task!r} does not format: {exc!r}")
            continue
        if not any(v in text for v in values):
            problem(f"{fam.name}/{entity}: task does not mention the entity: {text!r}")


def main() -> int:
    all_families = FAMILIES + NEAR_MISSES
    by_name = {fam.name: fam for fam in all_families}
    entities = {e for fam in all_families for e in fam.entities}
    check_forms()
    check_structure(all_families)

    # related families share templates; their entities must never leak into each other raw.
    related: dict[str, set[str]] = {}
    for fam in all_families:
        root = fam.base or fam.name
        related.setdefault(root, set()).update(fam.entities)

    codes: dict[tuple[str, str], dict[str, str]] = {}
    for fam in all_families:
        for e in entities:
            codes[(fam.name, e)] = fam.code(forms(e))

    not_rejected: list[str] = []
    for fam in all_families:
        lint(fam.name, codes[(fam.name, fam.entities[0])])
        for e in fam.entities:
            check_tasks(fam, e)
            own = codes[(fam.name, e)]
            reasons = rejection(fam, e, own, entities)
            if reasons:
                problem(f"{fam.name}/{e}: own reference rejected: {reasons}")
            raw = leftovers("\n".join(own.values()), e, related[fam.base or fam.name], raw=True)
            if raw:
                problem(f"{fam.name}/{e}: reference contains related entities' forms (raw): {raw}")
            f = forms(e)
            if len(e.split()) > 1:
                used = {k for k in ("pascal", "snake", "snake_plural", "kebab_plural", "words",
                                    "words_plural", "camel", "camel_plural", "upper", "upper_plural",
                                    "sentence", "title")
                        if f[k] in "\n".join(own.values())}
                if len(used) < 4:
                    problem(f"{fam.name}/{e}: spells the entity in only {sorted(used)}")
            # a different entity's answer must be refused
            for other in fam.entities:
                if other != e and not rejection(fam, e, codes[(fam.name, other)], entities):
                    problem(f"{fam.name}: code for {other!r} accepted for {e!r}")
            # every other family's answer for the same entity must be refused
            for g in all_families:
                if g is fam:
                    continue
                if not rejection(fam, e, codes[(g.name, e)], entities):
                    not_rejected.append(f"{g.name} -> {fam.name} [{e}]")

    # near misses vs base, both directions, on the near miss's entities and the base's
    nm_pairs = 0
    for nm in NEAR_MISSES:
        base = by_name.get(nm.base or "")
        if base is None:
            continue
        for e in sorted(set(nm.entities) | set(base.entities)):
            nm_pairs += 1
            if not rejection(nm, e, codes[(base.name, e)], entities):
                problem(f"near miss {nm.name}/{e}: base code accepted")
            if not rejection(base, e, codes[(nm.name, e)], entities):
                problem(f"base {base.name}/{e}: near-miss {nm.name} code accepted")

    if not_rejected:
        problem(f"{len(not_rejected)} cross-family serves not caught")
        print("cross-family serves NOT caught:")
        for line in not_rejected:
            print("   ", line)

    multi = sorted(e for e in entities if len(e.split()) > 1)
    requests = sum(len(fam.entities) for fam in all_families)
    print(f"families:          {len(FAMILIES)}")
    print(f"near-miss kinds:   {len(NEAR_MISSES)}")
    print(f"entities:          {len(entities)} ({len(multi)} multi-word)")
    print(f"requests:          {requests} "
          f"({sum(len(f.entities) for f in FAMILIES)} family, {sum(len(f.entities) for f in NEAR_MISSES)} near miss)")
    print(f"sensitive:         {sum(f.sensitive for f in all_families)}")
    print(f"cross-family acceptance checks: {sum(len(f.entities) for f in all_families) * (len(all_families) - 1)}"
          f", near-miss/base pairs: {nm_pairs}")
    if len(entities) < 16:
        problem(f"only {len(entities)} entities (want >= 16)")
    if len(multi) * 2 < len(entities):
        problem(f"only {len(multi)} of {len(entities)} entities are multi-word")
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print(" -", p)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
