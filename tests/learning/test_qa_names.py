"""QA findings on names: keywords, descriptive words, one name split in two, non-ASCII letters, generic tails."""

import ast

import pytest

from learning.engine import build_record, find_template, learn_template
from learning.match import readings, safe_value
from learning.names import candidate_names
from learning.parameterize import TemplateFile
from storage import TemplateStore, open_database

STACK = ["python", "q2o-testkit"]  # a stack no starter template uses
REPOSITORY = '''"""An in-memory repository of invoices."""
from dataclasses import dataclass


@dataclass
class Invoice:
    """One invoice."""

    id: int


class InvoiceRepository:
    """An in-memory repository for invoices."""

    def __init__(self) -> None:
        self._invoices: dict[int, Invoice] = {}

    def add_invoice(self, invoice: Invoice) -> None:
        self._invoices[invoice.id] = invoice

    def get_invoice(self, invoice_id: int) -> Invoice | None:
        return self._invoices.get(invoice_id)
'''
DATACLASS = '''"""The invoice record."""
from dataclasses import dataclass


@dataclass
class Invoice:
    """One invoice."""

    id: int
    name: str
'''
REPO_TASK = "In-memory repository for Invoice records"


@pytest.fixture
def db(tmp_path):
    return open_database(f"sqlite:///{tmp_path}/t.db")


def _learn(db, task, code, path="app/invoices.py", **kw):
    return learn_template(db, task, STACK, [TemplateFile(path=path, content=code)], quality_score=95.0, **kw)


def _slots(db, outcome):
    return [s["words"] for s in TemplateStore(db).get(outcome.template_id).slots]


# 1. Python keywords
@pytest.mark.parametrize("words", [["pass"], ["global"], ["raise"], ["class"], ["match"], ["case"], ["type"]])
def test_a_keyword_is_no_slot_value(words):
    assert not safe_value(words)


def test_keyword_names_get_no_fit_and_the_template_keeps_serving(db):
    outcome = _learn(db, REPO_TASK, REPOSITORY)
    assert outcome.learned, outcome.reason
    for name in ("Pass", "Global", "Raise", "Match"):
        assert find_template(db, f"In-memory repository for {name} records", STACK, 0.8) is None, name
    fit = find_template(db, "In-memory repository for Passenger records", STACK, 0.8)
    assert fit is not None and fit.bindings == {"entity": ["passenger"]}
    assert "def add_passenger(self, passenger: Passenger)" in fit.files[0].content
    ast.parse(fit.files[0].content)
    assert safe_value(["pass", "record"])  # pass_record is a fine identifier


# 2. Descriptive words are no names; one name is not split over two slots
@pytest.mark.parametrize("task, expected", [
    (REPO_TASK, [("invoice",)]),
    ("JSON mapping for Invoice", [("invoice",)]),
    ("Invoice JSON mapping", [("invoice",)]),
    ("Login check for Partner accounts", [("partner", "account"), ("partner",), ("account",)]),
    ("HMAC-verified webhook receiver for payment events", [("payment",)]),
    ("CRUD API for purchase-order records", [("purchase", "order"), ("purchase",), ("order",)]),
])
def test_descriptive_words_are_no_names(task, expected):
    assert candidate_names(task) == expected


def test_an_in_memory_repository_learns_one_slot(db):
    outcome = _learn(db, REPO_TASK, REPOSITORY)
    assert outcome.learned and _slots(db, outcome) == [["invoice"]]
    code = REPOSITORY.replace("Invoice", "Partner").replace("invoice", "partner")
    outcome = _learn(db, "Login check for Partner accounts", code, path="app/partners.py")
    assert outcome.learned and _slots(db, outcome) == [["partner"]]
    outcome = _learn(db, "JSON mapping for Invoice", DATACLASS)
    assert outcome.learned and _slots(db, outcome) == [["invoice"]]


