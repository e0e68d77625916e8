"""Settings: defaults, parsing, and a clear error naming the variable."""

import pytest

from settings import ConfigError, load_settings


def test_defaults(q2o_env):
    s = load_settings()
    assert s.chain == ["gemini", "openai", "anthropic"]
    assert s.attempts_per_provider == 3 and s.retry_delays() == [2.0, 4.0]
    assert s.resolved_database_url == f"sqlite:///{q2o_env / 'q2o.db'}"
    assert not any(s.is_configured(p) for p in s.chain)


def test_keys_and_base_urls(monkeypatch):
    monkeypatch.setenv("GOOGLE_API_KEY", "g-key")
    monkeypatch.setenv("Q2O_OPENAI_BASE_URL", "http://127.0.0.1:11434/v1/")
    s = load_settings()
    assert s.api_key_for("gemini") == "g-key" and s.is_configured("gemini")
    assert s.is_configured("openai")  # an OpenAI-compatible server needs no key
    assert s.base_url_for("openai") == "http://127.0.0.1:11434/v1"
    assert s.secret_values() == ["g-key"]


def test_the_reports_url_links_the_local_endpoint_by_default_and_loses_a_trailing_slash(monkeypatch):
    assert load_settings().reports_url == "http://127.0.0.1:4280"
    monkeypatch.setenv("Q2O_REPORTS_URL", " https://forge.example.internal/q2o/ ")
    assert load_settings().reports_url == "https://forge.example.internal/q2o"


