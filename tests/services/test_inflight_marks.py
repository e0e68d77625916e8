"""In-flight marks: a run's mark lives while the run does, and a mark whose process is gone (or is another program
that reused its pid) is an orphan."""

from __future__ import annotations

import subprocess
import sys

from services.inflight import InFlight, forget, in_flight, orphans, running
from settings import load_settings


def _mark(settings, entry: InFlight) -> None:
    folder = settings.home / "services" / "inflight"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"x{entry.pid}.json").write_text(entry.model_dump_json())


def test_a_runs_mark_lives_while_the_run_does_and_is_no_orphan():
    settings = load_settings()
    with in_flight(settings, "req/with odd chars"), in_flight(settings, "req/with odd chars"):  # the same id twice
        marks = running(settings)
        assert [m.request_id for m in marks] == ["req/with odd chars"] * 2
        assert orphans(settings) == []  # this process runs them
    assert running(settings) == []


def test_the_mark_of_a_dead_process_or_of_a_reused_pid_is_an_orphan():
    settings = load_settings()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = InFlight(request_id="dead", pid=int(gone.stdout), argv=["python", "-m", "cli"], started_at=1.0)
    reused = InFlight(request_id="reused", pid=1, argv=["not", "init's", "command", "line"], started_at=2.0)
    _mark(settings, dead)
    _mark(settings, reused)
    with in_flight(settings, "alive"):
        found = orphans(settings)
        assert [o.request_id for o in found] == ["dead", "reused"]
        assert [o.request_id for o in orphans(settings, "reused")] == ["reused"]
        for entry in found:
            forget(entry)
        assert [m.request_id for m in running(settings)] == ["alive"]
