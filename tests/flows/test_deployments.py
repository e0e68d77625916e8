"""prefect.yaml's entrypoints load the way a worker loads them: as scripts, with flows/ first on sys.path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_every_entrypoint_loads_in_a_fresh_interpreter():
    deployments = yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]
    entrypoints = [d["entrypoint"] for d in deployments]
    assert "flows/close_month.py:close_month" in entrypoints
    code = (
        "import sys\nfrom prefect.flows import load_flow_from_entrypoint\n"
        "for ep in sys.argv[1:]:\n    print(load_flow_from_entrypoint(ep, use_placeholder_flow=False).name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *entrypoints], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == [d.get("flow_name") or _flow_name(d["entrypoint"]) for d in deployments]


def _flow_name(entrypoint: str) -> str:
    """A flow is named like its function, in kebab case (``rerun_request`` -> ``rerun-request``)."""
    return entrypoint.rsplit(":", 1)[1].replace("_", "-")


def test_no_flow_module_hides_a_top_level_package():
    top_level = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} | {p.stem for p in ROOT.glob("*.py")}
    clashes = {p.stem for p in (ROOT / "flows").glob("*.py")} & top_level
    assert not clashes, f"flows/{clashes} would shadow top-level modules when a worker loads an entrypoint"
