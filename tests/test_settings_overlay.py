"""The overlay of stored overrides on the environment's settings: each source, each scope's precedence, checks."""

from __future__ import annotations

import pytest

from contracts import CodeRequest
from settings import ConfigError, load_settings, settings_in_force
from settings.overlay import Overlay, apply_overlay, check_knob, explain, with_keys

OVERLAY = Overlay(
    system={"chain": ["gemini:gemini-2.5-pro", "openai"], "min_quality": 80},
    agents={"coder": {"gemini_model": "gemini-agent", "attempts_per_provider": 2}},
    projects={"acme": {"chain": ["openai:gpt-4.1", "anthropic"], "min_quality": 70}},
)


def _models(settings) -> list[tuple[str, str]]:
    return [(p, settings.model_for(p)) for p in settings.chain]


def test_no_override_is_the_environment_itself():
    base = load_settings()
    assert apply_overlay(base, Overlay(), "coder", "acme") is base


def test_scopes_win_in_order_system_agent_project_request():
    base = load_settings()
    system = apply_overlay(base, OVERLAY)
    assert _models(system) == [("gemini", "gemini-2.5-pro"), ("openai", "gpt-4.1-mini")]
    assert (system.min_quality, system.attempts_per_provider) == (80, 3)
    # the agent's model is set in a scope above the system chain's: it wins over that entry's model
    agent = apply_overlay(base, OVERLAY, "coder", "other")
    assert _models(agent) == [("gemini", "gemini-agent"), ("openai", "gpt-4.1-mini")]
    assert (agent.min_quality, agent.attempts_per_provider) == (80, 2)
    project = apply_overlay(base, OVERLAY, "coder", "acme")
    assert _models(project) == [("openai", "gpt-4.1"), ("anthropic", "claude-haiku-4-5")]
    assert (project.min_quality, project.attempts_per_provider) == (70, 2)
    request = apply_overlay(base, OVERLAY, "coder", "acme", ["anthropic:claude-sonnet-4-5", "gemini"])
    assert _models(request) == [("anthropic", "claude-sonnet-4-5"), ("gemini", "gemini-agent")]
    assert base.min_quality == 95 and base.chain == ["gemini", "openai", "anthropic"]  # the base is untouched


def test_a_chain_above_a_model_keeps_its_entry_model():
    overlay = Overlay(agents={"coder": {"openai_model": "gpt-agent"}}, projects={"acme": {"chain": ["openai:gpt-x"]}})
    assert _models(apply_overlay(load_settings(), overlay, "coder", "acme")) == [("openai", "gpt-x")]


def test_environment_chain_models_and_overrides(monkeypatch):
    monkeypatch.setenv("Q2O_CHAIN", "anthropic:claude-opus-4-1,gemini")
    base = load_settings()
    assert _models(apply_overlay(base, Overlay())) == [("anthropic", "claude-opus-4-1"), ("gemini", "gemini-2.5-flash")]
    overlay = Overlay(projects={"acme": {"anthropic_model": "claude-sonnet-4-5"}})
    assert _models(apply_overlay(base, overlay, "coder", "acme"))[0] == ("anthropic", "claude-sonnet-4-5")


def test_a_provider_switched_off_leaves_every_chain(monkeypatch):
    overlay = Overlay(projects={"acme": {"openai_enabled": False}})
    settings = apply_overlay(load_settings(), overlay, "coder", "acme", ["openai", "anthropic"])
    assert settings.chain == ["anthropic"]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-0123456789")
    settings = apply_overlay(load_settings(), overlay, "coder", "acme")
    assert settings.chain == ["gemini", "anthropic"] and not settings.is_configured("openai")
    assert [e.provider for e in settings.chain_entries] == ["gemini", "openai", "anthropic"]  # still shown
    monkeypatch.setenv("Q2O_ANTHROPIC_ENABLED", "false")
    assert load_settings().chain == ["gemini", "openai"]


