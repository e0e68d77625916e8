"""The shared rules: reading Retry-After and turning an HTTP status into a typed, redacted error."""

from __future__ import annotations

import email.utils

import pytest

from providers.base import AuthError, BadRequest, ModelNotFound, RateLimited, Timeout, Unavailable
from providers.errors import error_for_status, parse_retry_after

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    "headers, seconds",
    [
        ({"Retry-After": "12"}, 12.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"Retry-After": "-3"}, 0.0),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),  # the precise one wins
        ({"Retry-After": email.utils.formatdate(NOW + 42, usegmt=True)}, 42.0),
        ({"Retry-After": email.utils.formatdate(NOW - 42, usegmt=True)}, 0.0),  # already past
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "inf"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_parse_retry_after(headers, seconds):
    assert parse_retry_after(headers, now=NOW) == seconds


@pytest.mark.parametrize(
    "status, kind",
    [
        (401, AuthError),
        (403, AuthError),
        (404, ModelNotFound),
        (400, BadRequest),
        (422, BadRequest),
        (413, BadRequest),
        (408, Timeout),
        (409, Unavailable),
        (429, RateLimited),
        (529, RateLimited),
        (500, Unavailable),
        (502, Unavailable),
        (503, Unavailable),
        (504, Unavailable),
    ],
)
def test_status_table(status, kind):
    error = error_for_status("x", status, "boom", secrets=[])
    assert type(error) is kind and error.status_code == status


def test_missing_model_said_with_a_400():
    assert isinstance(error_for_status("x", 400, "model 'qwen' not found", secrets=[]), ModelNotFound)


def test_message_is_redacted():
    error = error_for_status(
        "openai",
        401,
        "bad key sk-live-abcdefghijklmnop",
        headers={"Retry-After": "1"},
        secrets=["sk-live-abcdefghijklmnop"],
    )
    assert "abcdefghijklmnop" not in str(error) and "***" in str(error)


def test_rate_limited_reads_headers():
    error = error_for_status("x", 429, "slow down", headers={"Retry-After": "4"}, secrets=[])
    assert isinstance(error, RateLimited) and error.retry_after == 4.0
