"""The skeleton every provider shares: one SDK client a call, a deadline, typed errors, the client closed.

A provider module subclasses ``HTTPProvider`` and supplies only what differs: its registry row, building its
SDK client, making the call, reading the answer, and which SDK exceptions mean what. SDK retries stay off
(Prefect owns retrying), and every message that leaves is redacted of the key.
"""

from __future__ import annotations

import asyncio
import functools
import os
import socket
import ssl
import time
from abc import ABC, abstractmethod
from types import ModuleType
from typing import Any, ClassVar

import certifi
import httpx

from providers.base import (
    AuthError,
    BadRequest,
    Completion,
    CompletionRequest,
    MalformedResponse,
    ProviderError,
    Timeout,
    Unavailable,
    redact,
)
from providers.registry import ProviderSpec

try:  # google-genai uses httpx2 when it is installed (openai and anthropic bring it)
    import httpx2
except ImportError:  # pragma: no cover - depends on the installed SDKs
    httpx2 = None  # type: ignore[assignment]  # a module, or None when it is not installed

HTTP_MODULES = tuple(module for module in (httpx, httpx2) if module is not None)

# A key sent when the user configured none: OpenAI-compatible servers (Ollama, vLLM) ignore it.
PLACEHOLDER_KEY = "not-needed"

# The SDK's own timeout should fire first; this outer deadline only catches a server that trickles bytes.
DEADLINE_GRACE_SECONDS = 1.0

