"""Template learning holds its invariants: slots only where the code defines names, names in every written form,
a fit only for the same requirements, renders that change no external name. Written from the failure classes,
each with code of its own (not the benchmark's)."""

from __future__ import annotations

import pytest

from contracts import GeneratedFile
from learning.code_sites import code_names
from learning.engine import build_record, find_template, learn_template
from learning.match import anchored_name, normalize_stack
from learning.parameterize import NotLearnable, check_render, parameterize, render
from storage import TemplateStore, open_database

MODEL = '''"""SQLAlchemy model of one {words}."""
from datetime import datetime

from sqlalchemy import DateTime, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    """Declarative base."""


class {pascal}(Base):
    """One {words} row."""

    __tablename__ = "{snake_plural}"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    total: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))


def get_{snake}(session: Session, {snake}_id: int) -> {pascal} | None:
    """The {words}, or None."""
    return session.scalars(select({pascal}).where({pascal}.id == {snake}_id)).first()
'''


def forms(words: str) -> dict[str, str]:
    parts = words.split()
    plural = [*parts[:-1], parts[-1] + ("es" if parts[-1].endswith(("s", "x")) else "s")]
    return {
        "words": words,
        "pascal": "".join(p.title() for p in parts),
        "snake": "_".join(parts),
        "snake_plural": "_".join(plural),
    }


def model(words: str) -> list[GeneratedFile]:
    return [GeneratedFile(path=f"app/models/{forms(words)['snake']}.py", content=MODEL.format(**forms(words)))]


@pytest.fixture
def db(tmp_path):
    database = open_database(f"sqlite:///{tmp_path}/t.db")
    store = TemplateStore(database)
    from learning.library import seed_starters

    seed_starters(database)
    for record in store.list():
        store.set_enabled(record.id, False)
    return database


STACK = ["python", "sqlalchemy"]


def test_a_slot_never_stands_inside_a_library_name():
    draft = parameterize("Define a SQLAlchemy model for time entry", model("time entry"))
    assert draft.slots[0].words == ["time", "entry"]
    assert "DateTime" in draft.files[0].content
    rendered = render(draft.files, {"entity": ["warehouse"]})[0].content
    assert "from sqlalchemy import DateTime, String, select" in rendered
    assert "class Warehouse(Base)" in rendered


def test_a_name_the_code_only_imports_is_never_a_slot():
    names = code_names(MODEL.format(**forms("invoice")))
    assert {"DateTime", "select", "mapped_column", "String"} <= set(names.external_names())
    assert "Invoice" in names.eligible and "DateTime" not in names.eligible


def test_library_overrides_and_parameters_a_library_reads_are_external():
    code = """from fastapi import FastAPI, Header
from pydantic import BaseModel


class Refund(BaseModel):
    model_config = {"frozen": True}
    amount: int


app = FastAPI()


@app.post("/refunds")
async def receive_refund(refund: Refund, x_signature: str = Header()) -> dict:
    return {"ok": refund.amount > 0, "signature": x_signature}
"""
    names = code_names(code)
    assert "model_config" not in names.eligible and "x_signature" not in names.eligible
    assert {"Refund", "receive_refund", "refund", "amount"} <= names.eligible


@pytest.mark.parametrize(
    "task",
    [
        "SQLAlchemy model for the PurchaseOrder table",
        "SQLAlchemy model for the purchase_order table",
        "SQLAlchemy model for the purchase order table",
        "SQLAlchemy model for the Purchase Order table",
    ],
)
def test_a_name_written_in_any_form_in_the_task_binds_all_its_forms(db, task):
    learn_template(db, "SQLAlchemy model for the sales invoice table", STACK, model("sales invoice"))
    fit = find_template(db, task, STACK)
    assert fit is not None and fit.bindings == {"entity": ["purchase", "order"]}
    content = fit.files[0].content
    assert "class PurchaseOrder(Base)" in content and '"purchase_orders"' in content
    assert "Purchaseorder" not in content


