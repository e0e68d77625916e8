"""The docs' examples work on a fresh setup: the request of docs/deployment.md's ``run_deployment`` example is
one the starter library serves, so it answers with no provider configured (as the README promises)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from learning.engine import find_template
from storage import open_database

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_run_deployment_example_is_served_by_a_starter_template(tmp_path):
    text = (DOCS / "deployment.md").read_text(encoding="utf-8")
    found = re.search(r'"request": (\{.*?\})\n', text.split("await run_deployment(", 1)[1])
    assert found, "no request in the run_deployment example"
    request = ast.literal_eval(found.group(1))
    fit = find_template(open_database(f"sqlite:///{tmp_path}/fresh.db"), request["task"], request["stack"])
    assert fit is not None, f"{request['task']!r} on {request['stack']} is served by no starter"
