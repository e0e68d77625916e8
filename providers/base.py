"""The provider contract: a prompt goes in, a ``Completion`` or a typed ``ProviderError`` comes out.

Each error class says whether a retry can help, so the flow's retry condition needs no knowledge
of any SDK. Error messages are redacted of secrets before they leave a provider module.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, Field


class CompletionRequest(BaseModel):
    """One call to one model."""

    system: str = Field(description="System prompt.")
    prompt: str = Field(description="User prompt.")
    model: str = Field(description="Model name as the provider knows it.")
    max_output_tokens: int = Field(default=4096, ge=1)
    timeout_seconds: float = Field(default=60.0, gt=0)
    json_schema: dict | None = Field(
        default=None,
        description="Ask for a JSON answer matching this JSON schema, with the SDK's structured-output feature.",
    )


class Completion(BaseModel):
    """What a provider answered."""

    text: str
    model: str = Field(description="The model that answered, as the provider reports it.")
    input_tokens: int | None = None
    output_tokens: int | None = None
    truncated: bool = Field(default=False, description="Stopped at the output token cap.")
    latency_s: float = 0.0


class ProviderError(Exception):
    """A failed call. ``retryable`` says whether trying the same provider again can help."""

    retryable: bool = True
    kind: str = "provider_error"

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.call_id: int | None = None  # the ledger row of the failed call, once ledgered
        # True when the request cannot have reached the provider (no connection was ever opened: refused,
        # unknown host, TLS handshake failed): nothing can be billed for it.
        self.not_sent = False


class RateLimited(ProviderError):
    """429 (or Anthropic's 529 overload): retry after ``retry_after`` seconds when given."""

    kind = "rate_limited"

    def __init__(self, message: str, *, retry_after: float | None = None, status_code: int | None = 429):
        super().__init__(message, status_code=status_code)
        self.retry_after = retry_after


class Unavailable(ProviderError):
    """5xx, connection refused or reset: the service may be back on the next try."""

    kind = "unavailable"


class Timeout(ProviderError):
    """No answer within the timeout."""

    kind = "timeout"


class MalformedResponse(ProviderError):
    """The body could not be read as the provider's response format."""

    kind = "malformed_response"


class InvalidOutput(ProviderError):
    """The answer arrived but is not usable code (no block, truncated, invalid syntax)."""

    kind = "invalid_output"


class AuthError(ProviderError):
    """401/403: a wrong or missing key will not fix itself."""

    retryable = False
    kind = "auth"


class BadRequest(ProviderError):
    """400/404/422: the request itself or the model name is wrong."""

    retryable = False
    kind = "bad_request"


class ModelNotFound(BadRequest):
    """The configured model does not exist for this key."""

    kind = "model_not_found"


class Provider(Protocol):
    """One LLM host. ``name`` is its row's in ``providers.registry``; ``providers.http.HTTPProvider`` implements it."""

    @property
    def name(self) -> str: ...

    async def complete(self, request: CompletionRequest) -> Completion: ...


def redact(text: str, secrets: list[str]) -> str:
    """Replace every secret (and any long tail of it) in ``text`` with ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
            if len(secret) > 12:
                # SDKs sometimes print keys shortened, e.g. "sk-abc...wxyz": hide the visible ends too.
                text = text.replace(secret[-8:], "***").replace(secret[:12], "***")
    return text