@pytest.mark.parametrize("name", ["line item", "status report", "time entry", "order line"])
def test_generic_words_inside_a_multi_word_name_stay_in_the_name(db, name):
    learn_template(db, "SQLAlchemy model for sales invoice records", STACK, model("sales invoice"))
    fit = find_template(db, f"SQLAlchemy model for {name} records", STACK)
    assert fit is not None and fit.bindings == {"entity": name.split()}


def test_ordinary_words_the_code_also_uses_are_no_slots():
    draft = parameterize("SQLAlchemy model for Invoice with a total column", model("invoice"))
    assert [s.words for s in draft.slots] == [["invoice"]]
    assert "total" in draft.pattern


@pytest.mark.parametrize(
    "request_task",
    [
        "SQLAlchemy model for Receipt records with soft delete",
        "SQLAlchemy model for Receipt records, async version",
        "SQLAlchemy model for Receipt records restricted to authenticated users",
        "SQLAlchemy model for Receipt records exported to CSV",
    ],
)
def test_an_added_requirement_is_a_miss(db, request_task):
    learn_template(db, "SQLAlchemy model for Invoice records", STACK, model("invoice"))
    assert find_template(db, "SQLAlchemy model for Receipt records", STACK) is not None
    assert find_template(db, request_task, STACK) is None


def test_a_version_that_changes_the_api_is_another_stack(db):
    learn_template(db, "SQLAlchemy model for Invoice", ["python", "sqlalchemy>=2"], model("invoice"))
    assert normalize_stack(["python", "sqlalchemy 2.0"]) == normalize_stack(["py", "SQLAlchemy>=2"])
    assert find_template(db, "SQLAlchemy model for Receipt", ["python", "sqlalchemy 2.0"]) is not None
    assert find_template(db, "SQLAlchemy model for Receipt", ["python", "sqlalchemy 1.4"]) is None
    assert find_template(db, "SQLAlchemy model for Receipt", ["python", "sqlalchemy"]) is None


def test_a_render_that_would_change_an_external_name_is_refused():
    source = model("invoice")
    draft = parameterize("SQLAlchemy model for Invoice", source)
    assert check_render(source, render(draft.files, {"entity": ["receipt"]})) is None
    # "Session" is the library's: a request naming its entity "Session" would shadow it
    assert check_render(source, render(draft.files, {"entity": ["session"]})) is not None


def test_a_request_whose_name_collides_with_the_code_gets_no_fit(db):
    learn_template(db, "SQLAlchemy model for Invoice", STACK, model("invoice"))
    assert find_template(db, "SQLAlchemy model for Session", STACK) is None


def test_code_without_a_name_it_defines_is_not_learnable():
    code = [GeneratedFile(path="app/main.py", content='"""Hello."""\n\nprint("hello")\n')]
    with pytest.raises(NotLearnable):
        parameterize("Print a greeting for Customer", code)


def test_the_same_code_learned_from_another_phrasing_is_one_template_with_two_phrasings(db):
    first = learn_template(db, "SQLAlchemy model for Sales Invoice", STACK, model("sales invoice"))
    second = learn_template(db, "ORM class for the credit note table", STACK, model("credit note"))
    assert first.created and not second.created and first.template_id == second.template_id
    record = TemplateStore(db).get(first.template_id)
    assert len(record.skeleton) == 2
    fit = find_template(db, "ORM class for the purchase order table", STACK)
    assert fit is not None and fit.bindings == {"entity": ["purchase", "order"]}


def test_a_one_word_source_serves_names_of_several_words_only_once_a_longer_one_shows_the_forms(db):
    # '"invoices"' could be written "purchase_orders" or "purchase-orders" for two words: a guess, so no fit
    learned = learn_template(db, "SQLAlchemy model for Invoice", STACK, model("invoice"))
    assert TemplateStore(db).get(learned.template_id).slots[0]["multiword"] is False
    assert find_template(db, "SQLAlchemy model for Receipt", STACK) is not None
    assert find_template(db, "SQLAlchemy model for Purchase Order", STACK) is None
    again = learn_template(db, "SQLAlchemy model for Credit Note", STACK, model("credit note"))
    assert again.template_id == learned.template_id and not again.created
    fit = find_template(db, "SQLAlchemy model for Purchase Order", STACK)
    assert fit is not None and '"purchase_orders"' in fit.files[0].content


