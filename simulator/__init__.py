"""A loopback stand-in for the providers' HTTP APIs (one ``WireProtocol`` each), scripted per provider.

Tests aim the real SDKs at it (``sim.base_url(provider)``), script answers and failures step by step,
and read back every request it received (headers, JSON body, arrival time) to count attempts and delays.
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from simulator.protocols import (
    PROTOCOLS,
    PROVIDERS,
    AnthropicWire,
    GeminiWire,
    OpenAIWire,
    WireProtocol,
    _body_model,
    forced_tool,
)
from simulator.script import (
    DEFAULT_ANSWER,
    DEFAULT_CODE,
    Fail,
    Hang,
    Malformed,
    RecordedRequest,
    Reply,
    Step,
    code_answer,
)

__all__ = [
    "AnthropicWire",
    "DEFAULT_ANSWER",
    "DEFAULT_CODE",
    "FIT_MARKERS",
    "Fail",
    "GeminiWire",
    "Hang",
    "Malformed",
    "OpenAIWire",
    "PROTOCOLS",
    "PROVIDERS",
    "ProviderSim",
    "RecordedRequest",
    "Reply",
    "Step",
    "WireProtocol",
    "_body_model",
    "base_url_for",
    "code_answer",
    "fit_responder",
    "fit_texts",
    "forced_tool",
    "wants_structured",
]


class ProviderSim:
    """The simulator: ``with ProviderSim() as sim`` or ``start()``/``stop()``."""

    MAX_HANG_SECONDS = 30.0

    def __init__(self) -> None:
        self.default: dict[str, Step] = {}
        # Played instead of ``default`` for a request that asks for structured output (a JSON schema or a forced
        # tool, as a review does), when the provider's script is empty; unset: ``default`` answers those too.
        self.structured_default: dict[str, Step] = {}
        # Consulted first for a structured request with an empty script: the step to play, or None to fall
        # through (a fit check: ``fit_responder(judge)``).
        self.structured_responder: Callable[[RecordedRequest], Step | None] | None = None
        self._scripts: dict[str, deque[Step]] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # --- life ---------------------------------------------------------------------------
    def start(self) -> ProviderSim:
        if self._server is None:
            self._stopping.clear()
            self._server = _Server(("127.0.0.1", 0), _Handler, self)
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="provider-sim", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # ends every Hang at once
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def __enter__(self) -> ProviderSim:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the simulator is not running: call start()")
        return int(self._server.server_address[1])

    def base_url(self, provider: str) -> str:
        """The base URL each SDK takes: OpenAI's includes ``/v1``; the others add their own path."""
        return base_url_for(self.port, provider)

    # --- scripting ----------------------------------------------------------------------
    def script(self, provider: str, steps: Iterable[Step]) -> None:
        """Replace ``provider``'s script: one step per request, then ``default[provider]`` forever."""
        with self._lock:
            self._scripts[_check(provider)] = deque(steps)

    def pending(self, provider: str) -> int:
        """Steps of the script not played yet."""
        with self._lock:
            return len(self._scripts[_check(provider)])

    def reset(self) -> None:
        """Empty scripts and records; default answers back to a valid code block."""
        with self._lock:
            self._scripts = {p: deque() for p in PROVIDERS}
            self._requests = []
            self.default = {p: Reply() for p in PROVIDERS}
            self.structured_default = {}
            self.structured_responder = None

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_for(self, provider: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.provider == _check(provider)]

    def _take(self, request: RecordedRequest) -> Step:
        with self._lock:
            self._requests.append(request)
            script = self._scripts[request.provider]
            if script:
                return script.popleft()
            if wants_structured(request.body):
                step = self.structured_responder(request) if self.structured_responder else None
                if step is not None:
                    return step
                if request.provider in self.structured_default:
                    return self.structured_default[request.provider]
            return self.default[request.provider]

    def _wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; False when the simulator is stopping."""
        return not self._stopping.wait(min(max(seconds, 0.0), self.MAX_HANG_SECONDS))

    def _next_id(self) -> int:
        return next(self._ids)


# The markers a fit check puts around each task text (``learning.fit``): a simulator or a test reads them back.
FIT_MARKERS = {"template": ("<<<TEMPLATE_TASK", "TEMPLATE_TASK>>>"), "request": ("<<<REQUEST_TASK", "REQUEST_TASK>>>")}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def fit_texts(request: RecordedRequest) -> tuple[str, str] | None:
    """The (template task, request task) of a fit-check request, read between their markers; None otherwise."""
    if '"fits"' not in json.dumps(request.body):
        return None
    text = "\n".join(_strings(request.body))
    found = []
    for opening, closing in FIT_MARKERS.values():
        start, end = text.find(opening), text.find(closing)
        if start < 0 or end < start:
            return None
        found.append(text[start + len(opening) : end].strip())
    return found[0], found[1]


def fit_responder(
    judge: Callable[[str, str], bool], namer: Callable[[str], str | None] | None = None
) -> Callable[[RecordedRequest], Step | None]:
    """A ``structured_responder`` answering fit checks with ``{"fits": judge(template_task, request_task)}``, and
    ``"name": namer(request_task)`` and ``"template_name": namer(template_task)`` when a namer is given."""

    def respond(request: RecordedRequest) -> Step | None:
        texts = fit_texts(request)
        if texts is None:
            return None
        answer: dict[str, Any] = {"fits": bool(judge(*texts))}
        name = namer(texts[1]) if namer else None
        if name:
            answer["name"] = name
        template_name = namer(texts[0]) if namer else None
        if template_name:
            answer["template_name"] = template_name
        # Tokens as a provider would count them: the whole request (system, prompt and schema) at ~4 characters a
        # token, the answer likewise.
        tokens_in = max(len(json.dumps(request.body)) // 4, 1)
        return Reply(json=answer, input_tokens=tokens_in, output_tokens=max(len(json.dumps(answer)) // 4, 1))

    return respond


def base_url_for(port: int, provider: str) -> str:
    """The base URL of ``provider`` on a simulator listening on ``port``."""
    return f"http://127.0.0.1:{port}{_protocol(provider).base_path}"


def _protocol(provider: str) -> WireProtocol:
    if provider not in PROTOCOLS:
        raise ValueError(f"unknown provider {provider!r}: one of {tuple(PROTOCOLS)}")
    return PROTOCOLS[provider]


def _check(provider: str) -> str:
    return _protocol(provider).name


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], sim: ProviderSim) -> None:
        self.sim = sim
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs expect
    timeout = 10  # an idle keep-alive connection frees its thread
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        pass

    def do_GET(self) -> None:
        self._send(404, {"error": {"message": f"no route for GET {self.path}"}})

    def do_POST(self) -> None:
        arrived = time.monotonic()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = urlsplit(self.path).path
        provider, model = _route(path, body)
        if provider is None:
            self._send(404, {"error": {"message": f"no route for POST {path}"}})
            return
        request = RecordedRequest(
            provider=provider,
            method="POST",
            path=path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            at=arrived,
            model=model,
        )
        self._play(self.server.sim._take(request), request)

    def _play(self, step: Step, request: RecordedRequest) -> None:
        sim, provider, model = self.server.sim, request.provider, request.model or "unknown-model"
        if isinstance(step, Hang):
            if not sim._wait(step.seconds):
                self.close_connection = True  # stopping: drop the client without an answer
                return
            step = step.then or sim.default[provider]
            if isinstance(step, Hang):
                step = Reply()
        if isinstance(step, Reply):
            body = step.body if step.body is not None else _success(provider, model, step, sim._next_id(), request.body)
            self._send(200, body, step.headers)
        elif isinstance(step, Fail):
            body = step.body if step.body is not None else _error(provider, step, model, request.api_key)
            self._send(step.status, body, step.headers)
        elif isinstance(step, Malformed):
            self._malformed(provider, model, step.kind, sim._next_id(), request.body)

    def _malformed(self, provider: str, model: str, kind: str, number: int, request_body: Any = None) -> None:
        if kind == "json":
            self._send_raw(200, b'{"id": "cut-off", "choices": [{"message": ', "application/json")
        elif kind == "shape":
            self._send(200, {"object": "unexpected", "data": []})
        elif kind == "empty":
            self._send(200, _success(provider, model, Reply(text=""), number))
        elif kind == "structured":
            reply = PROTOCOLS[provider].malformed_structured(request_body)
            self._send(200, _success(provider, model, reply, number, request_body))
        elif kind == "html":
            self._send_raw(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
        else:
            raise ValueError(f"unknown Malformed kind {kind!r}")

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(payload).encode(), "application/json", headers)

    def _send_raw(self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status, "Overloaded" if status == 529 else None)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout): nothing to do
            self.close_connection = True


def _route(path: str, body: Any) -> tuple[str | None, str | None]:
    for protocol in PROTOCOLS.values():
        model = protocol.requested_model(path, body)
        if model is not False:
            return protocol.name, model or None
    return None, None


def wants_structured(body: Any) -> bool:
    """The request asks for structured output: OpenAI json_schema, Gemini responseJsonSchema, Anthropic forced tool."""
    return isinstance(body, dict) and any(protocol.structured(body) for protocol in PROTOCOLS.values())


def _success(provider: str, model: str, reply: Reply, number: int, request_body: Any = None) -> dict[str, Any]:
    return PROTOCOLS[provider].success(reply.model or model, reply, number, request_body)


def _default_message(protocol: WireProtocol, status: int, model: str, key: str | None) -> str:
    if status in (401, 403):
        return protocol.auth_message(key)
    if status == 404:
        return protocol.missing_model_message(model)
    if status == 429:
        return "Rate limit reached for requests. Please try again later."
    if status == 529:
        return "Overloaded"
    if status >= 500:
        return "The server had an error while processing your request."
    return "Invalid request."


def _error(provider: str, fail: Fail, model: str, key: str | None) -> dict[str, Any]:
    protocol = PROTOCOLS[provider]
    return protocol.error(fail.status, fail.message or _default_message(protocol, fail.status, model, key))


def main(argv: list[str] | None = None) -> None:
    """``python -m simulator``: the default answers, served until stdin closes; prints the port first.

    A provider in a process of its own, as a real one is: ``bench/overhead.py`` uses it so the simulator's
    request handling does not share the measured process (and its GIL) with the flow. It takes no argument:
    ``--help`` says so and exits 0, anything else is refused (exit 2) before a port is taken.
    """
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="A loopback stand-in for the providers' HTTP APIs (gemini, openai, anthropic) with their "
        "default answers. Prints its port on the first line of stdout, then serves until stdin closes. Aim a "
        "provider at it with its base URL: Q2O_GEMINI_BASE_URL and Q2O_ANTHROPIC_BASE_URL=http://127.0.0.1:PORT, "
        "Q2O_OPENAI_BASE_URL=http://127.0.0.1:PORT/v1.",
    )
    parser.parse_args(argv)
    with ProviderSim() as sim:
        print(sim.port, flush=True)
        sys.stdin.read()
