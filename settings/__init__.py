"""Every knob of Q2O Forge in one place (pydantic-settings, env prefix ``Q2O_``, ``.env`` honoured).

Nothing else in the project reads ``os.environ``. ``load_settings()`` turns a bad value into a
``ConfigError`` whose one-line message names the environment variable to fix.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    SecretStr,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from providers.registry import PROVIDER_NAMES, PROVIDERS, ChainEntry, parse_chain, parse_chain_entry, spec_for

# Which variables hold each provider's key, in the order they are looked up (shown to users).
KEY_VARIABLES: dict[str, tuple[str, ...]] = {spec.name: spec.key_variables for spec in PROVIDERS}
# Where `q2o reports serve` listens unless told otherwise, and so the port of the default Q2O_REPORTS_URL.
DEFAULT_REPORTS_PORT = 4280


class UsageError(ValueError):
    """Bad input or configuration from a user: printed in one line, exit code 2."""


class ConfigError(UsageError):
    """A setting is missing or invalid."""


def _provider_fields() -> dict[str, Any]:
    """Four settings a registry row: Q2O_<NAME>_ENABLED, Q2O_<NAME>_MODEL, Q2O_<NAME>_BASE_URL and its key
    variables."""
    fields: dict[str, Any] = {}
    for spec in PROVIDERS:
        fields[f"{spec.name}_enabled"] = (
            bool,
            Field(default=True, description=f"Off: {spec.name} is never called, whatever a chain says."),
        )
        fields[f"{spec.name}_model"] = (
            str,
            Field(
                default=spec.default_model,
                min_length=1,
                description=(f"The {spec.name} model of a plain '{spec.name}' chain entry."),
            ),
        )
        fields[f"{spec.name}_base_url"] = (
            str | None,
            Field(
                default=None,
                description=(
                    f"Another {spec.name} endpoint (a proxy, a compatible server); default {spec.default_base_url}."
                ),
            ),
        )
        fields[f"{spec.name}_api_key"] = (
            SecretStr | None,
            Field(default=None, validation_alias=AliasChoices(*spec.key_variables)),
        )
    return fields


# The per-provider fields, made from the registry: a new row gets its variables without an edit here.
_ProviderSettings: type[BaseSettings] = create_model("_ProviderSettings", __base__=BaseSettings, **_provider_fields())
_BASE_URL_FIELDS = tuple(f"{name}_base_url" for name in PROVIDER_NAMES)


# mypy cannot take a class made at runtime (create_model) for a base; its fields are then read as Any.
class Settings(_ProviderSettings):  # type: ignore[misc,valid-type]
    """Q2O Forge configuration, read from the environment and ``.env``."""

    model_config = SettingsConfigDict(env_prefix="Q2O_", env_file=".env", env_file_encoding="utf-8", extra="ignore")

    home: Path = Field(default=Path("~/.q2o"), description="Data folder: SQLite file, reports.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default sqlite:///<home>/q2o.db")
    reports_url: str = Field(
        default=f"http://127.0.0.1:{DEFAULT_REPORTS_PORT}",
        description="Base URL of the report endpoint (`q2o reports serve`) that Prefect artifacts link; on many "
        "machines, the one endpoint every worker's links should reach.",
    )
    server: Literal["shared", "embedded"] = Field(
        default="shared",
        description="shared: one background Prefect server a Q2O_HOME, started by the first caller; embedded: "
        "Prefect's temporary server inside each process (CI, tests). A set PREFECT_API_URL wins over both.",
    )
    server_host: str = Field(default="127.0.0.1", min_length=1, description="Where the shared server listens.")
    server_port: int = Field(default=4200, ge=1, le=65535, description="Its port; a free one when this is taken.")
    chain: Annotated[list[str], NoDecode] = Field(
        default=list(PROVIDER_NAMES),
        description="Provider order, comma separated; an entry may name its model "
        "(gemini:gemini-2.5-pro). Holds the names; model_for(provider) gives the model.",
    )
    attempts_per_provider: int = Field(default=3, ge=1, le=10)
    backoff_seconds: float = Field(default=2.0, ge=0, le=600)
    timeout_seconds: float = Field(default=60.0, gt=0, le=3600)
    max_output_tokens: int = Field(default=4096, ge=16, le=200_000)
    circuit_cooldown_seconds: float = Field(
        default=30.0,
        ge=0,
        le=86_400,
        description="After a provider's every attempt failed (outage, timeout, rate limit), skip it for this long "
        "(a longer Retry-After wins), doubled each time its probe fails; 0 turns the breaker off.",
    )
    max_concurrent_runs: int | None = Field(
        default=None,
        ge=0,
        le=10_000,
        description="Most generate-code runs one process keeps in flight at once (more wait their turn in the "
        "process); 0: no limit; unset: 1 when Prefect's server database is SQLite, else no limit.",
    )
    circuit_auth_cooldown_seconds: float = Field(
        default=300.0,
        ge=0,
        le=86_400,
        description="After a provider refused its key (401/403), skip it for this long or until the key changes "
        "(doubled each time its probe is refused); 0 turns that off.",
    )
    circuit_max_cooldown_seconds: float = Field(
        default=900.0,
        ge=0,
        le=86_400,
        description="The cap of a cooldown that doubles while a provider stays down (a longer base cooldown or "
        "Retry-After still wins).",
    )

    learn_min_score: float = Field(default=90.0, ge=0, le=100, description="Learn from output scoring this.")
    fit_check: bool = Field(
        default=True,
        description="Ask the cheapest configured model whether a template "
        "said in other words fits (ledgered, purpose 'fit'); off: local matching only.",
    )
    fit_model: str | None = Field(
        default=None,
        description="PROVIDER[:MODEL] for fit checks (openai:gpt-4.1-nano: a cheap model for a yes/no question); "
        "unset, or its provider not configured: the cheapest configured model of the request's chain.",
    )
    template_max_failures: int = Field(default=3, ge=1, description="Disable a template after this many.")
    cache_enabled: bool = Field(default=True, description="Serve exact repeats from the result cache.")
    cache_ttl_days: float = Field(
        default=90, ge=0, description="Serve an exact repeat from the cache for this many days; 0 turns the cache off."
    )
    smart_parameterize: bool = Field(default=False, description="Ask the chain which literals are names.")

    # --- validation ----------------------------------------------------------------------------------
    min_quality: float = Field(default=95.0, ge=0, le=100, description="Lowest static score accepted.")
    strict_validation: bool = Field(
        default=False, description="A medium finding (lint, a risky pattern) rejects an answer as a high one does."
    )
    cross_validate: bool = Field(default=True, description="Have another provider review sensitive work.")
    sensitive_keywords: Annotated[list[str], NoDecode] = Field(
        default=[
            "payment",
            "billing",
            "stripe",
            "auth",
            "login",
            "password",
            "token",
            "webhook",
            "security",
            "migration",
            "database",
            "sql",
            "admin",
        ],
        description="Task words that make a request security-sensitive, comma separated.",
    )

    # --- budget --------------------------------------------------------------------------------------
    monthly_budget_usd: float = Field(
        default=1000.0, ge=0, allow_inf_nan=False, description="Default monthly budget in USD."
    )
    timezone: str = Field(default="UTC", description="IANA zone that decides where a month starts.")
    daily_call_limit: int | None = Field(default=None, ge=1, description="Optional cap on calls per day.")
    daily_cost_alert_usd: float | None = Field(
        default=None, gt=0, allow_inf_nan=False, description="Optional daily cost alert."
    )
    agent_shares: Annotated[dict[str, float], NoDecode] = Field(
        default={},
        description="Per-agent shares of the month's budget, e.g. coder=60,researcher=25,*=15.",
    )
    project_budgets: Annotated[dict[str, float], NoDecode] = Field(
        default={},
        description="Per-project monthly budgets in USD, e.g. acme=200,globex=50.",
    )
    reservation_timeout_seconds: float = Field(
        default=900.0,
        gt=0,
        description="A reservation older than this (a crashed process) expires.",
    )
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_from: str = "q2o-forge@localhost"
    alert_email_to: Annotated[list[str], NoDecode] = Field(default=[], description="Comma separated.")
    alert_webhook_url: str | None = None
    report_email_to: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="Who gets each failure report (HTML body, PDF attached), comma separated; "
        "a project listed in Q2O_PROJECT_REPORT_EMAIL_TO goes to its own list instead.",
    )
    project_report_email_to: Annotated[dict[str, list[str]], NoDecode] = Field(
        default={},
        description="A project's own report recipients: acme=ops@acme.com qa@acme.com,globex=dev@globex.com.",
    )

    model_prices: Annotated[dict[str, tuple[float, float]], NoDecode] = Field(
        default={},
        description="Prices for models missing from the table, dollars per million tokens in/out: "
        "llama3=0/0,my-model=0.5/1.5.",
    )

    # Every entry of the chain as given, disabled providers included (``chain`` holds the enabled names only).
    _chain_entries: list[ChainEntry] = PrivateAttr(default_factory=list)
    _chain_models: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("chain", mode="before")
    @classmethod
    def _split_chain(cls, value: object) -> object:
        if isinstance(value, str | list | tuple):
            return [entry.provider for entry in parse_chain(value)]
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _keep_chain_models(cls, data: Any, handler: ModelWrapValidatorHandler[Settings]) -> Settings:
        """Keep the models that ``provider:model`` entries of the chain name, for ``model_for``: the ``chain``
        field holds only the names of the enabled providers, which every caller iterates (its validator reports
        a bad entry)."""
        settings = handler(data)
        raw = data.get("chain") if isinstance(data, dict) else None
        entries = (
            parse_chain(raw)
            if isinstance(raw, str | list | tuple)
            else [ChainEntry(provider=p) for p in settings.chain]
        )
        settings.set_chain(entries)
        return settings

    def set_chain(self, entries: list[ChainEntry], models: dict[str, str] | None = None) -> None:
        """Make ``entries`` the chain: ``chain`` the enabled names, ``model_for`` the models they name (or
        ``models``, when given: the overlay decides which scope's model wins)."""
        self._chain_entries = list(entries)
        self._chain_models = dict(models) if models is not None else {e.provider: e.model for e in entries if e.model}
        self.chain = [e.provider for e in entries if self.is_enabled(e.provider)]

    @property
    def chain_entries(self) -> list[ChainEntry]:
        """The chain as configured, disabled providers included, each with the model it is called with."""
        return [ChainEntry(provider=e.provider, model=self.model_for(e.provider)) for e in self._chain_entries]

    @field_validator("fit_model")
    @classmethod
    def _check_fit_model(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        entry = parse_chain_entry(value)  # a clear error for an unknown provider or a missing model
        return f"{entry.provider}:{entry.model}" if entry.model else entry.provider

    def fit_entry(self) -> ChainEntry | None:
        """The provider and model ``Q2O_FIT_MODEL`` names (its model: the provider's own when it names none)."""
        if not self.fit_model:
            return None
        entry = parse_chain_entry(self.fit_model)
        return ChainEntry(provider=entry.provider, model=entry.model or self.model_for(entry.provider))

    @field_validator("sensitive_keywords", "alert_email_to", "report_email_to", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("model_prices", mode="before")
    @classmethod
    def _split_prices(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        prices: dict[str, tuple[float, float]] = {}
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            name, sep, amounts = part.partition("=")
            cost_in, slash, cost_out = amounts.partition("/")
            try:
                pair = (float(cost_in), float(cost_out)) if sep and slash and name.strip() else None
            except ValueError:
                pair = None
            if pair is None or not all(math.isfinite(v) and v >= 0 for v in pair):
                raise ValueError(f"expected MODEL=IN/OUT dollars per million tokens (e.g. llama3=0/0), got {part!r}")
            prices[name.strip().lower().removeprefix("models/")] = pair
        return prices

    @field_validator("project_report_email_to", mode="before")
    @classmethod
    def _split_recipients(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        lists: dict[str, list[str]] = {}
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            project, sep, addresses = part.partition("=")
            if not sep or not project.strip() or not addresses.split():
                raise ValueError(f"expected PROJECT=ADDRESS [ADDRESS ...], got {part!r}")
            lists[project.strip()] = addresses.split()
        return lists

    def report_recipients(self, project: str) -> list[str]:
        """Who gets a failure report of ``project``: its own list, else Q2O_REPORT_EMAIL_TO."""
        return self.project_report_email_to.get(project, self.report_email_to)

    @field_validator("agent_shares", "project_budgets", mode="before")
    @classmethod
    def _split_mapping(cls, value: object) -> object:
        if isinstance(value, str):
            pairs: dict[str, str] = {}
            for part in (p.strip() for p in value.split(",")):
                if not part:
                    continue
                name, sep, amount = part.partition("=")
                if not sep or not name.strip():
                    raise ValueError(f"expected NAME=NUMBER, got {part!r}")
                pairs[name.strip()] = amount.strip()
            return pairs
        return value

    @field_validator("agent_shares", "project_budgets")
    @classmethod
    def _non_negative(cls, value: dict[str, float]) -> dict[str, float]:
        for name, amount in value.items():
            if not math.isfinite(amount) or amount < 0:
                raise ValueError(f"{name}: must be a finite number >= 0")
        return value

    @field_validator("agent_shares")
    @classmethod
    def _shares_fit(cls, value: dict[str, float]) -> dict[str, float]:
        total = sum(value.values())
        if total > 100 + 1e-9:
            raise ValueError(f"the shares are percent of the month's budget and add up to {total:g} % (> 100)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Paris)") from None
        return value

    @field_validator("alert_webhook_url")
    @classmethod
    def _check_webhook(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("home")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("reports_url")
    @classmethod
    def _check_reports_url(cls, value: str) -> str:
        from urllib.parse import urlsplit

        given, value = value, value.strip().rstrip("/")
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number in 0-65535
        except ValueError:
            parts = None
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.query
            or parts.fragment
        ):
            raise ValueError(
                f"expected an http:// or https:// base URL such as http://reports-host:4280, got {given!r}"
            )
        return value

    @field_validator(*_BASE_URL_FIELDS)
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    # --- derived values -------------------------------------------------------------------
    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'q2o.db'}"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    def model_for(self, provider: str) -> str:
        """The model a call to ``provider`` uses: the one its Q2O_CHAIN entry names, else Q2O_<PROVIDER>_MODEL."""
        return self._chain_models.get(provider) or str(getattr(self, f"{provider}_model"))

    def base_url_for(self, provider: str) -> str | None:
        return getattr(self, f"{provider}_base_url")

    def api_key_for(self, provider: str) -> str | None:
        secret: SecretStr | None = getattr(self, f"{provider}_api_key")
        return secret.get_secret_value() if secret else None

    def is_enabled(self, provider: str) -> bool:
        return bool(getattr(self, f"{provider}_enabled"))

    def is_configured(self, provider: str) -> bool:
        """A provider is usable when it is enabled and has a key; one whose row says so (an OpenAI-compatible
        server such as Ollama or vLLM) needs only its base URL."""
        if not self.is_enabled(provider):
            return False
        if self.api_key_for(provider):
            return True
        return spec_for(provider).base_url_alone_configures and self.base_url_for(provider) is not None

    def secret_values(self) -> list[str]:
        """Every secret in force, for redaction of logs, errors, rows and reports."""
        values = [v for v in (self.api_key_for(p) for p in PROVIDER_NAMES) if v]
        if self.smtp_password is not None and self.smtp_password.get_secret_value():
            values.append(self.smtp_password.get_secret_value())
        if self.alert_webhook_url:  # a Slack-style webhook URL is itself a credential
            values.append(self.alert_webhook_url)
        return values

    def retry_delays(self) -> list[float]:
        """Exponential backoff between attempts of one provider: base, 2*base, 4*base, ..."""
        return [self.backoff_seconds * 2**i for i in range(max(self.attempts_per_provider - 1, 1))]

    def ensure_home(self) -> Path:
        """Create the data folder (and reports folder) or fail naming ``Q2O_HOME``."""
        try:
            self.reports_dir.mkdir(parents=True, exist_ok=True)
            # A probe of its own: processes starting together must not remove each other's.
            with tempfile.NamedTemporaryFile(dir=self.home, prefix=".write-check-"):
                pass
        except OSError as exc:
            raise ConfigError(f"Q2O_HOME={self.home} is not a writable folder ({exc.strerror or exc})") from None
        return self.home


def _variable_name(field: str) -> str:
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info else None
    if isinstance(alias, AliasChoices):
        return " or ".join(str(choice) for choice in alias.choices)
    return f"Q2O_{field.upper()}"


_ENV_NAMES = {name for names in KEY_VARIABLES.values() for name in names}
_cache: dict[tuple, Settings] = {}


def _environment_key() -> tuple:
    """What the settings are read from: our variables and the ``.env`` file (path, size, mtime)."""
    variables = tuple(
        sorted((k, v) for k, v in os.environ.items() if k.upper().startswith("Q2O_") or k.upper() in _ENV_NAMES)
    )
    try:
        stat = os.stat(".env")
        dotenv: tuple[str, int | None, int | None] = (os.path.abspath(".env"), stat.st_size, stat.st_mtime_ns)
    except OSError:
        dotenv = (os.getcwd(), None, None)
    return variables, dotenv


# The settings of the run in progress (the environment's with the stored overrides laid over them), set by the
# flow at its start: every step of the run reads the same values, and a change is seen by the next run.
_in_force: ContextVar[Settings | None] = ContextVar("q2o_settings_in_force", default=None)


@contextmanager
def settings_in_force(settings: Settings) -> Iterator[Settings]:
    """Within the block (and the tasks it runs), ``load_settings()`` gives ``settings``."""
    token = _in_force.set(settings)
    try:
        yield settings
    finally:
        _in_force.reset(token)


def load_settings(**overrides: object) -> Settings:
    """The settings in force: those of the current run (``settings_in_force``), else the environment's."""
    in_force = None if overrides else _in_force.get()
    return in_force if in_force is not None else environment_settings(**overrides)


def environment_settings(**overrides: object) -> Settings:
    """Read the settings from the environment and ``.env``; an invalid value raises ``ConfigError`` naming the
    variable.

    Reading them costs ~7 ms (environment and ``.env`` parsing) and every task needs them, so the
    result is reused until a variable or the ``.env`` file changes. Treat it as read-only.
    """
    cache_key = None if overrides else _environment_key()
    if cache_key is not None and cache_key in _cache:
        return _cache[cache_key]
    try:
        settings = Settings(**overrides)
        if cache_key is not None:
            _cache.clear()  # one entry: the environment of the moment
            _cache[cache_key] = settings
        return settings
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        raise ConfigError(f"{_variable_name(field)}: {str(first['msg']).removeprefix('Value error, ')}") from None