def test_a_name_of_two_words_is_read_whole_in_any_case(db):
    learn_template(db, "SQLAlchemy model for Sales Invoice", STACK, model("sales invoice"))
    record = build_record("SQLAlchemy model for Sales Invoice", STACK, model("sales invoice"))
    assert [s["words"] for s in record.slots] == [["sales", "invoice"]]
    assert find_template(db, "SQLAlchemy model for credit note", STACK).bindings == {"entity": ["credit", "note"]}


def test_a_paraphrase_binding_needs_the_same_neighbours_and_a_name_written_as_one():
    phrasings = ["Retrying REST client for the ⟦entity:title⟧ API"]
    assert anchored_name("HTTP client for the Weather Report API with retries", phrasings, set()) == [
        "weather",
        "report",
    ]
    assert anchored_name("HTTP client for the weather report API", phrasings, set()) is None
    assert anchored_name("HTTP client for Weather Report endpoints", phrasings, set()) is None


def test_a_title_case_word_that_opens_a_phrase_is_no_name_by_its_case():
    from learning.match import written_name

    # after a colon "Sales" is capitalized as the phrase's first word, not as a name: "sale" would be a guess
    assert written_name("Schemas: Sales tax rate - base, create and read models", "pydantic@2,python", set()) is None
    assert written_name("SQLAlchemy model: Time Entry, old 1.x style", "python,sqlalchemy@1", set()) is None
    assert written_name("Write schemas for the Sales Tax Rate resource", "pydantic@2,python", set()) == [
        "sales",
        "tax",
        "rate",
    ]


ROUTES = '''"""Routes for {words} records."""
from fastapi import APIRouter

from app.models import {pascal}, {pascal}Update

router = APIRouter(prefix="/{kebab_plural}")


@router.post("/")
def create_{snake}(payload: dict) -> dict:
    """Create one {words}."""
    return {pascal}(**payload).dump()


@router.get("/{{item_id}}")
def read_{snake}(item_id: int) -> dict:
    """Read one {words}."""
    return {pascal}.load(item_id).dump()


@router.patch("/{{item_id}}")
def update_{snake}(item_id: int, payload: {pascal}Update) -> dict:
    """Update one {words}."""
    return {pascal}.load(item_id).apply(payload).dump()


@router.delete("/{{item_id}}")
def delete_{snake}(item_id: int) -> None:
    """Delete one {words}."""
    {pascal}.load(item_id).remove()
'''


def routes(words: str) -> list[GeneratedFile]:
    f = forms(words)
    f["kebab_plural"] = f["snake_plural"].replace("_", "-")
    return [GeneratedFile(path=f"app/routers/{f['snake_plural']}.py", content=ROUTES.format(**f))]


@pytest.mark.parametrize(
    "task",
    [
        "{title} API: create/read/update/delete endpoints",
        "read/update/delete routes for {words} records",
        "Endpoints for {words} records with create/update",
    ],
)
@pytest.mark.parametrize("name", ["leave request", "invoice"])
def test_words_joined_by_slashes_in_prose_are_alternatives_not_names(db, task, name):
    title = " ".join([name.split()[0].title(), *name.split()[1:]])
    record = build_record(task.format(title=title, words=name), ["python", "fastapi"], routes(name))
    assert [s["words"] for s in record.slots] == [name.split()]


def test_a_route_path_in_the_task_is_a_name_written_as_an_identifier(db):
    record = build_record(
        "Routes under `/leave-requests`: create, read", ["python", "fastapi"], routes("leave request")
    )
    assert [s["words"] for s in record.slots] == [["leave", "request"]]


