"""A library seeded with an older version of a starter gets the shipped version in its place: enabled or disabled
as the old one was, with its phrasings and uses; a starter deleted there stays gone."""

from __future__ import annotations

import pytest

from contracts import GeneratedFile
from learning.engine import build_record, find_template
from learning.library import seed_starters
from learning.parameterize import render
from learning.starters import named_starter_records
from storage import TemplateStore, open_database

SHIPPED = dict(named_starter_records())
WEB = ["python", "fastapi"]


def _older(slug: str, task: str, name: list[str]):
    """The shipped starter as an earlier version was: its code for a one-word name, learned from that name (so
    its slot took one-word names only), without the slug's key."""
    current = SHIPPED[slug]
    files = render([GeneratedFile(**f) for f in current.files], {"entity": name})
    return build_record(task, current.stack_key.split(","), files, origin="starter", quality_score=100.0)


@pytest.fixture
def db(tmp_path):
    return open_database(f"sqlite:///{tmp_path}/t.db")


def test_an_older_starter_is_replaced_by_the_shipped_one_with_its_phrasings_uses_and_state(db):
    old_crud = _older("fastapi-crud-router", "CRUD API for Customer records", ["customer"])
    old_flask = _older("flask-crud-blueprint", "CRUD API for Customer records", ["customer"])
    assert old_crud.slots[0]["multiword"] is False  # as the starters of before took no name of several words
    seed_starters(db, shipped=[("fastapi-crud-router", old_crud), ("flask-crud-blueprint", old_flask)])
    store = TemplateStore(db)
    store.add_phrasing(old_crud.id, "REST endpoints over ⟦entity:title⟧ records", [])  # a fit-confirmed phrasing
    store.record_use(old_crud.id)
    store.set_enabled(old_flask.id, False)  # an admin switched this one off
    assert find_template(db, "CRUD API for PurchaseOrder records", WEB) is None

    seed_starters(db, shipped=list(SHIPPED.items()))

    assert store.get(old_crud.id) is None
    new_crud, new_flask = SHIPPED["fastapi-crud-router"], SHIPPED["flask-crud-blueprint"]
    crud = store.get(new_crud.id)
    assert crud is not None and crud.enabled and crud.usage_count == 1
    assert "REST endpoints over ⟦entity:title⟧ records" in crud.skeleton
    fit = find_template(db, "CRUD API for PurchaseOrder records", WEB)
    assert fit is not None and fit.template_id == new_crud.id
    assert any('prefix="/purchase-orders"' in f.content for f in fit.files)
    assert find_template(db, "REST endpoints over Invoice records", WEB) is not None  # its phrasing came along
    # The flask starter's older code was this very code: it stays, off as the admin left it, and takes names of
    # several words now.
    assert old_flask.id == new_flask.id
    flask = store.get(new_flask.id)
    assert flask is not None and not flask.enabled and flask.slots[0]["multiword"] is True
    # The starters this library never held (or deleted) are not added behind the admin's back.
    assert {t.origin for t in store.list()} == {"starter"} and len(store.list()) == 2


def test_a_library_of_the_current_starters_is_left_as_it_is(db):
    seed_starters(db, shipped=list(SHIPPED.items()))
    store = TemplateStore(db)
    before = {(t.id, t.enabled) for t in store.list()}
    victim = SHIPPED["django-model-admin"].id
    store.delete(victim)  # deleted: stays gone
    seed_starters(db, shipped=list(SHIPPED.items()))
    assert {(t.id, t.enabled) for t in store.list()} == before - {(victim, True)}


def test_reindexing_keeps_each_starters_slug_key_and_changes_nothing_on_a_fresh_library(db):
    from learning.library import reindex_templates
    from learning.starters import starter_key

    seed_starters(db, shipped=list(SHIPPED.items()))
    done = reindex_templates(db)
    assert done.changed == 0 and not done.disabled
    store = TemplateStore(db)
    for slug, record in SHIPPED.items():
        assert starter_key(slug) in store.get(record.id).keys, slug


def test_a_starter_whose_slug_key_an_earlier_reindex_dropped_is_still_replaced_by_its_next_version(db):
    # stored with the current task but older code and no slug key (as a re-derivation before 2026-12-07 left it)
    current = SHIPPED["fastapi-crud-router"]
    stale = _older("fastapi-crud-router", current.source_task, ["customer"])
    assert not any(k.startswith("starter:") for k in stale.keys) and stale.id != current.id
    seed_starters(db, shipped=[("fastapi-crud-router", stale)])
    seed_starters(db, shipped=[("fastapi-crud-router", current)])
    store = TemplateStore(db)
    assert store.get(stale.id) is None and store.get(current.id) is not None
