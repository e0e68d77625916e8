"""The docs' examples work on a fresh setup: the request of docs/deployment.md's ``run_deployment`` example is
one the starter library serves, so it answers with no provider configured (as the README promises)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from learning.engine import find_template
from storage import open_database

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _run_deployment_request(markdown: str) -> dict:
    """The request of the first ``run_deployment(...)`` call in the document's python blocks."""
    for block in re.findall(r"```python\n(.*?)```", markdown, flags=re.DOTALL):
        tree = compile(block, "<docs>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "run_deployment":
                [parameters] = [k.value for k in node.keywords if k.arg == "parameters"]
                return ast.literal_eval(parameters)["request"]
    raise AssertionError("no run_deployment example")


def test_the_run_deployment_example_is_served_by_a_starter_template(tmp_path):
    request = _run_deployment_request((DOCS / "deployment.md").read_text(encoding="utf-8"))
    fit = find_template(open_database(f"sqlite:///{tmp_path}/fresh.db"), request["task"], request["stack"])
    assert fit is not None, f"{request['task']!r} on {request['stack']} is served by no starter"