SEARCH = '''"""Search {words} records."""
from fastapi import APIRouter, Query

router = APIRouter()


@router.get("/{snake_plural}")
def search_{snake_plural}(q: str = Query(default="")) -> list[dict]:
    """The {words} records whose title holds q."""
    {snake}_rows = [{{"title": "first"}}]
    return [{snake} for {snake} in {snake}_rows if q in {snake}["title"]]
'''


@pytest.mark.parametrize("name", [["q"], ["query"]])
def test_a_render_may_not_turn_an_own_name_into_one_the_code_takes_from_elsewhere(name):
    files = [GeneratedFile(path="app/search.py", content=SEARCH.format(**forms("ticket")))]
    draft = parameterize("Search endpoint for ticket records", files)
    rendered = render(draft.files, {"entity": name})
    problem = check_render(files, rendered)
    # `q` is a parameter FastAPI reads by name: an entity named "q" would make the loop variable that parameter
    assert (problem is not None) == (name == ["q"])


@pytest.mark.parametrize(
    "singular,plural", [("analysis", "analyses"), ("diagnosis", "diagnoses"), ("thesis", "theses"), ("basis", "bases")]
)
def test_greek_nouns_in_sis_take_ses(singular, plural):
    from learning.forms import name_forms, pluralize

    assert pluralize(singular) == plural
    assert name_forms(["risk", singular])["snake_plural"] == f"risk_{plural}"


PAGER = '''"""Download every {words} from the carrier API into a JSON Lines file."""
import json
from pathlib import Path

import requests

BASE_URL = "https://carrier.example.com"


def iter_{snake_plural}(session: requests.Session):
    """Yield every {words}, following `page_token` until the last page."""
    page_token = None
    while True:
        params = {{"page_token": page_token}} if page_token else {{}}
        page = session.get(f"{{BASE_URL}}/v1/{kebab_plural}", params=params, timeout=10).json()
        yield from page["items"]
        page_token = page.get("page_token")
        if not page_token:
            return


def save_{snake_plural}(output: Path) -> int:
    """Write all {words} records to `output`; return how many."""
    with requests.Session() as session, output.open("w", encoding="utf-8") as fh:
        count = 0
        for {snake} in iter_{snake_plural}(session):
            fh.write(json.dumps({snake}) + "\\n")
            count += 1
    return count
'''


def test_a_code_term_the_task_writes_as_an_identifier_is_not_the_entity_the_code_is_about():
    f = forms("shipping label")
    f["kebab_plural"] = f["snake_plural"].replace("_", "-")
    files = [GeneratedFile(path="sync_labels.py", content=PAGER.format(**f))]
    task = "Script that downloads every shipping label from the carrier API (it pages with `page_token`) to a file"
    record = build_record(task, ["python", "requests"], files)
    assert [s["words"] for s in record.slots] == [["shipping", "label"]]


def test_a_request_quoting_a_fixed_name_of_the_template_does_not_bind_it_as_the_entity():
    from learning.match import identifier_name

    texts = ["def search_\u27e6entity:snake_plural\u27e7(q: str) -> list:\n    \u27e6entity:snake\u27e7 = q\n"]
    assert identifier_name("Search route for vehicles with a `q` text filter", texts) is None
    assert identifier_name("Search route with a `vehicle` filter", texts) == ["vehicle"]


ROUTER = '''"""HTTP routes of the {words} resource."""
from fastapi import APIRouter

router = APIRouter(prefix="/{route}", tags=["{route}"])
STORE: dict[int, dict] = {{}}


@router.get("")
def list_{snake_plural}() -> list[dict]:
    """Every {words}."""
    return list(STORE.values())
'''
WEB = ["python", "fastapi"]


def router(words: str) -> list[GeneratedFile]:
    f = forms(words)
    route = f["snake_plural"].replace("_", "-")
    return [GeneratedFile(path=f"app/{f['snake']}_routes.py", content=ROUTER.format(route=route, **f))]


