"""Fit, not likeness: paraphrases fit, another stack or another job does not, hostile names never do."""

import pytest

from learning.engine import find_template, learn_template
from learning.match import normalize_stack
from learning.parameterize import TemplateFile
from storage import TemplateStore, open_database

STACK = ["python", "fastapi", "q2o-testkit"]  # a stack no starter template uses
CODE = '''"""CRUD router for invoices."""
from fastapi import APIRouter

router = APIRouter(prefix="/invoices", tags=["Invoices"])
INVOICES: dict[int, dict] = {}


@router.get("/{invoice_id}")
async def get_invoice(invoice_id: int) -> dict:
    """Return one invoice."""
    return INVOICES[invoice_id]
'''
RECEIVER = '''"""Webhook receiver for invoice events."""
import hmac


def verify_invoice_event(body: bytes, signature: str, secret: bytes) -> bool:
    """Check the HMAC of an invoice event."""
    expected = hmac.new(secret, body, "sha256").hexdigest()
    return hmac.compare_digest(expected, signature)
'''


@pytest.fixture
def db(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/t.db")
    assert learn_template(db, "CRUD API for Invoice records", STACK,
                          [TemplateFile(path="app/routers/invoices.py", content=CODE)],
                          quality_score=97.0, source_provider="openai", source_cost_usd=0.004).learned
    assert learn_template(db, "Webhook receiver for Invoice events with HMAC verification", STACK,
                          [TemplateFile(path="app/webhooks/invoice.py", content=RECEIVER)],
                          quality_score=96.0, source_provider="gemini", source_cost_usd=0.002).learned
    return db


@pytest.mark.parametrize("task, entity", [
    ("CRUD API for Customer records", "customer"),
    ("Build a CRUD API for purchase order records", "purchase order"),
    ("REST endpoints to create, read, update and delete Vendor entries", "vendor"),
    ("Please write CRUD endpoints for managing shipping addresses", "shipping address"),
    ("FastAPI router with CRUD for Product items", "product"),
])
def test_paraphrases_fit_with_the_new_name(db, task, entity):
    fit = find_template(db, task, ["FastAPI", "py", "q2o-testkit"], 0.8)
    assert fit is not None, task
    assert fit.score >= 0.8 and fit.bindings == {"entity": entity.split()}
    words = entity.split()
    snake = "_".join(words)
    assert f"def get_{snake}({snake}_id: int)" in fit.files[0].content
    assert "invoice" not in fit.files[0].content.lower()


@pytest.mark.parametrize("task, stack", [
    ("CRUD API for Customer records", ["python", "flask", "q2o-testkit"]),  # another stack
    ("Webhook sender for Customer events with HMAC verification", STACK),  # another job
    ("CRUD API for Customer records with CSV export and audit log", STACK),  # more work than the template does
    ("Pytest tests for the Customer API", STACK),
])
def test_near_misses_do_not_fit(db, task, stack):
    assert find_template(db, task, stack, 0.8) is None


def test_receiver_fits_its_own_paraphrase(db):
    fit = find_template(db, "HMAC-verified webhook receiver for Payment events", STACK, 0.8)
    assert fit is not None and fit.bindings == {"entity": ["payment"]}
    assert "def verify_payment_event" in fit.files[0].content


@pytest.mark.parametrize("task", [
    "CRUD API for Customer'); import os; os.system('rm -rf /'); (' records",
    "CRUD API for O'Brien records",
    "CRUD API for {{config}} records",
    "CRUD API for __import__('os') records",
])
def test_hostile_names_are_refused(db, task):
    fit = find_template(db, task, STACK, 0.8)
    assert fit is None or all(w.isalnum() for words in fit.bindings.values() for w in words)
    if fit is not None:
        assert "os.system" not in fit.files[0].content and "__import__" not in fit.files[0].content


def test_a_disabled_template_is_never_served(db):
    fit = find_template(db, "CRUD API for Customer records", STACK, 0.8)
    store = TemplateStore(db)
    store.set_enabled(fit.template_id, False)
    assert find_template(db, "CRUD API for Customer records", STACK, 0.8) is None
    store.set_enabled(fit.template_id, True)
    assert find_template(db, "CRUD API for Customer records", STACK, 0.8) is not None


def test_failures_disable_at_the_limit(db):
    template_id = find_template(db, "CRUD API for Customer records", STACK, 0.8).template_id
    store = TemplateStore(db)
    assert not store.record_failure(template_id, 3)
    assert not store.record_failure(template_id, 3)
    assert store.record_failure(template_id, 3)
    assert find_template(db, "CRUD API for Customer records", STACK, 0.8) is None


def test_stack_normalization():
    assert normalize_stack(["FastAPI", "py", "Postgres"]) == normalize_stack(["postgresql", "python", "fastapi"])
