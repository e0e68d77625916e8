"""Prompt layers in the database: each change a new version (who, when, the text), a reset a version without
text, the history with its diffs, the layers a request gets and the version of its prompts."""

from __future__ import annotations

import pytest

from codegen.prompt_layers import (
    effective_prompt,
    layer_history,
    layers_for,
    prompt_version_for,
    reset_layer,
    set_layer,
)
from contracts import CodeRequest
from prompts.layers import LayerError
from settings import load_settings
from storage import PromptLayerStore, open_database

ACME = "{% block instructions %}Follow ACME coding standards.{% endblock %}"
ACME_2 = "{% block instructions %}Follow ACME coding standards.\nUse ACME's logger.{% endblock %}"


def test_every_change_is_a_new_version_and_a_reset_keeps_the_history(database):
    db = open_database(database)
    first = set_layer(db, "system", "project", "acme", ACME, "alice")
    assert first is not None and (first.version, first.author, first.text) == (1, "alice", ACME)
    assert set_layer(db, "system", "project", "acme", ACME, "bob") is None  # the same text: nothing changed
    second = set_layer(db, "system", "project", "acme", ACME_2, "bob")
    assert second is not None and second.version == 2
    [current] = PromptLayerStore(db).current()
    assert (current.version, current.text) == (2, ACME_2)

    removed = reset_layer(db, "system", "project", "acme", "carol")
    assert (removed.version, removed.text, removed.author) == (3, None, "carol")
    assert PromptLayerStore(db).current() == []
    with pytest.raises(LayerError, match="no project layer acme over the system prompt"):
        reset_layer(db, "system", "project", "acme", "carol")

    history = layer_history(db, "system", "project", "acme")
    assert [(c.layer.version, c.layer.author) for c in history] == [(1, "alice"), (2, "bob"), (3, "carol")]
    assert all(c.layer.created_at is not None for c in history)
    assert "+Use ACME's logger." in history[1].diff and "-{% block instructions %}Follow" in history[2].diff
    again = set_layer(db, "system", "project", "acme", ACME, "dave")
    assert again is not None and again.version == 4  # set again after a reset: the next version


def test_a_refused_layer_stores_nothing(database):
    db = open_database(database)
    for prompt, scope, target, text in [
        ("generate", "agent", "coder", "{% block instructions %}{{ task_description }}{% endblock %}"),
        ("generate", "agent", "not a name!", ACME),
        ("nope", "agent", "coder", ACME),
    ]:
        with pytest.raises(LayerError):
            set_layer(db, prompt, scope, target, text, "alice")  # type: ignore[arg-type]
    with pytest.raises(LayerError, match="who made the change"):
        set_layer(db, "system", "agent", "coder", ACME, "  ")
    assert PromptLayerStore(db).history("generate") == [] and PromptLayerStore(db).current() == []


def test_a_request_gets_its_agent_project_and_task_type_layers_only(database):
    db = open_database(database)
    set_layer(db, "system", "agent", "coder", "{% block role %}CODER{% endblock %}", "a")
    set_layer(db, "system", "agent", "researcher", "{% block role %}RESEARCHER{% endblock %}", "a")
    set_layer(db, "generate", "project", "acme", "{% block instructions %}ACME{% endblock %}", "a")
    set_layer(db, "review", "task_type", "api", "{% block instructions %}API{% endblock %}", "a")
    settings = load_settings()
    request = CodeRequest(task="x", stack=["python"], agent="coder", project="acme")
    assert {(x.prompt, x.scope, x.target) for x in layers_for(settings, request)} == {
        ("system", "agent", "coder"),
        ("generate", "project", "acme"),
    }
    typed = request.model_copy(update={"task_type": "api"})
    assert ("review", "task_type", "api") in {(x.prompt, x.scope, x.target) for x in layers_for(settings, typed)}
    assert prompt_version_for(settings, request) != prompt_version_for(settings, typed)

    shown = effective_prompt(db, "system", "coder", "acme", None)
    assert [layer.source for layer in shown.layers] == ["agent coder v1"]
    assert {p.block: p.source for p in shown.parts if p.block} == {
        "role": "agent coder v1",
        "guidelines": "system",
        "instructions": "system",
    }
    assert shown.version == prompt_version_for(settings, request)


def test_a_layer_change_changes_the_prompts_version(database):
    db = open_database(database)
    settings = load_settings()
    request = CodeRequest(task="x", stack=["python"], project="acme")
    before = prompt_version_for(settings, request)
    set_layer(db, "review_system", "project", "acme", "{% block criteria %}Judge ACME style.{% endblock %}", "a")
    changed = prompt_version_for(settings, request)
    reset_layer(db, "review_system", "project", "acme", "a")
    assert before != changed and prompt_version_for(settings, request) == before