@pytest.mark.parametrize("one_word_first", [True, False], ids=["one-word name first", "several-word name first"])
def test_the_same_code_from_a_one_word_and_a_several_word_name_is_one_template_that_takes_both(db, one_word_first):
    """A one-word source cannot show how a route writes two words ("/invoices": kebab or snake?); once the same
    code for a longer name shows it, one template serves both, with the phrasings of both."""
    learned = [
        ("Routes for the Invoice resource", router("invoice")),
        ("HTTP routes of the credit note resource", router("credit note")),
    ]
    for task, files in learned if one_word_first else reversed(learned):
        learn_template(db, task, WEB, files)
    enabled = [t for t in TemplateStore(db).list() if t.enabled and t.stack_key == normalize_stack(WEB)]
    assert len(enabled) == 1, [t.name for t in enabled]
    assert enabled[0].slots[0]["multiword"] is True
    fit = find_template(db, "Routes for the Purchase Order resource", WEB)  # the one-word source's phrasing
    assert fit is not None and 'prefix="/purchase-orders"' in fit.files[0].content
    assert find_template(db, "HTTP routes of the receipt resource", WEB) is not None


SERVICE_TESTS = '''"""Tests of the {words} service."""
import unittest

from acme.{snake}_service import {pascal}Service


class {pascal}ServiceTest(unittest.TestCase):
    def setUp(self) -> None:
        self.service = {pascal}Service()

    def test_list(self) -> None:
        self.assertEqual(self.service.list_{snake_plural}(), [])
'''


def test_a_name_inside_an_attribute_of_an_object_the_code_does_not_define_is_not_learnable():
    """``self.service.list_sales_invoices()``: whether a new name renames it is not the code's to say (it is the
    service's): renaming the rest would call a method that does not exist, so the code is not learned."""
    files = [
        GeneratedFile(
            path="tests/test_sales_invoice_service.py", content=SERVICE_TESTS.format(**forms("sales invoice"))
        )
    ]
    with pytest.raises(NotLearnable, match="list_sales_invoices"):
        parameterize("unittest tests for the Sales Invoice service", files)


TABLE = '''"""The {words} table."""
from sqlalchemy import Column, Integer, MetaData, String, Table, select

metadata = MetaData()
{snake_plural} = Table("{snake_plural}", metadata, Column("id", Integer, primary_key=True), Column("name", String))


def all_{snake_plural}(conn):
    return conn.execute(select({snake_plural})).all()
'''


def table(words: str, plural: str | None = None) -> list[GeneratedFile]:
    f = forms(words) | ({"snake_plural": plural} if plural else {})
    return [GeneratedFile(path=f"app/{f['snake']}_table.py", content=TABLE.format(**f))]


def test_a_word_read_as_singular_where_the_phrasing_says_a_plural_is_a_miss(db):
    """ "for cacti" where the template says "for sales invoices": a plural we cannot write ("cacti" read as one
    cacti would give ``cactis``) is unsure, so a miss; a plural we can write fits."""
    learn_template(db, "SQLAlchemy Core table and queries for sales invoices", STACK, table("sales invoice"))
    assert find_template(db, "SQLAlchemy Core table and queries for cacti", STACK) is None
    fit = find_template(db, "SQLAlchemy Core table and queries for receipts", STACK)
    assert fit is not None and "receipts = Table(" in fit.files[0].content


@pytest.mark.parametrize(
    "task_word,singular,plural",
    [("alumni", "alumnus", "alumni"), ("criteria", "criterion", "criteria"), ("lives", "life", "lives")],
)
def test_irregular_plurals_in_the_task_are_read_and_written(db, task_word, singular, plural):
    """Invariant 2: "for alumni" is the name "alumnus", whose every form the code gets (``alumni = Table(``,
    ``app/alumnus_table.py``), not a miss and not ``alumnis``."""
    learn_template(db, "SQLAlchemy Core table and queries for sales invoices", STACK, table("sales invoice"))
    fit = find_template(db, f"SQLAlchemy Core table and queries for {task_word}", STACK)
    assert fit is not None and fit.bindings == {"entity": [singular]}
    code = fit.files[0].content
    assert fit.files[0].path == f"app/{singular}_table.py"
    assert f"{plural} = Table(" in code and f"def all_{plural}(" in code and f"{plural}s" not in code


