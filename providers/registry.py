"""Every provider Q2O Forge can call, one spec a row, and the ``provider[:model]`` entries of a chain.

Settings, advice texts and the provider loader all read these rows, so this module imports nothing of the
project (``settings`` sits above it) and no SDK: a row names its implementation, imported only when built.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field


class UnknownProvider(ValueError):
    """A name that is no row of the registry."""


class ProviderSpec(BaseModel):
    """What the rest of the house knows of one provider without importing it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Chain and ledger name; Q2O_<NAME>_* variables.")
    implementation: str = Field(pattern=r"^[\w.]+:\w+$", description="'module:Class' of its HTTPProvider.")
    sdk_package: str = Field(description="The pip package of its SDK, named when it is not installed.")
    key_variables: tuple[str, ...] = Field(min_length=1, description="Variables holding its key, in lookup order.")
    default_model: str = Field(min_length=1, description="Q2O_<NAME>_MODEL when unset.")
    default_base_url: str = Field(description="Where the SDK is sent when Q2O_<NAME>_BASE_URL is unset.")
    keyless_server: str | None = Field(
        default=None,
        description="What a base URL alone reaches, with no key (e.g. an OpenAI-compatible local "
        "server); None: the provider needs a key.",
    )

    @property
    def base_url_alone_configures(self) -> bool:
        return self.keyless_server is not None

    @property
    def model_variable(self) -> str:
        return f"Q2O_{self.name.upper()}_MODEL"

    @property
    def base_url_variable(self) -> str:
        return f"Q2O_{self.name.upper()}_BASE_URL"

    @property
    def key_hint(self) -> str:
        """``GEMINI_API_KEY or GOOGLE_API_KEY``."""
        return " or ".join(self.key_variables)

    @property
    def keyless_hint(self) -> str | None:
        """``Q2O_OPENAI_BASE_URL for an OpenAI-compatible server ...``; None when a key is always needed."""
        return f"{self.base_url_variable} for {self.keyless_server}" if self.keyless_server else None

    def how_to_configure(self) -> str:
        """What a user sets to make the provider usable, as one phrase starting with "set"."""
        return f"set {self.key_hint}" + (f", or {self.keyless_hint}" if self.keyless_hint else "")


PROVIDERS: tuple[ProviderSpec, ...] = (
    ProviderSpec(
        name="gemini",
        implementation="providers.gemini:GeminiProvider",
        sdk_package="google-genai",
        key_variables=("GEMINI_API_KEY", "GOOGLE_API_KEY"),
        default_model="gemini-2.5-flash",
        default_base_url="https://generativelanguage.googleapis.com/",
    ),
    ProviderSpec(
        name="openai",
        implementation="providers.openai:OpenAIProvider",
        sdk_package="openai",
        key_variables=("OPENAI_API_KEY",),
        default_model="gpt-4.1-mini",
        default_base_url="https://api.openai.com/v1",
        keyless_server="an OpenAI-compatible server such as Ollama or vLLM",
    ),
    ProviderSpec(
        name="anthropic",
        implementation="providers.anthropic:AnthropicProvider",
        sdk_package="anthropic",
        key_variables=("ANTHROPIC_API_KEY",),
        default_model="claude-haiku-4-5",
        default_base_url="https://api.anthropic.com",
    ),
)

# The registry's order is the default chain's and every listing's.
PROVIDER_NAMES: tuple[str, ...] = tuple(spec.name for spec in PROVIDERS)
_BY_NAME = {spec.name: spec for spec in PROVIDERS}


def find_spec(name: str) -> ProviderSpec | None:
    """The row called ``name`` (any case, surrounding blanks ignored), or None."""
    return _BY_NAME.get(name.strip().lower())


def spec_for(name: str) -> ProviderSpec:
    """The row called ``name``, or ``UnknownProvider`` listing the known ones."""
    spec = find_spec(name)
    if spec is None:
        raise UnknownProvider(f"unknown provider {name.strip()!r}: choose one of {', '.join(PROVIDER_NAMES)}")
    return spec


class ChainEntry(BaseModel):
    """One entry of a chain: a provider, and the model to call it with (None: its Q2O_<NAME>_MODEL)."""

    model_config = ConfigDict(frozen=True)

    provider: str
    model: str | None = None


def parse_chain_entry(text: str) -> ChainEntry:
    """``gemini`` or ``gemini:gemini-2.5-pro``; a model may hold colons itself (``openai:llama3.1:8b``)."""
    name, colon, model = text.strip().partition(":")
    if not name.strip():
        raise ValueError("empty provider name in the chain")
    spec = spec_for(name)
    if colon and not model.strip():
        raise ValueError(
            f"{text.strip()!r} names no model: write {spec.name}:MODEL, or {spec.name} alone for {spec.model_variable}"
        )
    return ChainEntry(provider=spec.name, model=model.strip() or None)


def parse_chain(value: str | Iterable[str]) -> list[ChainEntry]:
    """The entries of a comma-separated chain (or of a list of entries); each provider at most once."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    entries = [parse_chain_entry(str(part)) for part in parts]
    if not entries:
        raise ValueError("the chain names no provider")
    names = [entry.provider for entry in entries]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"a provider appears twice in the chain: {', '.join(repeated)}")
    return entries