def test_sources_default_env_dotenv_and_overrides(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text("Q2O_CROSS_VALIDATE=false\nQ2O_CACHE_TTL_DAYS=7\n")
    monkeypatch.setenv("Q2O_CACHE_TTL_DAYS", "30")  # the environment wins over .env, as pydantic-settings reads
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-0123456789")
    knobs, keys = explain(
        load_settings(), OVERLAY, "coder", "acme", stored_budget=250.0, secret_blocks={"anthropic": "q2o-a"}
    )
    seen = {k.key: (k.value, k.source) for k in knobs}
    assert seen["cross_validate"] == (False, ".env")
    assert seen["cache_ttl_days"] == (30.0, "env")
    assert seen["strict_validation"] == (False, "default")
    assert seen["min_quality"] == (70.0, "project acme override")
    assert seen["attempts_per_provider"] == (2, "agent coder override")
    assert seen["chain"] == (["openai:gpt-4.1", "anthropic:claude-haiku-4-5"], "project acme override")
    assert seen["monthly_budget_usd"] == (250.0, "stored (q2o budget set)")
    system = {k.key: k.source for k in explain(load_settings(), OVERLAY)[0]}
    assert (system["min_quality"], system["attempts_per_provider"]) == ("system override", "default")
    assert {k.provider: k.source for k in keys} == {
        "gemini": "unset",
        "openai": "env",
        "anthropic": "secret block q2o-a",
    }
    assert "sk-test" not in str(knobs) + str(keys)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("min_quality", "120", "min_quality: Input should be less than or equal to 100 (allowed: 0-100)"),
        (
            "attempts_per_provider",
            "0",
            "attempts_per_provider: Input should be greater than or equal to 1 (allowed: 1-10)",
        ),
        ("cross_validate", "maybe", "(allowed: true or false)"),
        ("chain", "gemini,nope", "chain: unknown provider 'nope'"),
        ("chain", "openai,openai", "a provider appears twice in the chain: openai"),
        ("daily_call_limit", "0", "(allowed: >= 1 or none)"),
        ("colour", "blue", "unknown key 'colour'; the keys are: chain,"),
    ],
)
def test_a_bad_value_names_the_key_and_what_it_accepts(key, value, message):
    with pytest.raises(ConfigError) as caught:
        check_knob(key, value)
    assert message in str(caught.value)


def test_values_are_stored_as_json():
    assert check_knob("chain", " gemini:gemini-2.5-pro , openai ") == ["gemini:gemini-2.5-pro", "openai"]
    assert check_knob("min_quality", "90") == 90.0
    assert check_knob("strict_validation", "on") is True
    assert check_knob("daily_call_limit", "none") is None
    assert check_knob("cache_enabled", "off") is False  # a boolean's "off" is false, not "none"


def test_budget_and_daily_limits_hold_for_everyone():
    with pytest.raises(ConfigError, match="daily_call_limit holds for every agent and project"):
        check_knob("daily_call_limit", "5", "project")
    with pytest.raises(ConfigError, match="monthly_budget_usd is stored by `q2o budget set`"):
        apply_overlay(load_settings(), Overlay(system={"monthly_budget_usd": 5}))


def test_a_bad_stored_value_names_its_scope():
    overlay = Overlay(projects={"acme": {"min_quality": 101}})
    with pytest.raises(ConfigError, match=r"^project acme override: min_quality: .*\(allowed: 0-100\)"):
        apply_overlay(load_settings(), overlay, "coder", "acme")
    assert apply_overlay(load_settings(), overlay, "coder", "globex").min_quality == 95  # other projects run


def test_keys_from_secret_blocks_fill_only_missing_ones(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-key-0123456789")
    settings = with_keys(load_settings(), {"openai": "sk-block", "anthropic": "sk-ant-block-0123456789"})
    assert settings.api_key_for("openai") == "sk-env-key-0123456789"
    assert settings.api_key_for("anthropic") == "sk-ant-block-0123456789"
    assert "sk-ant-block-0123456789" in settings.secret_values()  # redacted like any key


def test_load_settings_gives_the_settings_in_force():
    effective = apply_overlay(load_settings(), OVERLAY, "coder", "acme")
    with settings_in_force(effective):
        assert load_settings() is effective
        assert load_settings(min_quality=10).min_quality == 10  # explicit values still read the environment
    assert load_settings().min_quality == 95


def test_a_request_chain_may_name_models():
    request = CodeRequest(task="t", stack=["python"], chain="openai:gpt-4.1, anthropic")
    assert request.chain == ["openai:gpt-4.1", "anthropic"]
    assert request.chain_providers == ["openai", "anthropic"]
    with pytest.raises(ValueError, match="unknown provider 'x'"):
        CodeRequest(task="t", stack=["python"], chain="x")