def test_env_file_is_honoured(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("Q2O_CHAIN=anthropic, openai\nQ2O_BACKOFF_SECONDS=0.5\n")
    s = load_settings()
    assert s.chain == ["anthropic", "openai"] and s.retry_delays() == [0.5, 1.0]


@pytest.mark.parametrize(
    "name, value",
    [
        ("Q2O_ATTEMPTS_PER_PROVIDER", "three"),
        ("Q2O_ATTEMPTS_PER_PROVIDER", "0"),
        ("Q2O_BACKOFF_SECONDS", "-1"),
        ("Q2O_TIMEOUT_SECONDS", "0"),
        ("Q2O_CHAIN", "gemini,,openai"),
        ("Q2O_CHAIN", "gemini,mistral"),
        ("Q2O_CHAIN", "openai,openai"),
        ("Q2O_OPENAI_BASE_URL", "localhost:1"),
        ("Q2O_MAX_OUTPUT_TOKENS", "lots"),
        ("Q2O_MONTHLY_BUDGET_USD", "-5"),
        ("Q2O_TIMEZONE", "Mars/Olympus"),
        ("Q2O_AGENT_SHARES", "coder=70,researcher=50"),
        ("Q2O_AGENT_SHARES", "coder"),
        ("Q2O_PROJECT_BUDGETS", "acme=-1"),
        ("Q2O_DAILY_CALL_LIMIT", "0"),
        ("Q2O_MONTHLY_BUDGET_USD", "inf"),
        ("Q2O_MONTHLY_BUDGET_USD", "nan"),
        ("Q2O_PROJECT_BUDGETS", "acme=inf"),
        ("Q2O_REPORTS_URL", "reports-host:4280"),
        ("Q2O_REPORTS_URL", "file:///tmp/reports"),
        ("Q2O_REPORTS_URL", "http://"),
        ("Q2O_REPORTS_URL", "http://reports-host:99999"),
        ("Q2O_REPORTS_URL", "http://reports-host:4280/?x=1"),
        ("Q2O_FIT_MODEL", "mistral:small"),
        ("Q2O_FIT_MODEL", "openai:"),
    ],
)
def test_invalid_values_name_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert str(err.value).startswith(name)
    assert "\n" not in str(err.value)


def test_unwritable_home_is_a_config_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("Q2O_HOME", str(blocker / "home"))
    with pytest.raises(ConfigError, match="Q2O_HOME"):
        load_settings().ensure_home()


def test_settings_are_reused_until_the_environment_or_dotenv_changes(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("Q2O_ATTEMPTS_PER_PROVIDER", "4")
    first = load_settings()
    assert load_settings() is first and first.attempts_per_provider == 4
    monkeypatch.setenv("Q2O_ATTEMPTS_PER_PROVIDER", "5")
    assert load_settings().attempts_per_provider == 5
    monkeypatch.delenv("Q2O_ATTEMPTS_PER_PROVIDER")
    (tmp_path / ".env").write_text("Q2O_ATTEMPTS_PER_PROVIDER=6\n")
    assert load_settings().attempts_per_provider == 6
    (tmp_path / ".env").write_text("Q2O_ATTEMPTS_PER_PROVIDER=7\n# changed\n")
    assert load_settings().attempts_per_provider == 7
    assert load_settings(attempts_per_provider=2).attempts_per_provider == 2  # overrides are never cached
    assert load_settings().attempts_per_provider == 7


def test_model_prices_are_parsed_and_used(monkeypatch):
    from providers.pricing import cost_usd

    monkeypatch.setenv("Q2O_MODEL_PRICES", "llama3=0/0, Acme-Coder=0.5/1.5")
    prices = load_settings().model_prices
    assert cost_usd("acme-coder", 1_000_000, 1_000_000, prices) == 2.0 and cost_usd("llama3", 10, 10, prices) == 0


def test_chain_entries_may_name_their_model(monkeypatch):
    monkeypatch.setenv("Q2O_CHAIN", "Gemini:gemini-2.5-pro, openai:llama3.1:8b ,anthropic")
    monkeypatch.setenv("Q2O_ANTHROPIC_MODEL", "claude-sonnet-4-5")
    s = load_settings()
    assert s.chain == ["gemini", "openai", "anthropic"]  # the names, as every caller iterates them
    assert [s.model_for(p) for p in s.chain] == ["gemini-2.5-pro", "llama3.1:8b", "claude-sonnet-4-5"]


def test_a_plain_chain_means_the_configured_models(monkeypatch):
    monkeypatch.setenv("Q2O_OPENAI_MODEL", "gpt-5")
    s = load_settings()
    assert [s.model_for(p) for p in s.chain] == ["gemini-2.5-flash", "gpt-5", "claude-haiku-4-5"]


@pytest.mark.parametrize(
    "value, says",
    [
        ("openai:", "'openai:' names no model: write openai:MODEL, or openai alone for Q2O_OPENAI_MODEL"),
        ("gemini, openai:  ", "names no model"),
        ("mistral:large", "unknown provider 'mistral': choose one of gemini, openai, anthropic"),
        (":gpt-5", "empty provider name in the chain"),
        ("gemini:gemini-2.5-pro,gemini:gemini-2.5-flash", "a provider appears twice in the chain: gemini"),
        ("", "empty provider name in the chain"),
    ],
)
def test_a_bad_chain_entry_is_a_clear_error_at_load(monkeypatch, value, says):
    monkeypatch.setenv("Q2O_CHAIN", value)
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert str(err.value).startswith("Q2O_CHAIN: ") and says in str(err.value)


def test_the_fit_model_is_a_provider_and_its_model(monkeypatch):
    assert load_settings().fit_entry() is None
    monkeypatch.setenv("Q2O_FIT_MODEL", "OpenAI:gpt-4.1-nano")
    entry = load_settings().fit_entry()
    assert entry is not None and (entry.provider, entry.model) == ("openai", "gpt-4.1-nano")
    monkeypatch.setenv("Q2O_FIT_MODEL", "anthropic")
    monkeypatch.setenv("Q2O_ANTHROPIC_MODEL", "claude-haiku-4-5")
    entry = load_settings().fit_entry()
    assert entry is not None and (entry.provider, entry.model) == ("anthropic", "claude-haiku-4-5")
