"""The starter library: every starter builds, round-trips, renders clean code for a new name, and is found
by a paraphrase with another name, in its own stack only; near misses find nothing."""

import ast

import pytest

from contracts import GeneratedFile
from learning.engine import find_template
from learning.forms import name_forms
from learning.parameterize import PLACEHOLDER, render, render_text
from learning.starters import StarterError, load_named_starters, load_starters, starter_records
from storage import TemplateStore, open_database

RECORDS = starter_records()
BY_TASK = {(r.source_task, r.stack_key): r for r in RECORDS}
SLUGS = [slug for slug, *_ in load_named_starters()]

# One paraphrase per starter: another name, other words for the same job.
PARAPHRASES = [
    (
        "CRUD API for Customer Account records",
        "fastapi,python",
        "Build REST endpoints to create, read, update and delete Vendor entries",
        ["python", "fastapi"],
        "vendor",
    ),
    (
        "SQLAlchemy model for Proforma Invoice",
        "python,sqlalchemy",
        "Write an SQLAlchemy ORM model for the Shipping Address table",
        ["python", "sqlalchemy"],
        "shipping address",
    ),
    ("Pydantic schemas for Product", "pydantic,python", "Write Pydantic DTOs for Vendor", ["Pydantic", "py"], "vendor"),
    (
        "Webhook receiver for Payment Intent events with HMAC signature verification",
        "fastapi,python",
        "HMAC-verified webhook receiver for Refund events",
        ["python", "fastapi"],
        "refund",
    ),
    (
        "Webhook sender for Sales Order events with HMAC signing",
        "httpx,python",
        "Send Refund event webhooks with HMAC signing",
        ["python", "httpx"],
        "refund",
    ),
    (
        "Retrying REST client for the Freight Shipment API",
        "httpx,python",
        "HTTP client with retries and backoff for the Carrier API",
        ["python", "httpx"],
        "carrier",
    ),
    (
        "JWT auth dependency for Member accounts",
        "fastapi,python",
        "FastAPI dependency for Vendor accounts using bearer JWT authentication",
        ["python", "fastapi"],
        "vendor",
    ),
    (
        "Typer CLI command to load Cost Center records from CSV",
        "python,typer",
        "Typer command that loads Vendor rows from a CSV file",
        ["python", "typer"],
        "vendor",
    ),
    (
        "Pytest tests for the Employee repository",
        "pytest,python",
        "Unit tests for the Purchase Order repository",
        ["python", "pytest"],
        "purchase order",
    ),
    (
        "Settings class for the Billing service",
        "pydantic-settings,python",
        "Configuration class for the Shipping service",
        ["python", "pydantic-settings"],
        "shipping",
    ),
    (
        "Periodic background job to sync Support Contact records",
        "asyncio,python",
        "Scheduled worker to sync Vendor records",
        ["python", "asyncio"],
        "vendor",
    ),
    (
        "Repository for Warehouse Location records",
        "python,sqlalchemy",
        "SQLAlchemy repository class for Vendor entries",
        ["python", "sqlalchemy"],
        "vendor",
    ),
    (
        "CRUD API for Product Category records",
        "flask,python",
        "Flask REST endpoints to create, read, update and delete Vendor entries",
        ["python", "flask"],
        "vendor",
    ),
    (
        "Django model for Blog Article",
        "django,python",
        "Django ORM model for the Vendor table",
        ["python", "django"],
        "vendor",
    ),
    (
        "Migration creating the Helpdesk Ticket table",
        "alembic,python",
        "Alembic migration that creates a table for Vendor records",
        ["python", "alembic"],
        "vendor",
    ),
    (
        "Search endpoint with filters for Room Booking records",
        "fastapi,python",
        "Endpoint to search Vendor entries with filters",
        ["python", "fastapi"],
        "vendor",
    ),
]

# Same words in a stack no starter has, or another job in the same stack: nothing fits.
NEAR_MISSES = [
    ("Webhook sender for Payment events with HMAC signature verification", ["python", "fastapi"]),
    ("Webhook receiver for Refund events with HMAC signing", ["python", "httpx"]),
    ("Pytest tests for the Vendor API", ["python", "pytest"]),
    ("CRUD API for Vendor records with CSV export and audit log", ["python", "fastapi"]),
    ("Retrying REST client for the Carrier API", ["python", "requests"]),
    ("Repository for Vendor records", ["python", "pytest"]),
    ("SQLAlchemy model for Vendor", ["python", "pydantic"]),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('starters')}/t.db")
    store = TemplateStore(db)
    assert all(store.add(record)[1] for record in RECORDS)
    return db


def _new_name(example: list[str]) -> list[str]:
    """A multi-word name sharing no word with the example (so any leftover is the example's)."""
    return ["loyalty", "card"] if {"purchase", "order"} & set(example) else ["purchase", "order"]


