"""Start, find and stop the background services of ``services.catalog`` for one ``Q2O_HOME``.

Each running service has a state file (pid, port, URLs, start time), a lock file and a log under
``Q2O_HOME/services/``. The first caller starts it under the lock; callers that arrive meanwhile wait on the lock
and then find it healthy. A state file whose process is gone (a crash, a reboot) or is another program (a reused
pid) is stale and replaced.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from services.catalog import Service
from settings import ConfigError, Settings

WILDCARD_HOSTS = {"0.0.0.0", "::", ""}  # noqa: S104 - names the wildcard, binds nothing


class ServiceError(ConfigError):
    """A service that cannot be started or does not answer: one line, with where its log is."""


class ServiceState(BaseModel):
    """What the state file of a running service records."""

    name: str
    pid: int
    host: str = Field(description="Where it listens.")
    port: int
    url: str = Field(description="What clients on this machine use.")
    health: str
    ui: str | None = None
    argv: list[str] = Field(description="Its command line, to tell it from a process that reused its pid.")
    started_at: float = Field(description="Unix time of the start.")
    log: str


class ServiceStatus(BaseModel):
    """What ``q2o server status`` shows of one service."""

    name: str
    state: Literal["running", "not answering", "stopped"]
    answers: bool
    url: str | None = None
    ui_url: str | None = None
    pid: int | None = None
    started_at: str | None = Field(default=None, description="ISO 8601, UTC.")
    uptime_s: float | None = None
    log: str | None = None


def state_dir(settings: Settings) -> Path:
    return settings.home / "services"


def _paths(settings: Settings, service: Service) -> tuple[Path, Path, Path]:
    folder = state_dir(settings)
    return folder / f"{service.name}.json", folder / f"{service.name}.lock", folder / f"{service.name}.log"


def read_state(settings: Settings, service: Service) -> ServiceState | None:
    """The recorded state, or None when there is none (or it cannot be read: treated as stale)."""
    path = _paths(settings, service)[0]
    try:
        return ServiceState.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        return None


def _write_state(path: Path, state: ServiceState) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(state.model_dump_json(indent=2), encoding="utf-8")
    os.replace(tmp, path)  # a reader sees the old file or the new one, never half of one


def _reap(pid: int) -> None:
    """Collect the exit status when the process is our own child (an in-process starter), so it is not a zombie
    that still answers signal 0."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def pid_runs(pid: int) -> bool:
    """Some process has this pid and has not exited (a zombie has)."""
    _reap(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in {"Z", "X"}
    except OSError:  # gone meanwhile, or no /proc (macOS: signal 0 is all there is to go on)
        return not Path("/proc/self").exists()


def is_alive(state: ServiceState) -> bool:
    """The recorded process still runs and is the one recorded (not a program that reused its pid)."""
    if not pid_runs(state.pid):
        return False
    try:
        cmdline = Path(f"/proc/{state.pid}/cmdline").read_bytes().split(b"\0")[:-1]
    except PermissionError:  # another user's process: not ours
        return False
    except OSError:
        return not Path("/proc/self").exists()  # gone meanwhile; without /proc, the pid is all we know
    # An exiting process has an empty command line: not running any more, though its pid may linger a moment.
    return [part.decode(errors="replace") for part in cmdline] == state.argv


def answers(url: str, timeout_s: float = 2.0) -> bool:
    """The health URL answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310 - our own http URL
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


@contextlib.contextmanager
def _locked(path: Path, timeout_s: float, name: str) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the file; the kernel lets go if this process dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ServiceError(
                        f"the {name} service: another process has held {path} for {timeout_s:.0f} s"
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _free_port(host: str, preferred: int) -> int:
    """The preferred port when nothing listens on it, else one the system picks."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise ServiceError(f"no free port on {host}")


def _client_address(host: str) -> str:
    return "127.0.0.1" if host in WILDCARD_HOSTS else (f"[{host}]" if ":" in host else host)


def _environment(settings: Settings, service: Service, fill: dict[str, str]) -> dict[str, str]:
    """The caller's environment without its secrets (unless the row calls providers) nor a Prefect API URL
    (the server is that API, or the run host finds it), plus the row's defaults where unset. ``Q2O_HOME`` is
    made absolute: a service may run in another folder than the caller."""
    secrets = set() if service.keeps_secrets else set(settings.secret_values())
    env = {k: v for k, v in os.environ.items() if v not in secrets and k != "PREFECT_API_URL"}
    for key, value in service.env.items():
        env.setdefault(key, value.format(**fill))
    env["Q2O_HOME"] = str(settings.home.resolve())
    return env


def _spawn(settings: Settings, service: Service) -> tuple[ServiceState, subprocess.Popen[bytes]]:
    state_path, _, log_path = _paths(settings, service)
    host = service.host or settings.server_host
    port = _free_port(host, service.port or settings.server_port)
    fill = {"python": sys.executable, "host": host, "address": _client_address(host), "port": str(port)}
    argv = [part.format(**fill) for part in service.argv]
    with open(log_path, "ab") as log:
        log.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')} starting: {' '.join(argv)}\n".encode())
        log.flush()
        # Its own session: it outlives the caller, a Ctrl-C in the caller's terminal does not reach it, and
        # stop() can signal its whole process group. No pipe of ours stays open in it.
        process = subprocess.Popen(  # noqa: S603 - argv from our own table
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=settings.home if service.cwd == "home" else Path.cwd(),
            env=_environment(settings, service, fill),
            start_new_session=True,
            close_fds=True,
        )
    state = ServiceState(
        name=service.name,
        pid=process.pid,
        host=host,
        port=port,
        url=service.url.format(**fill),
        health=service.health.format(**fill),
        ui=service.ui.format(**fill) if service.ui else None,
        argv=argv,
        started_at=time.time(),
        log=str(log_path),
    )
    _write_state(state_path, state)
    return state, process


def _log_tail(path: str) -> str:
    try:
        lines = [line for line in Path(path).read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return f" (last line: {lines[-1].strip()[:200]})" if lines else ""


def _wait_healthy(state: ServiceState, deadline: float, process: subprocess.Popen[bytes] | None = None) -> bool:
    while time.monotonic() < deadline:
        if answers(state.health, timeout_s=1.0):
            return True
        if (process.poll() is not None) if process else not is_alive(state):
            return False
        time.sleep(0.1)
    return False


def ensure_running(settings: Settings, service: Service) -> tuple[ServiceState, bool]:
    """The running service, started when it is not (under the lock, so exactly one caller starts it); and
    whether this call started it. Raises ``ServiceError`` when it cannot start or does not answer."""
    state = read_state(settings, service)
    if state and answers(state.health) and is_alive(state):
        return state, False
    state_path, lock_path, _ = _paths(settings, service)
    with _locked(lock_path, service.start_timeout_s + 30, service.name):
        state = read_state(settings, service)  # another caller may have started it while we waited
        if state and is_alive(state):
            deadline = time.monotonic() + max(0.0, state.started_at + service.start_timeout_s - time.time()) + 2
            if _wait_healthy(state, deadline):
                return state, False
            raise ServiceError(
                f"the {service.name} server (pid {state.pid}) does not answer at {state.health}; its log is "
                f"{state.log}{_log_tail(state.log)}; `q2o server stop` stops it"
            )
        state_path.unlink(missing_ok=True)  # none, or stale
        state, process = _spawn(settings, service)
        if _wait_healthy(state, time.monotonic() + service.start_timeout_s, process):
            return state, True
        _terminate(state)
        state_path.unlink(missing_ok=True)
        raise ServiceError(
            f"the {service.name} server did not start within {service.start_timeout_s:.0f} s; its log is "
            f"{state.log}{_log_tail(state.log)}"
        )


def _terminate(state: ServiceState, first: signal.Signals = signal.SIGTERM, timeout_s: float = 20.0) -> None:
    """``first`` (SIGTERM: a clean shutdown) to its process group, then SIGTERM after the timeout where that was
    not it, then SIGKILL."""
    if not is_alive(state):
        return
    steps = [(first, timeout_s), *([(signal.SIGTERM, 20.0)] if first != signal.SIGTERM else []), (signal.SIGKILL, 5.0)]
    for sig, wait_s in steps:
        try:
            if os.getpgid(state.pid) == state.pid:  # the group it leads since its start (start_new_session)
                os.killpg(state.pid, sig)
            else:
                os.kill(state.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and pid_runs(state.pid):  # until its pid is gone, not just exiting
            time.sleep(0.1)
        if not pid_runs(state.pid):
            return


def stop(settings: Settings, service: Service) -> ServiceState | None:
    """Stop the service and remove its state file; the state it had, or None when it was not running."""
    state_path, lock_path, _ = _paths(settings, service)
    with _locked(lock_path, service.start_timeout_s + 30, service.name):
        state = read_state(settings, service)
        if state is None:
            return None
        running = is_alive(state)
        if running:
            _terminate(state, service.stop_signal, service.stop_timeout_s)
        state_path.unlink(missing_ok=True)
        return state if running else None


def withdraw(settings: Settings, service: Service) -> None:
    """This process is the service and is going away by itself (a run host retiring): its state file goes first,
    so the next caller starts a fresh one at once rather than wait for this one to answer again. No lock: a
    starter that read the file just before waits for it as for any service that stopped answering."""
    state_path, _, _ = _paths(settings, service)
    state = read_state(settings, service)
    if state is not None and state.pid == os.getpid():
        state_path.unlink(missing_ok=True)


def status(settings: Settings, service: Service) -> ServiceStatus:
    """What runs for this Q2O_HOME, and whether it answers (no lock: it only reads)."""
    state = read_state(settings, service)
    if state is None or not is_alive(state):
        return ServiceStatus(name=service.name, state="stopped", answers=False)
    healthy = answers(state.health)
    return ServiceStatus(
        name=service.name,
        state="running" if healthy else "not answering",
        answers=healthy,
        url=state.url,
        ui_url=state.ui,
        pid=state.pid,
        started_at=datetime.fromtimestamp(state.started_at, UTC).isoformat(timespec="seconds"),
        uptime_s=round(time.time() - state.started_at, 1),
        log=state.log,
    )


def as_json(statuses: list[ServiceStatus]) -> str:
    return json.dumps([s.model_dump() for s in statuses], indent=2)