@pytest.mark.parametrize(
    "name, plural",
    [("cost matrix", "cost_matrices"), ("turning radius", "turning_radii"), ("appendix", "appendices")],
)
def test_code_that_writes_a_plural_we_do_not_write_is_not_learned(name, plural):
    """A word English pluralizes two ways (matrixes / matrices), written by the code the way the engine does not:
    that spelling is not found as the name, and a render for another name would leave it behind
    (``cost_matrices`` in the code of a "warehouse"). Not learned, rather than learned with a remnant."""
    with pytest.raises(NotLearnable):
        parameterize(f"SQLAlchemy Core table and queries for the {name} records", table(name, plural))


@pytest.mark.parametrize(
    "task_name, title, words",
    [("cost matrices", "Cost Matrix", ["cost", "matrix"]), ("vertices", "Vertex", ["vertex"])],
)
def test_a_name_with_two_plurals_is_a_miss_where_the_template_writes_a_plural(db, task_name, title, words):
    """Read right ("vertices" is "vertex", not "vertice"), but how this code would write its plural
    (vertexes or vertices) is a guess: a miss where the template writes the plural, served where it writes none."""
    learn_template(db, "SQLAlchemy Core table and queries for sales invoices", STACK, table("sales invoice"))
    assert find_template(db, f"SQLAlchemy Core table and queries for {task_name}", STACK) is None
    singular_table = MODEL.replace('"{snake_plural}"', '"{snake}"')  # a model whose code writes no plural
    f = forms("sales invoice")
    code = [GeneratedFile(path="app/models/sales_invoice.py", content=singular_table.format(**f))]
    learn_template(db, "SQLAlchemy model for the Sales Invoice table", STACK, code)
    fit = find_template(db, f"SQLAlchemy model for the {title} table", STACK)
    assert fit is not None and fit.bindings == {"entity": words}
    assert f'__tablename__ = "{"_".join(words)}"' in fit.files[0].content


def test_plurals_english_writes_two_ways_are_known_and_read_back():
    from learning.forms import other_plurals, plural_unsure, singularize

    assert singularize("vertices") == "vertex" and singularize("matrices") == "matrix"
    assert singularize("radii") == "radius" and singularize("devices") == "device"
    assert "vertices" in other_plurals("vertex") and other_plurals("invoice") == frozenset()
    assert plural_unsure(["cost", "matrix"]) and not plural_unsure(["matrix", "row"])


SETTINGS = '''"""Settings of the {words} service."""
from pydantic_settings import BaseSettings, SettingsConfigDict


class {pascal}ServiceSettings(BaseSettings):
    """What the {words} service reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="{upper}_")
    status: str = "active"
    status_filter: str = "open"
    timeout_s: float = 5.0


def load_{snake}_settings() -> {pascal}ServiceSettings:
    """The {words} service's settings."""
    return {pascal}ServiceSettings()
'''


def settings_code(words: str) -> list[GeneratedFile]:
    f = forms(words) | {"upper": words.upper().replace(" ", "_")}
    return [GeneratedFile(path=f"app/{f['snake']}_settings.py", content=SETTINGS.format(**f))]


@pytest.mark.parametrize("name", ["status report", "time entry"])
def test_a_name_in_sentence_case_inside_a_sentence_is_the_name_the_code_spells(name):
    """ "the Status report service": a run in sentence case is one name where the code spells it as one
    (``StatusReportServiceSettings``, ``STATUS_REPORT_``), not its first word ("status" is also a field)."""
    title = name[0].upper() + name[1:]
    record = build_record(
        f"Configuration of the {title} service, read from env vars",
        ["python", "pydantic-settings"],
        settings_code(name),
    )
    assert [s["words"] for s in record.slots] == [name.split()]


CLI = '''"""Remove one {words} from the JSON file."""
import argparse
import json
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(prog="{snake_plural}")
    parser.add_argument("{snake}_id", type=int)
    args = parser.parse_args()
    path = Path("{snake_plural}.json")
    items = [i for i in json.loads(path.read_text()) if i["id"] != args.{snake}_id]
    path.write_text(json.dumps(items))
'''


