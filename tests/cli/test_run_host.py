"""The run host of ``q2o generate`` (``cli/host.py``): what its HTTP app answers, what the CLI makes of each answer,
and the digest that decides which callers it serves (``services/fingerprint.py``)."""

from __future__ import annotations

import socket
import threading
import urllib.request
from pathlib import Path

import pytest
import typer
from starlette.testclient import TestClient

from cli.host import FINGERPRINT_HEADER, HostLost, _answer, host_app
from contracts import CodeRequest, CodeResult
from services.fingerprint import code_stamp, environment_fingerprint
from settings import UsageError, load_settings

KEY = "sk-test-0123456789abcdef0123"


def _request() -> CodeRequest:
    return CodeRequest(task="CRUD API for Invoice records", stack=["python", "fastapi"])


class _Host:
    """A host app with a fake flow: what it was asked, and whether it retired."""

    def __init__(self, run=None) -> None:
        self.settings = load_settings()
        self.asked: list[CodeRequest] = []
        self.retired = 0
        self.stamp = "code-1"

        async def default(request: CodeRequest) -> CodeResult:
            self.asked.append(request)
            return CodeResult(request_id=request.request_id, status="succeeded", source="template")

        app = host_app(self.settings, run or default, on_stale=self.retire, stamp=lambda: self.stamp)
        self.client = TestClient(app)

    def retire(self) -> None:
        self.retired += 1

    def post(self, request: CodeRequest, fingerprint: str | None = None):
        digest = environment_fingerprint(self.settings) if fingerprint is None else fingerprint
        return self.client.post("/generate", content=request.model_dump_json(), headers={FINGERPRINT_HEADER: digest})


def test_the_host_answers_the_result_of_a_caller_of_its_own_environment():
    host = _Host()
    request = _request()
    answer = host.post(request)
    assert answer.status_code == 200
    assert CodeResult.model_validate_json(answer.content).request_id == request.request_id
    assert [r.request_id for r in host.asked] == [request.request_id]
    assert host.client.get("/healthz").json() == {"ok": True}


def test_a_caller_of_another_environment_is_refused_and_the_host_retires():
    host = _Host()
    assert host.post(_request(), fingerprint="another").status_code == 409
    assert host.asked == [] and host.retired == 1  # the next caller starts a host of the newest environment


def test_a_host_whose_code_changed_on_disk_refuses_and_retires():
    host = _Host()
    host.stamp = "code-2"
    assert host.post(_request()).status_code == 409
    assert host.asked == [] and host.retired == 1


def test_a_body_that_is_no_request_is_a_400():
    host = _Host()
    digest = environment_fingerprint(host.settings)
    answer = host.client.post("/generate", content=b'{"task": ""}', headers={FINGERPRINT_HEADER: digest})
    assert answer.status_code == 400 and "invalid request" in answer.json()["error"]


def test_a_configuration_error_is_a_422_the_cli_reports_as_usage():
    async def bad_setting(request: CodeRequest) -> CodeResult:
        raise UsageError("Q2O_MIN_QUALITY: stored value 'x' is not a number")

    answer = _Host(bad_setting).post(_request())
    assert answer.status_code == 422
    assert answer.json() == {"usage_error": "Q2O_MIN_QUALITY: stored value 'x' is not a number"}


def test_a_crash_is_a_500_with_the_reason_redacted(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)

    async def crash(request: CodeRequest) -> CodeResult:
        raise RuntimeError(f"boom with {KEY}")

    host = _Host(crash)
    answer = host.post(_request())
    assert answer.status_code == 500
    assert "boom" in answer.json()["error"] and KEY not in answer.text
    assert host.post(_request()).status_code == 500  # and it serves the next caller


class _OneShot:
    """A loopback server that answers one connection with ``reply`` (raw bytes; empty: close at once)."""

    def __init__(self, reply: bytes) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/generate"
        self.thread = threading.Thread(target=self._serve, args=(reply,), daemon=True)
        self.thread.start()

    def _serve(self, reply: bytes) -> None:
        conn, _ = self.sock.accept()
        with conn:
            conn.recv(65536)
            if reply:
                conn.sendall(reply)
        self.sock.close()


def _call(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, data=_request().model_dump_json().encode(), method="POST")  # noqa: S310


def _http(status: str, body: bytes) -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body


def test_a_host_that_is_not_listening_means_run_it_here():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    assert _answer(_call(f"http://127.0.0.1:{port}/generate")) is None


def test_a_host_that_drops_the_request_is_lost_not_retried():
    with pytest.raises(HostLost, match="stopped answering during the request"):
        _answer(_call(_OneShot(b"").url))


def test_answers_409_422_and_500_mean_here_usage_and_lost():
    assert _answer(_call(_OneShot(_http("409 Conflict", b'{"error": "another environment"}')).url)) is None
    with pytest.raises(typer.Exit) as usage:
        _answer(_call(_OneShot(_http("422 Unprocessable Entity", b'{"usage_error": "Q2O_X: bad"}')).url))
    assert usage.value.exit_code == 2
    with pytest.raises(HostLost, match="answered 500: RuntimeError: boom"):
        _answer(_call(_OneShot(_http("500 Internal Server Error", b'{"error": "RuntimeError: boom"}')).url))


def test_the_fingerprint_follows_settings_keys_environment_and_folder_files(monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    base = environment_fingerprint(load_settings())
    assert environment_fingerprint(load_settings()) == base  # the same process state, the same digest

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")  # where the API is: found by the host itself
    monkeypatch.setenv("PREFECT_LOGGING_LEVEL", "DEBUG")
    assert environment_fingerprint(load_settings()) == base

    changes = {
        "Q2O_MIN_QUALITY": "55",  # a setting
        "OPENAI_API_KEY": KEY,  # a key
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",  # what an SDK reads
        "HTTPS_PROXY": "http://127.0.0.1:3128",
    }
    for name, value in changes.items():
        monkeypatch.setenv(name, value)
        assert environment_fingerprint(load_settings()) != base, name
        monkeypatch.delenv(name)
    assert environment_fingerprint(load_settings()) == base

    (tmp_path / "prefect.toml").write_text("[logging]\nlevel = 'INFO'\n")
    assert environment_fingerprint(load_settings()) != base
    (tmp_path / "prefect.toml").unlink()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no [tool.prefect]: not Prefect's
    assert environment_fingerprint(load_settings()) == base


def test_the_code_stamp_changes_when_a_module_changes(tmp_path: Path):
    room = tmp_path / "room"
    room.mkdir()
    (room / "__init__.py").write_text("")
    (room / "a.py").write_text("x = 1\n")
    (tmp_path / "notes").mkdir()  # no __init__.py: not a room
    before = code_stamp(tmp_path)
    (tmp_path / "notes" / "b.py").write_text("y = 2\n")
    assert code_stamp(tmp_path) == before
    (room / "a.py").write_text("x = 22\n")
    assert code_stamp(tmp_path) != before
