"""Failover rules: what is retried, and how long the wait is when a Retry-After is longer."""

import pytest

from codegen.failover import extra_wait_for_retry_after, is_retryable, scheduled_delay
from providers.base import (
    AuthError,
    BadRequest,
    InvalidOutput,
    MalformedResponse,
    ModelNotFound,
    RateLimited,
    Timeout,
    Unavailable,
)


@pytest.mark.parametrize(
    "exc, retry",
    [
        (RateLimited("x", retry_after=1), True),
        (Unavailable("x"), True),
        (Timeout("x"), True),
        (MalformedResponse("x"), True),
        (InvalidOutput("x"), True),
        (AuthError("x"), False),
        (BadRequest("x"), False),
        (ModelNotFound("x"), False),
    ],
)
def test_retryable(exc, retry):
    assert is_retryable(exc) is retry


def test_retry_after_tops_up_the_backoff():
    delays = [2.0, 4.0]
    assert scheduled_delay(delays, 1) == 2.0 and scheduled_delay(delays, 5) == 4.0
    assert extra_wait_for_retry_after(10, delays, 1, 3) == 8.0
    assert extra_wait_for_retry_after(1, delays, 1, 3) == 0.0  # backoff is longer already
    assert extra_wait_for_retry_after(10, delays, 3, 3) == 0.0  # last attempt: the next provider runs
    assert extra_wait_for_retry_after(None, delays, 1, 3) == 0.0