def test_an_attribute_the_code_declares_by_name_to_a_call_is_its_own():
    """``add_argument("sales_invoice_id")`` then ``args.sales_invoice_id``: the code names that attribute itself,
    so a new name renames the declaration and the attribute together."""
    files = [GeneratedFile(path="cli/remove.py", content=CLI.format(**forms("sales invoice")))]
    draft = parameterize("argparse command to remove a Sales Invoice from the JSON file", files)
    [rendered] = render(draft.files, {"entity": ["purchase", "order"]})
    assert 'add_argument("purchase_order_id", type=int)' in rendered.content
    assert 'i["id"] != args.purchase_order_id' in rendered.content


QUEUE = '''"""A bounded print queue of {words_plural}."""
from collections import deque
from dataclasses import dataclass

{upper}_MAX = 50
{upper}_PRINT_TIMEOUT = 30


@dataclass(frozen=True)
class {pascal}PrintJob:
    """One {words} to print."""

    reference: str


class {pascal}PrintQueue:
    """At most {upper}_MAX {words_plural} wait; the oldest prints first."""

    def __init__(self, size: int = {upper}_MAX) -> None:
        """An empty queue of size jobs."""
        self.jobs: deque[{pascal}PrintJob] = deque(maxlen=size)

        self.timeout = {upper}_PRINT_TIMEOUT

    def push(self, job: {pascal}PrintJob) -> None:
        """Queue one {words}."""
        self.jobs.append(job)


def {snake}_print_queue() -> {pascal}PrintQueue:
    """A new queue."""
    return {pascal}PrintQueue()
'''


def filled(template: str, path: str, words: str) -> list[GeneratedFile]:
    """``template`` for the name ``words`` (regular plural)."""
    parts = words.split()
    values = {
        "words": words,
        "words_plural": words + "s",
        "pascal": "".join(p.title() for p in parts),
        "snake": "_".join(parts),
        "upper": "_".join(parts).upper(),
    }
    return [GeneratedFile(path=path, content=template.format(**values))]


def queue(words: str) -> list[GeneratedFile]:
    return filled(QUEUE, "app/print_queue.py", words)


QUEUE_STACK = ["python"]


@pytest.mark.parametrize(
    "task", ["ShippingLabelPrintQueue.push(job) on a bounded deque", "shipping_label_print_queue()"]
)
def test_a_name_that_leaves_its_own_leading_words_in_the_code_is_the_shorter_name(db, task):
    # "shipping label print" heads every class, but the code writes "shipping label" alone too (SHIPPING_LABEL_MAX,
    # "shipping labels"): slotting the longer name would leave the source's name behind in every render
    draft = parameterize(task, queue("shipping label"))
    assert [s.words for s in draft.slots] == [["shipping", "label"]]
    learn_template(db, task, QUEUE_STACK, queue("shipping label"))
    other = task.replace("ShippingLabel", "ReturnParcel").replace("shipping_label", "return_parcel")
    fit = find_template(db, other, QUEUE_STACK)
    assert fit is not None and fit.bindings == {"entity": ["return", "parcel"]}
    assert fit.files[0].content == queue("return parcel")[0].content
    assert "shipping" not in fit.files[0].content.lower()


def test_a_leftover_of_one_word_does_not_shorten_a_name(db):
    # "status report": the code's own "status" field is no sign that the name is "status"
    draft = parameterize("SQLAlchemy model for Status Report", model("status report"))
    assert [s.words for s in draft.slots] == [["status", "report"]]


