"""The report endpoint for tests: the real app under uvicorn, in a thread, on a free loopback port.

``q2o reports serve`` runs the same app in the foreground (``tests/cli/test_reports_commands.py``); a thread
lets a test seed the database and run flows in the same process while the endpoint answers.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from reports.server import listen, report_app
from storage import ReportStore


@contextmanager
def running_endpoint(store: ReportStore) -> Iterator[str]:
    """Serve ``store`` on 127.0.0.1 (a free port) until the block ends; yield the base URL."""
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(report_app(store), lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the report endpoint did not start")
            time.sleep(0.02)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def chromium() -> str | None:
    """Debian's headless browser, when installed (`apt-get install chromium`)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browse(url: str, folder: Path) -> tuple[str, Path]:
    """Open ``url`` in headless Chromium as a person's browser would: the DOM it built, and a screenshot."""
    browser = chromium()
    assert browser is not None
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={folder}"]
    dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True).stdout
    shot = folder / "screenshot.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1200,1000", url], capture_output=True, timeout=120, check=True
    )
    return dom, shot


def fetch(url: str) -> httpx.Response:
    return httpx.get(url, timeout=10)
