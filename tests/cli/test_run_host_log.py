"""What the run host logs of each request it ran: its outcome, and a configuration error (exit 2 for the caller)
as such, not as a failed generation."""

from __future__ import annotations

import logging

from starlette.testclient import TestClient

from cli.host import FINGERPRINT_HEADER, host_app
from contracts import CodeRequest, CodeResult
from services.fingerprint import environment_fingerprint
from settings import load_settings


def _logged(caplog, result_of) -> list[str]:
    settings = load_settings()

    async def run(request: CodeRequest) -> CodeResult:
        return result_of(request)

    client = TestClient(host_app(settings, run, on_stale=lambda: None, stamp=lambda: "code-1"))
    request = CodeRequest(task="Write a greeting script for the Lyra service", stack=["python"])
    with caplog.at_level(logging.INFO, logger="q2o.host"):
        answer = client.post(
            "/generate",
            content=request.model_dump_json(),
            headers={FINGERPRINT_HEADER: environment_fingerprint(settings)},
        )
    assert answer.status_code == 200
    return [r.getMessage() for r in caplog.records if r.name == "q2o.host" and request.request_id in r.getMessage()]


def test_a_configuration_error_is_logged_as_one_not_as_failed(caplog):
    [line] = _logged(
        caplog, lambda r: CodeResult(request_id=r.request_id, status="failed", error="no_provider_configured")
    )
    assert line.endswith(": configuration error (no_provider_configured, exit 2)")


def test_a_failed_generation_is_logged_failed(caplog):
    [line] = _logged(
        caplog, lambda r: CodeResult(request_id=r.request_id, status="failed", error="all_providers_failed")
    )
    assert line.endswith(": failed")