def test_a_request_must_say_each_requirement_word_as_often_as_the_phrasing(db):
    # The phrasing's "⟦entity⟧ exports" names a thing ("invoice exports"); a request that says "exports" only
    # elsewhere shares the words of the phrasing but not what it asks for.
    code = [
        GeneratedFile(
            path="app/exports.py",
            content='''"""Write invoice exports to exports/invoice/."""
from pathlib import Path

INVOICE_DIR = Path("exports/invoice")


def write_invoice(reference: str, body: str) -> Path:
    """Write one invoice export."""
    path = INVOICE_DIR / f"{reference}.txt"
    path.write_text(body)
    return path
''',
        )
    ]
    task = "Write our invoice exports as text files; exports go to exports/invoice/"
    learned = learn_template(db, task, ["python"], code, names=[("invoice",)])
    assert learned.learned, learned.reason
    assert find_template(db, "Write our receipt exports as text files; exports go to exports/receipt/", ["python"])
    # "receipts" where the phrasing says "invoice exports": the same set of words, one "exports" fewer
    assert find_template(db, "Write our receipts as text files; exports go to exports/receipt/", ["python"]) is None


POLLER = '''"""Poll the sync endpoint for each of our {words_plural}."""
from dataclasses import dataclass

{upper}_LIMIT = 20
{upper}_SYNC_INTERVAL = 60


@dataclass(frozen=True)
class {pascal}SyncResult:
    """What one pass synced."""

    synced: int


class {pascal}SyncPoller:
    """Sync at most {upper}_LIMIT {words_plural} every {upper}_SYNC_INTERVAL seconds."""

    def run_once(self, pending: list[str]) -> {pascal}SyncResult:
        """One pass over the pending ids."""
        return {pascal}SyncResult(synced=len(pending[:{upper}_LIMIT]))


def {snake}_sync_poller() -> {pascal}SyncPoller:
    """A new poller."""
    return {pascal}SyncPoller()
'''


def poller(words: str) -> list[GeneratedFile]:
    return filled(POLLER, "app/poller.py", words)


def test_a_name_the_code_only_writes_glued_to_more_words_is_its_part_the_code_writes_whole(db):
    # "device sync" heads every class and stands in three forms, but never whole (DeviceSyncPoller,
    # DEVICE_SYNC_INTERVAL): "device" does ("devices"), and is the name
    draft = parameterize("DeviceSyncPoller.run_once(pending) polling the sync endpoint", poller("device"))
    assert [s.words for s in draft.slots] == [["device"]]
    # a name of two words the code writes whole is kept whole
    draft = parameterize("ParkingMeterSyncPoller.run_once(pending) polling the sync endpoint", poller("parking meter"))
    assert [s.words for s in draft.slots] == [["parking", "meter"]]


DUNDER = '''"""The {words} entry point."""


class {pascal}:
    """The {words} step."""

    def __init__(self) -> None:
        """Nothing to set up."""
        self.label = "{words}"

    def __repr__(self) -> str:
        """Its label."""
        return self.label


def {snake}() -> None:
    """Run the step."""
    print({pascal}())


if __name__ == "__main__":
    {snake}()
'''


@pytest.mark.parametrize("name", ["main", "init"])
def test_pythons_own_dunder_names_are_never_slots(name):
    # "__main__", __init__, __repr__ are the language's: a render for another name keeps them
    files = filled(DUNDER, "app/entry.py", name)
    draft = parameterize(f"Entry point script whose step is the {name.title()} function", files)
    rendered = render(draft.files, {"entity": ["report"]})[0].content
    assert rendered == filled(DUNDER, "app/entry.py", "report")[0].content
    assert 'if __name__ == "__main__":' in rendered and "def __init__(self)" in rendered


@pytest.mark.parametrize("word, plural", [("alias", "aliases"), ("canvas", "canvases"), ("lens", "lenses")])
def test_a_singular_ending_in_s_is_read_as_itself_not_as_a_plural(db, word, plural):
    # "Alias" is one alias (inflect writes it "aliases"), not the plural of an "alia"
    learn_template(db, "SQLAlchemy model for Sales Invoice", STACK, model("sales invoice"))
    fit = find_template(db, f"SQLAlchemy model for {word.title()}", STACK)
    assert fit is not None and fit.bindings == {"entity": [word]}
    assert f"class {word.title()}(Base)" in fit.files[0].content
    assert f'__tablename__ = "{plural}"' in fit.files[0].content