ErrorTypes = tuple[type[BaseException], ...]


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every SDK client of the process.

    Each SDK client otherwise builds its own (loading the CA bundle costs ~15 ms, google-genai builds
    two), and a client is made per call. ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` are honoured as httpx does.
    """
    return ssl.create_default_context(
        cafile=os.environ.get("SSL_CERT_FILE") or certifi.where(), capath=os.environ.get("SSL_CERT_DIR")
    )


# Failures to open a connection at all: the request was never sent. (A read error or a timeout after the
# connection opened is not among them: the provider may have received the request, and may bill it.)
_NEVER_CONNECTED: ErrorTypes = (
    ConnectionRefusedError,
    socket.gaierror,
    *(cls for module in HTTP_MODULES for cls in (module.ConnectError, module.ConnectTimeout)),
)


def never_connected(exc: BaseException) -> bool:
    """Whether ``exc`` (or an error it was raised from) says no connection to the provider was ever opened."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, _NEVER_CONNECTED):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def mark_not_sent(failure: ProviderError, exc: BaseException) -> ProviderError:
    """``failure`` with ``not_sent`` set when the SDK error ``exc`` shows the request never left."""
    failure.not_sent = failure.status_code is None and never_connected(exc)
    return failure


def token_count(value: object) -> int | None:
    """A token count as the answer gave it; anything but an int is unknown."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class HTTPProvider(ABC):
    """One provider behind its official SDK; ``complete`` is the whole contract (``providers.base.Provider``).

    Subclasses set ``spec`` and the exception groups, and implement the four steps of a call. The groups are
    tried in this order: a timeout first (the SDKs make it a kind of connection error), then an HTTP error
    answer (``status_error``), no connection, an unreadable answer, an argument the SDK refused, any other
    error of the SDK. An exception in none of them is a bug and leaves as it is.
    """

    spec: ClassVar[ProviderSpec]
    timeout_errors: ClassVar[ErrorTypes] = (TimeoutError,)
    status_errors: ClassVar[ErrorTypes] = ()
    connection_errors: ClassVar[ErrorTypes] = ()
    unreadable_errors: ClassVar[ErrorTypes] = ()
    argument_errors: ClassVar[ErrorTypes] = ()
    sdk_errors: ClassVar[ErrorTypes] = ()

    def __init__(self, api_key: str | None, base_url: str | None = None) -> None:
        self._api_key = api_key
        self._base_url = base_url

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def base_url(self) -> str:
        """Where the call goes: the configured base URL, else the provider's own endpoint."""
        return self._base_url or self.spec.default_base_url

    async def complete(self, request: CompletionRequest) -> Completion:
        key = self._key()
        failure: ProviderError | None = None
        client: Any = None
        try:
            client = self.open_client(key, request.timeout_seconds)
            started = time.perf_counter()
            async with asyncio.timeout(request.timeout_seconds + DEADLINE_GRACE_SECONDS):
                answer = await self.send(client, request)
            latency = time.perf_counter() - started
        except Exception as exc:
            failure = self.translate(exc, [key], request.timeout_seconds)
            if failure is None:
                raise
            mark_not_sent(failure, exc)
        finally:
            if client is not None:
                await self.close_client(client)
        if failure is not None:
            raise failure  # outside the handler: the SDK error (which may quote the key) is not chained
        return self.read_answer(answer, request.model, latency)

    def _key(self) -> str:
        """The key to send: the configured one, a placeholder for a server at a base URL (a local server or a
        proxy may need none), or AuthError."""
        key = self._api_key or (PLACEHOLDER_KEY if self._base_url else None)
        if not key:
            raise AuthError(f"{self.name}: no API key ({self.spec.how_to_configure()})")
        return key

    # --- what each provider supplies -------------------------------------------------------
    @abstractmethod
    def open_client(self, key: str, timeout_seconds: float) -> Any:
        """A fresh SDK client aimed at ``base_url``: SDK retries off, the shared ``tls_context()``."""

    @abstractmethod
    async def send(self, client: Any, request: CompletionRequest) -> Any:
        """Make the one SDK call ``request`` asks for and return what the SDK answered."""

    @abstractmethod
    def read_answer(self, answer: Any, requested_model: str, latency: float) -> Completion:
        """The ``Completion`` in the SDK's answer (usually through ``completion``); ``MalformedResponse`` if none."""

    async def close_client(self, client: Any) -> None:
        await client.close()

    def status_error(self, exc: Any, secrets: list[str]) -> ProviderError:
        """The typed error for an HTTP error answer (one of ``status_errors``), usually ``error_for_status``."""
        raise NotImplementedError(f"{type(self).__name__} declares status_errors but no status_error")

    # --- shared ----------------------------------------------------------------------------
    def translate(self, exc: BaseException, secrets: list[str], timeout: float) -> ProviderError | None:
        """Our typed error for an SDK failure, its message redacted of ``secrets``; None for a bug."""
        name = self.name
        if isinstance(exc, self.timeout_errors):
            return Timeout(f"{name}: no answer within {timeout:g} s")
        if isinstance(exc, self.status_errors):
            return self.status_error(exc, secrets)
        if isinstance(exc, self.connection_errors):
            return Unavailable(redact(f"{name}: cannot reach {self.base_url}: {exc.__cause__ or exc}", secrets))
        if isinstance(exc, self.unreadable_errors):
            return MalformedResponse(redact(f"{name}: unreadable answer: {exc}", secrets))
        if isinstance(exc, self.argument_errors):
            return BadRequest(redact(f"{name}: {exc}", secrets))
        if isinstance(exc, self.sdk_errors):
            return ProviderError(redact(f"{name}: {exc}", secrets))
        return None

    def completion(
        self,
        *,
        text: object,
        model: str,
        input_tokens: object,
        output_tokens: object,
        truncated: bool,
        latency: float,
        finish: str,
    ) -> Completion:
        """The answer as a ``Completion``; an empty text not cut at the cap is a ``MalformedResponse`` naming
        ``finish`` (e.g. ``finish_reason=stop``)."""
        if not isinstance(text, str) or (not text.strip() and not truncated):
            raise MalformedResponse(f"{self.name}: empty answer ({finish})")
        return Completion(
            text=text,
            model=model,
            input_tokens=token_count(input_tokens),
            output_tokens=token_count(output_tokens),
            truncated=truncated,
            latency_s=latency,
        )


class StainlessProvider(HTTPProvider):
    """A provider whose SDK is generated by Stainless (openai, anthropic): the same client arguments and the
    same exception tree under each package's name, so both come from ``sdk`` and ``client_class`` here."""

    sdk: ClassVar[ModuleType]
    client_class: ClassVar[type]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        sdk = getattr(cls, "sdk", None)
        if sdk is not None:
            cls.timeout_errors = (sdk.APITimeoutError, TimeoutError)
            cls.status_errors = (sdk.APIStatusError,)
            cls.connection_errors = (sdk.APIConnectionError,)
            cls.unreadable_errors = (sdk.APIResponseValidationError, ValueError)  # ValueError: JSON that does not parse

    def open_client(self, key: str, timeout_seconds: float) -> Any:
        # An explicit key and base URL keep the SDK away from its environment variables and config files.
        return self.client_class(
            api_key=key,
            base_url=self.base_url,
            max_retries=0,
            timeout=timeout_seconds,
            http_client=self.sdk.DefaultAsyncHttpxClient(verify=tls_context()),
        )