def test_every_starter_loads_and_builds_with_one_entity_slot():
    loaded = load_starters()
    assert len(loaded) == len(RECORDS) == len(SLUGS) >= 16
    for (task, stack, description, files), record in zip(loaded, RECORDS, strict=True):
        assert task and stack and description and files
        assert [f.path for f in files] == sorted(f.path for f in files)
        assert record.origin == "starter" and record.quality_score == 100.0 and record.description == description
        assert [s["name"] for s in record.slots] == ["entity"], task


def test_signatures_are_unique_and_the_stack_tells_apart_the_same_task():
    assert len({r.signature for r in RECORDS}) == len(RECORDS)
    crud = [r for r in RECORDS if render_text(r.skeleton[0], {"entity": ["vendor"]}) == "CRUD API for Vendor records"]
    assert sorted(r.stack_key for r in crud) == ["fastapi,python", "flask,python"]


@pytest.mark.parametrize("index", range(len(SLUGS)), ids=SLUGS)
def test_rendering_with_the_example_name_gives_back_the_files(index):
    record, (_, _, _, files) = RECORDS[index], load_starters()[index]
    back = render([GeneratedFile(**f) for f in record.files], {s["name"]: s["words"] for s in record.slots})
    assert [(f.path, f.content) for f in back] == [(f.path, f.content) for f in files]


@pytest.mark.parametrize("index", range(len(SLUGS)), ids=SLUGS)
def test_rendering_with_a_multi_word_name_is_valid_python_with_no_trace_of_the_example(index):
    record = RECORDS[index]
    example = record.slots[0]["words"]
    new = _new_name(example)
    rendered = render([GeneratedFile(**f) for f in record.files], {"entity": new})
    snake = name_forms(new)["snake"]
    assert any(snake in f.path or snake in f.content for f in rendered)
    for f in rendered:
        if f.path.endswith(".py"):
            ast.parse(f.content, filename=f.path)
        text = (f.path + "\n" + f.content).lower()
        leftovers = [word for word in example if word in text]
        assert not leftovers, f"{f.path}: {leftovers} left from {record.source_task!r}"


def test_every_starter_s_slot_may_hold_a_name_of_several_words():
    # a one-word example leaves some forms unshown (/payments: /purchase-orders or /purchase_orders?), and such a
    # template refuses every name of several words; each starter's example has two words, so it shows them all
    one_word_only = [slug for slug, r in zip(SLUGS, RECORDS, strict=True) if not all(s["multiword"] for s in r.slots)]
    assert one_word_only == []


@pytest.mark.parametrize("index", range(len(SLUGS)), ids=SLUGS)
def test_the_starter_s_own_phrasing_with_a_multi_word_name_finds_it(db, index):
    record = RECORDS[index]
    new = _new_name(record.slots[0]["words"])
    asked = render_text(record.skeleton[0], {"entity": new})
    fit = find_template(db, asked, record.stack_key.split(","))
    assert fit is not None, asked
    assert fit.template_id == record.id and fit.bindings == {"entity": new}
    served = "\n".join(f"{f.path}\n{f.content}" for f in fit.files)
    spelled = {m.group(2) for f in record.files for m in PLACEHOLDER.finditer(f["path"] + f["content"])}
    forms = name_forms(new)
    assert "snake" in spelled or "snake_plural" in spelled
    assert forms["snake"] in served  # purchase_order, in identifiers or file names
    if "pascal" in spelled:  # every starter but the migration, which defines no class
        assert forms["pascal"] in served
    assert [key for key in sorted(spelled) if forms[key] not in served] == []


# A name of several words as people write it in a task: PascalCase or lower-case words.
MULTI_WORD_CRUD = [
    (
        "CRUD API for PurchaseOrder records",
        "fastapi",
        ["app/routers/purchase_orders.py", "app/schemas/purchase_order.py"],
    ),
    ("CRUD API for time entry records", "fastapi", ["app/routers/time_entries.py", "app/schemas/time_entry.py"]),
    ("CRUD API for time entry records", "flask", ["app/time_entries.py"]),
]


@pytest.mark.parametrize("task, framework, paths", MULTI_WORD_CRUD, ids=[f"{t} [{f}]" for t, f, _ in MULTI_WORD_CRUD])
def test_a_multi_word_name_in_any_written_form_is_served_from_the_crud_starters(db, task, framework, paths):
    slug = {"fastapi": "fastapi-crud-router", "flask": "flask-crud-blueprint"}[framework]
    fit = find_template(db, task, ["python", framework])
    assert fit is not None and fit.template_id == RECORDS[SLUGS.index(slug)].id, task
    words = ["purchase", "order"] if "PurchaseOrder" in task else ["time", "entry"]
    assert fit.bindings == {"entity": words} and [f.path for f in fit.files] == paths
    assert f'"/{name_forms(words)["kebab_plural"]}"' in fit.files[0].content  # the URL prefix


