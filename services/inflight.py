"""The runs a process has in flight, as files, so that another process can tell which of them died with it.

A run host writes a file in ``Q2O_HOME/services/inflight/`` (its pid and command line) when it takes a
request and removes it when the run ends, however it ends. A file whose process is gone, or is another program
that reused the pid, names a run nobody will finish: a SIGKILL, an out-of-memory kill or a power cut left its
flow run Running in Prefect. ``orphans`` lists them; the caller that lost its answer, the next host and
``q2o server stop`` end those runs Crashed (``flows/orphans.py``) and drop the files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from services.processes import pid_runs, state_dir
from settings import Settings


class InFlight(BaseModel):
    """One run a process took and has not ended."""

    request_id: str
    pid: int
    argv: list[str] = Field(description="The process's command line, to tell it from one that reused its pid.")
    started_at: float = Field(description="Unix time the run was taken.")
    file: str | None = Field(default=None, exclude=True, description="Where it was read from.")


def _folder(settings: Settings) -> Path:
    return state_dir(settings) / "inflight"


def _new_file(settings: Settings, request_id: str) -> Path:
    """A file of its own: a digest of the id (a caller's text, any characters), then this process and a token,
    as the same id may be run twice at once (an agent's retry)."""
    digest = hashlib.sha256(request_id.encode()).hexdigest()[:32]
    return _folder(settings) / f"{digest}.{os.getpid()}.{uuid.uuid4().hex[:8]}.json"


def _own_argv() -> list[str]:
    try:
        return [p.decode(errors="replace") for p in Path("/proc/self/cmdline").read_bytes().split(b"\0")[:-1]]
    except OSError:
        return []


def _alive(entry: InFlight) -> bool:
    if not pid_runs(entry.pid):
        return False
    try:
        cmdline = Path(f"/proc/{entry.pid}/cmdline").read_bytes().split(b"\0")[:-1]
    except PermissionError:
        return False  # another user's process: not the one that wrote the file
    except OSError:
        return not Path("/proc/self").exists()  # gone meanwhile; without /proc, the pid is all we know
    return not entry.argv or [p.decode(errors="replace") for p in cmdline] == entry.argv


@contextlib.contextmanager
def in_flight(settings: Settings, request_id: str) -> Iterator[None]:
    """Mark the request as run by this process for the duration of the block."""
    path = _new_file(settings, request_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = InFlight(request_id=request_id, pid=os.getpid(), argv=_own_argv(), started_at=time.time())
    tmp = path.with_suffix(".tmp")
    tmp.write_text(entry.model_dump_json(), encoding="utf-8")
    os.replace(tmp, path)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


def running(settings: Settings) -> list[InFlight]:
    """Every run marked in flight, whether its process still runs or not (oldest first)."""
    entries = []
    for path in _folder(settings).glob("*.json"):
        try:
            entries.append(InFlight.model_validate_json(path.read_bytes()).model_copy(update={"file": str(path)}))
        except (OSError, ValidationError):
            continue  # removed meanwhile, or half written by a process that died: no request id to end
    return sorted(entries, key=lambda e: e.started_at)


def orphans(settings: Settings, request_id: str | None = None) -> list[InFlight]:
    """The runs marked in flight whose process is gone (only ``request_id``'s when given)."""
    return [e for e in running(settings) if (request_id in (None, e.request_id)) and not _alive(e)]


def forget(entry: InFlight) -> None:
    """Drop the mark of a run that has been dealt with."""
    if entry.file:
        Path(entry.file).unlink(missing_ok=True)
