"""What prompt layers cost a generation: loading the request's layers from the database and rendering its
(system, user) prompts, with no layer set and with an agent, a project and a task-type layer over each prompt.

Run from the repository root: ``.venv/bin/python bench/prompt_layers.py [--requests 2000] [--database URL]``
(a URL of a throw-away database: the bench migrates it and writes layers into it).
Prints the median and p90 per request of: the render alone (layers in hand), the layer lookup alone, and both
(what ``tasks/generate.py`` does before each call), plus the prompts' version lookup the exact-repeat cache does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _figures(name: str, step: Callable[[int], object], n: int) -> None:
    times = []
    for i in range(n):
        start = time.perf_counter()
        step(i)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    median, p90 = statistics.median(times), times[int(0.9 * (len(times) - 1))]
    print(f"  {name:<34} median {median:7.3f} ms   p90 {p90:7.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--database", help="a throw-away database's URL (default: a SQLite file in a temporary folder)")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="q2o-bench-layers-")
    os.environ["Q2O_HOME"] = home
    if args.database:
        os.environ["Q2O_DATABASE_URL"] = args.database

    from codegen.prompt_layers import generation_prompts_for, layers_for, prompt_version_for, set_layer
    from contracts import CodeRequest
    from prompts.layers import LAYERED_PROMPTS, editable_blocks
    from prompts.registry import generation_prompts
    from settings import load_settings
    from storage import open_database

    settings = load_settings()
    db = open_database(settings.resolved_database_url)
    print(f"database: {db.engine.dialect.name}; {args.requests} requests a figure")

    def request(i: int) -> CodeRequest:
        return CodeRequest(
            task=f"CRUD API for Customer{i} records",
            stack=["python", "fastapi"],
            agent="coder",
            project="acme",
            task_type="api",
            custom_instructions="Log with structlog.",
        )

    for label in ("no layer set", "agent + project + task-type layers over every prompt"):
        print(label)
        layers = layers_for(settings, request(0))
        _figures("render (layers in hand)", lambda i, ls=layers: generation_prompts(request(i), ls), args.requests)
        _figures("layer lookup", lambda i: layers_for(settings, request(i)), args.requests)
        _figures(
            "lookup + render (per generate call)", lambda i: generation_prompts_for(settings, request(i)), args.requests
        )
        _figures("prompts' version (cache key)", lambda i: prompt_version_for(settings, request(i)), args.requests)
        # then the same again with three layers over the last block of every prompt
        for prompt in LAYERED_PROMPTS:
            block = editable_blocks(prompt)[-1]
            for scope, target in (("agent", "coder"), ("project", "acme"), ("task_type", "api")):
                rules = f"The {scope} {target}'s rules for {prompt}."
                text = f"{{% block {block} %}}{{{{ super() }}}}\n{rules}{{% endblock %}}"
                set_layer(db, prompt, scope, target, text, "bench")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