def test_the_default_task_of_make_run_is_served_from_the_fastapi_starter(db):
    fit = find_template(db, "CRUD API for Customer records", ["python", "fastapi"])
    assert fit is not None and fit.template_id == RECORDS[SLUGS.index("fastapi-crud-router")].id
    assert fit.bindings == {"entity": ["customer"]}
    assert [f.path for f in fit.files] == ["app/routers/customers.py", "app/schemas/customer.py"]


def test_every_starter_has_a_paraphrase():
    assert sorted((p[0], p[1]) for p in PARAPHRASES) == sorted(BY_TASK)


@pytest.mark.parametrize("source_task, stack_key, task, stack, entity", PARAPHRASES, ids=[p[2] for p in PARAPHRASES])
def test_the_starter_s_own_phrasing_with_another_name_finds_it(db, source_task, stack_key, task, stack, entity):
    record = BY_TASK[(source_task, stack_key)]
    asked = render_text(record.skeleton[0], {"entity": entity.split()})
    fit = find_template(db, asked, stack_key.split(","))
    assert fit is not None, asked
    assert fit.template_id == record.id
    assert fit.bindings == {"entity": entity.split()}
    snake = name_forms(entity.split())["snake"]
    assert any(snake in f.path or snake in f.content for f in fit.files)


@pytest.mark.parametrize("source_task, stack_key, task, stack, entity", PARAPHRASES, ids=[p[2] for p in PARAPHRASES])
def test_a_paraphrase_in_other_words_is_left_to_the_fit_check(db, source_task, stack_key, task, stack, entity):
    assert find_template(db, task, stack) is None


@pytest.mark.parametrize("task, stack", NEAR_MISSES, ids=[f"{t} [{','.join(s)}]" for t, s in NEAR_MISSES])
def test_near_misses_do_not_fit(db, task, stack):
    assert find_template(db, task, stack) is None


def test_the_same_task_in_another_starter_stack_gets_that_stack_s_starter(db):
    fit = find_template(db, "CRUD API for Vendor records", ["python", "flask"])
    assert fit is not None and fit.template_id == BY_TASK[("CRUD API for Product Category records", "flask,python")].id
    assert find_template(db, "CRUD API for Vendor records", ["python", "django"]) is None


def test_a_fresh_database_is_seeded_with_the_starters(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/fresh.db")
    fit = find_template(db, "Pytest tests for the Vendor repository", ["python", "pytest"])
    assert fit is not None and fit.bindings == {"entity": ["vendor"]}
    assert sum(r.origin == "starter" for r in TemplateStore(db).list()) == len(RECORDS)


def test_a_starter_that_cannot_be_parameterized_is_named_in_the_error(tmp_path):
    bad = tmp_path / "no-entity-in-code"
    (bad / "files").mkdir(parents=True)
    (bad / "starter.toml").write_text(
        'task = "CRUD API for Customer records"\nstack = ["python"]\ndescription = "broken"\n'
    )
    (bad / "files" / "app.py").write_text('"""Nothing named here."""\n')
    with pytest.raises(StarterError, match="no-entity-in-code"):
        starter_records(tmp_path)
    (bad / "starter.toml").write_text('task = ""\nstack = ["python"]\n')
    with pytest.raises(StarterError, match="no-entity-in-code.*task"):
        starter_records(tmp_path)


# A word the library writes right after a name ("the ⟦entity⟧ table" of the migration starter, "⟦entity⟧ records" of
# the CRUD ones) may end a request's sentence after the name, outside it: nothing on its right closes the name, so
# "the invoice table" cannot tell a table of invoices from an entity called "invoice table".
OPEN_EDGE = [
    ("SQLAlchemy model for the invoice table", ["python", "sqlalchemy"], None),
    ("SQLAlchemy model for the invoices table", ["python", "sqlalchemy"], None),
    ("Pydantic schemas for the shipment records", ["python", "pydantic"], None),
    ("Django model for Vendor Accounts", ["python", "django"], None),  # "⟦entity⟧ accounts": the JWT starter's
    ("SQLAlchemy model for InvoiceTable", ["python", "sqlalchemy"], ["invoice", "table"]),  # one identifier: its name
    ("SQLAlchemy model for the purchase order", ["python", "sqlalchemy"], ["purchase", "order"]),  # never after one
    ("SQLAlchemy model for the invoice", ["python", "sqlalchemy"], ["invoice"]),
    ("CRUD API for time entry records", ["python", "fastapi"], ["time", "entry"]),  # "records" closes the name
]


@pytest.mark.parametrize("task, stack, name", OPEN_EDGE, ids=[t for t, _, _ in OPEN_EDGE])
def test_a_name_ending_in_a_word_written_after_names_with_nothing_after_it_is_a_miss(db, task, stack, name):
    fit = find_template(db, task, stack)
    if name is None:
        assert fit is None, f"{task!r} served with {fit.bindings if fit else None}"
    else:
        assert fit is not None and fit.bindings == {"entity": name}, task