def test_the_in_memory_template_serves_a_multi_word_name_whole(db):
    assert _learn(db, REPO_TASK, REPOSITORY).learned
    fit = find_template(db, "In-memory repository for Purchase Order records", STACK, 0.8)
    assert fit is not None and fit.bindings == {"entity": ["purchase", "order"]}
    assert "class PurchaseOrder:" in fit.files[0].content and "in-memory" in fit.files[0].content
    assert find_template(db, "Repository for Purchase Order records", STACK, 0.8) is None


def test_the_old_false_hit_a_name_split_over_two_slots_is_no_fit(db):
    # the template learned before the fix: entity=memory, entity2=invoice
    outcome = _learn(db, REPO_TASK, REPOSITORY, names=[("memory",), ("invoice",)])
    assert outcome.learned and _slots(db, outcome) == [["memory"], ["invoice"]]
    assert [r.bindings for r in readings("Repository for Purchase Order records", STACK) if len(r.bindings) > 1] == []
    assert find_template(db, "Repository for Purchase Order records", STACK, 0.8) is None


def test_two_names_apart_still_read_as_two_slots():
    assert any(r.bindings == {"entity": ["total"], "entity2": ["purchase", "order"]}
               for r in readings("Python function to compute the total of a Purchase Order", STACK))


def test_two_names_side_by_side_are_not_learned_as_two_slots():
    code = "def order_purchase(purchase, order):\n    return purchase, order\n"
    with pytest.raises(ValueError):
        build_record("Function for Purchase Order", STACK, [TemplateFile(path="app/po.py", content=code)])


# 3. Non-ASCII letters: refused, never cut short
def test_a_non_ascii_name_is_refused_not_cut(db):
    assert candidate_names("Dataclass for Café records") == [("café",)]
    assert not safe_value(["café"])
    assert _learn(db, "Dataclass for Invoice records", DATACLASS).learned
    assert find_template(db, "Dataclass for Café records", STACK, 0.8) is None
    cafe = DATACLASS.replace("Invoice", "Café").replace("invoice", "café")
    assert not _learn(db, "Dataclass for Café records", cafe, path="app/cafe.py").learned


# 4. A Title-case generic noun after a Title-case name ends that name
@pytest.mark.parametrize("task, words, cls", [
    ("Dataclass for Line Item records", ["line", "item"], "LineItem"),
    ("Dataclass for Journal Entry records", ["journal", "entry"], "JournalEntry"),
    ("Dataclass for Customer entries", ["customer"], "Customer"),
    ("Dataclass for Customer items", ["customer"], "Customer"),
])
def test_a_title_case_generic_tail_stays_in_the_name(db, task, words, cls):
    assert _learn(db, "Dataclass for Invoice records", DATACLASS).learned
    fit = find_template(db, task, STACK, 0.8)
    assert fit is not None and fit.bindings == {"entity": words}, task
    assert f"class {cls}:" in fit.files[0].content


def test_pythons_own_names_in_code_are_never_slots():
    """'print a Greeting': print(...) is Python's, not the task's name; an entity called Property keeps @property."""
    from learning.engine import build_record
    from learning.parameterize import TemplateFile, render

    code = '"""A greeting."""\n\n\ndef main() -> None:\n    """Say it."""\n    print("hello")\n'
    record = build_record("Script to print a Greeting", ["python"], [TemplateFile(path="app/main.py", content=code)])
    assert [s["words"] for s in record.slots] == [["greeting"]]
    prop = ('class Property:\n    """A property."""\n\n    @property\n    def size(self) -> int:\n'
            '        """Size."""\n        return 1\n')
    record = build_record("CRUD API for Property records", ["python"], [TemplateFile(path="m.py", content=prop)])
    [rendered] = render([TemplateFile(**f) for f in record.files], {"entity": ["parcel"]})
    assert "class Parcel:" in rendered.content and "@property" in rendered.content and "A parcel." in rendered.content


# From the third QA pass (learning only)
ORDER_SERVICE = ('"""Orders."""\n\n\nclass OrderService:\n    """Place and cancel orders."""\n\n'
                 '    def cancel_order(self, order_id: int) -> None:\n        """Cancel an order."""\n')
