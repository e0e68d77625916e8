"""The simulator itself: routes, scripts, records, and a Hang that never holds up stop()."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from simulator import DEFAULT_ANSWER, Fail, Hang, ProviderSim, Reply, code_answer


def test_base_urls(sim):
    assert sim.base_url("openai") == f"http://127.0.0.1:{sim.port}/v1"
    assert sim.base_url("anthropic") == sim.base_url("gemini") == f"http://127.0.0.1:{sim.port}"
    with pytest.raises(ValueError):
        sim.base_url("mistral")


def test_unknown_route_is_404_and_not_recorded(sim):
    answer = httpx.post(f"http://127.0.0.1:{sim.port}/v2/whatever", json={})
    assert answer.status_code == 404 and sim.requests == []


def test_scripts_play_in_order_then_the_default(sim):
    sim.script("anthropic", [Fail(503), Reply(text="second")])
    url = f"{sim.base_url('anthropic')}/v1/messages"
    statuses = [httpx.post(url, json={"model": "m"}, headers={"x-api-key": "k"}) for _ in range(3)]
    assert [s.status_code for s in statuses] == [503, 200, 200]
    assert statuses[1].json()["content"][0]["text"] == "second"
    assert statuses[2].json()["content"][0]["text"] == DEFAULT_ANSWER
    records = sim.requests_for("anthropic")
    assert [r.api_key for r in records] == ["k", "k", "k"]
    assert records[0].at <= records[1].at <= records[2].at and records[0].model == "m"


def test_401_body_quotes_the_key(sim):
    sim.script("openai", [Fail(401)])
    answer = httpx.post(
        f"{sim.base_url('openai')}/chat/completions", json={"model": "m"}, headers={"Authorization": "Bearer sk-quoted"}
    )
    assert "sk-quoted" in answer.json()["error"]["message"]


def test_stop_cuts_a_hang_short():
    server = ProviderSim().start()
    server.script("gemini", [Hang(20)])
    url = f"{server.base_url('gemini')}/v1beta/models/g:generateContent"
    caller = threading.Thread(target=_post_quietly, args=(url,), daemon=True)
    caller.start()
    while not server.requests:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2
    caller.join(timeout=2)
    assert not caller.is_alive()


def _post_quietly(url: str) -> None:
    try:
        httpx.post(url, json={}, timeout=10)
    except httpx.HTTPError:
        pass


def test_code_answer_format():
    assert code_answer({"app/a.py": "A = 1\n"}, prose="") == "\n\n```python\n# file: app/a.py\nA = 1\n```\n"


def test_the_module_s_help_is_help_and_its_plain_run_prints_the_port():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    run = [sys.executable, "-m", "simulator"]
    helped = subprocess.run([*run, "--help"], capture_output=True, text=True, env=env, timeout=60, input="")
    assert helped.returncode == 0 and helped.stdout.startswith("usage: python -m simulator")
    assert "until stdin closes" in helped.stdout
    wrong = subprocess.run([*run, "--port", "5"], capture_output=True, text=True, env=env, timeout=60)
    assert wrong.returncode == 2 and "unrecognized arguments: --port 5" in wrong.stderr and not wrong.stdout
    served = subprocess.run(run, capture_output=True, text=True, env=env, timeout=60, input="")
    assert served.returncode == 0 and served.stdout.strip().isdigit()
