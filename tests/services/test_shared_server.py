"""The shared Prefect server of a Q2O_HOME: one starter under the lock, reuse, a user's PREFECT_API_URL first,
stale state replaced, a free port when the preferred one is taken. Real ``prefect server start`` processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from services import connect_prefect, ensure_running, service_named, status
from services.processes import ServiceState, is_alive, read_state
from settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
PREFECT = service_named("prefect")
_STARTER = (
    "import json; from services import ensure_running, service_named; from settings import load_settings; "
    "state, started = ensure_running(load_settings(), service_named('prefect')); "
    "print(json.dumps({'pid': state.pid, 'url': state.url, 'started': started}))"
)


def _servers_on(port: int) -> list[int]:
    """Pids of every ``prefect server start`` on that port, from /proc."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"server" in argv and b"start" in argv and str(port).encode() in argv:
            found.append(int(proc.name))
    return found


def test_two_starters_at_once_make_one_server_and_later_callers_reuse_it(shared_home):
    env = dict(os.environ) | {"PYTHONPATH": str(ROOT)}
    starters = [
        subprocess.Popen([sys.executable, "-c", _STARTER], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    answers = [json.loads(p.communicate(timeout=240)[0]) for p in starters]
    assert [p.returncode for p in starters] == [0, 0]
    assert answers[0]["pid"] == answers[1]["pid"] and answers[0]["url"] == answers[1]["url"]
    assert sorted(a["started"] for a in answers) == [False, True]  # exactly one of them started it
    settings = load_settings()
    state = read_state(settings, PREFECT)
    assert state is not None and _servers_on(state.port) == [state.pid]

    again, started = ensure_running(settings, PREFECT)
    assert (again.pid, started) == (state.pid, False)
    connection = connect_prefect(settings)
    assert connection.source == "shared" and connection.api_url == state.url and not connection.started
    assert os.environ["PREFECT_API_URL"] == state.url
    with urllib.request.urlopen(state.health, timeout=5) as response:
        assert json.loads(response.read()) is True


def test_a_prefect_api_url_the_user_set_wins(shared_home, monkeypatch, tmp_path):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    connection = connect_prefect(load_settings())
    assert (connection.api_url, connection.source) == ("http://127.0.0.1:9/api", "PREFECT_API_URL")

    monkeypatch.delenv("PREFECT_API_URL")  # the same in the active Prefect profile
    profiles = tmp_path / "profiles.toml"
    profiles.write_text('active = "team"\n[profiles.team]\nPREFECT_API_URL = "http://prefect.internal:4200/api"\n')
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(profiles))
    connection = connect_prefect(load_settings())
    assert (connection.api_url, connection.source) == ("http://prefect.internal:4200/api", "profile")
    assert "PREFECT_API_URL" not in os.environ
    assert read_state(load_settings(), PREFECT) is None  # nothing was started


def test_embedded_mode_starts_nothing(shared_home, monkeypatch):
    monkeypatch.setenv("Q2O_SERVER", "embedded")
    connection = connect_prefect(load_settings())
    assert (connection.api_url, connection.source) == (None, "embedded")
    assert "PREFECT_API_URL" not in os.environ and read_state(load_settings(), PREFECT) is None


def _dead_pid() -> int:
    gone = subprocess.Popen(["true"])
    gone.wait()
    return gone.pid


@pytest.mark.parametrize("leftover", ["crashed", "pid reused"])
def test_a_stale_state_file_is_detected_and_replaced(shared_home, leftover):
    settings = load_settings()
    folder = settings.home / "services"
    folder.mkdir(parents=True)
    pid = _dead_pid() if leftover == "crashed" else os.getpid()  # a live process that is no Prefect server
    stale = ServiceState(
        name="prefect",
        pid=pid,
        host="127.0.0.1",
        port=9,
        url="http://127.0.0.1:9/api",
        health="http://127.0.0.1:9/api/health",
        argv=[sys.executable, "-m", "prefect", "server", "start"],
        started_at=time.time() - 3600,
        log=str(folder / "prefect.log"),
    )
    (folder / "prefect.json").write_text(stale.model_dump_json())
    assert not is_alive(stale) and status(settings, PREFECT).state == "stopped"

    state, started = ensure_running(settings, PREFECT)
    assert started and state.pid != pid and state.port != 9
    assert status(settings, PREFECT).answers


def test_a_taken_port_gives_a_free_one_and_the_ui_asks_the_right_api(shared_home, monkeypatch):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        monkeypatch.setenv("Q2O_SERVER_PORT", str(squatter.getsockname()[1]))  # the preferred port, taken
        settings = load_settings()
        state, started = ensure_running(settings, PREFECT)
    assert started and state.port != settings.server_port
    assert state.url == f"http://127.0.0.1:{state.port}/api" and state.ui == f"http://127.0.0.1:{state.port}"
    with urllib.request.urlopen(f"{state.ui}/ui-settings", timeout=5) as response:
        assert json.loads(response.read())["api_url"] == state.url  # not Prefect's default port