KEYWORDS = ["payment", "auth", "login", "password", "token", "webhook", "sql", "admin"]


def test_verbs_before_an_article_are_no_names():
    assert candidate_names("Service class to place and cancel an Order") == [("order",)]
    assert ("resize",) not in candidate_names("Resize an image") and ("print",) not in candidate_names(
        "Print a report of Invoice objects")


def test_a_task_of_names_only_is_no_template(db):
    # "{entity2} {entity}" fitted "Resize an image" and "Upload a photo" with an item report
    code = ('"""Invoice summary."""\n\n\ndef invoice_summary(invoice_id: int) -> str:\n'
            '    """Summary."""\n    return ""\n')
    outcome = _learn(db, "Invoice summary", code)
    assert not outcome.learned and "no words besides its names" in outcome.reason


def test_a_security_word_the_template_lacks_is_no_fit(db):
    """The threshold lets one word differ; not a security one: the template is served without review."""
    router = ('"""Invoices."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter(prefix="/invoices")\n\n\n'
              '@router.get("/{invoice_id}")\ndef get_invoice(invoice_id: int) -> dict:\n    """One invoice."""\n'
              '    return {"id": invoice_id}\n')
    stack = ["python", "fastapi"]
    job = "FastAPI router with CRUD endpoints, pagination and sorting for {}"
    learn_template(db, job.format("Invoice"), stack, [TemplateFile(path="app/invoices.py", content=router)],
                   quality_score=95.0)
    plain = find_template(db, job.format("Receipt"), stack, 0.8, KEYWORDS)
    assert plain is not None and plain.bindings == {"entity": ["receipt"]}
    with_auth = job.format("Receipt") + " with auth"
    assert find_template(db, with_auth, stack, 0.8) is not None  # one word more clears 0.8 ...
    assert find_template(db, with_auth, stack, 0.8, KEYWORDS) is None  # ... but not a security one
    # a keyword that is the name itself is no requirement of the code
    assert find_template(db, job.format("Payment"), stack, 0.8, KEYWORDS) is not None


def test_a_name_that_clashes_with_the_templates_own_variables_is_no_fit(db):
    """'Export Key records' into `for key in KEY_FIELDS` gave key.get(key): it parses and fails when run."""
    code = ('"""Invoice export."""\n\nimport csv\n\nKEY_FIELDS = ["number", "total"]\n\n\n'
            'def export_invoices(invoices: list[dict], path: str) -> None:\n    """Write invoices to CSV."""\n'
            '    with open(path, "w", newline="") as out:\n        writer = csv.writer(out)\n'
            '        for invoice in invoices:\n'
            '            writer.writerow([invoice.get(key, "") for key in KEY_FIELDS])\n')
    job = "Function to export {} records to CSV"
    outcome = _learn(db, job.format("Invoice"), code)
    assert outcome.learned and _slots(db, outcome) == [["invoice"]]
    fit = find_template(db, job.format("Receipt"), STACK, 0.8)
    assert fit is not None and "for receipt in receipts" in fit.files[0].content
    for clashing in ("Key", "Writer", "Out"):
        assert find_template(db, job.format(clashing), STACK, 0.8) is None, clashing


def test_a_leading_verb_is_no_name_and_the_template_serves_other_names(db):
    """'Export Invoice records to CSV' made 'export' the slot (Invoice stayed fixed): no reuse for Receipt."""
    code = ('"""Invoice export."""\n\nimport csv\n\n\ndef export_invoices(invoices: list[dict], path: str) -> None:\n'
            '    """Write invoices to CSV."""\n    with open(path, "w", newline="") as out:\n'
            '        csv.writer(out).writerows([[invoice.get("number")] for invoice in invoices])\n')
    outcome = _learn(db, "Export Invoice records to CSV", code)
    assert outcome.learned and _slots(db, outcome) == [["invoice"]]
    fit = find_template(db, "Export Receipt records to CSV", STACK, 0.8)
    assert fit is not None and "def export_receipts(receipts: list[dict]" in fit.files[0].content
