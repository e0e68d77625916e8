"""Parameterization: every case form and plural, multi-word names, braces kept byte for byte, round trips."""

import pytest

from learning.forms import name_forms, pluralize, singularize, split_words
from learning.parameterize import NotLearnable, TemplateFile, parameterize, render

ROUTER = '''"""CRUD router for purchase orders."""
from fastapi import APIRouter, HTTPException

from app.models.purchase_order import PurchaseOrder, PurchaseOrderCreate

router = APIRouter(prefix="/purchase-orders", tags=["Purchase Orders"])
PURCHASE_ORDER_PAGE_SIZE = 50


@router.get("/{purchase_order_id}")
async def get_purchase_order(purchase_order_id: int) -> PurchaseOrder:
    """Return one purchase order."""
    purchaseOrder = STORE.get(purchase_order_id)
    if purchaseOrder is None:
        raise HTTPException(404, f"purchase order {purchase_order_id} not found")
    return purchaseOrder


@router.get("/")
async def list_purchase_orders() -> list[PurchaseOrder]:
    """List all purchase orders."""
    return list(STORE.values())
'''


def _one(task: str, code: str, path: str = "app/routers/purchase_orders.py"):
    return parameterize(task, [TemplateFile(path=path, content=code)])


def test_every_form_becomes_a_slot_and_renders_for_a_new_name():
    draft = _one("CRUD API for purchase order records", ROUTER)
    assert [s.words for s in draft.slots] == [["purchase", "order"]]
    body = draft.files[0].content
    for form in ("PurchaseOrder", "purchaseOrder", "purchase_order", "purchase-orders", "PURCHASE_ORDER",
                 "purchase order", "purchase_orders", "Purchase Orders"):
        assert form not in body
    out = render(draft.files, {"entity": ["customer"]})[0]
    assert out.path == "app/routers/customers.py"
    for expected in ("from app.models.customer import Customer, CustomerCreate", 'prefix="/customers"',
                     'tags=["Customers"]', "CUSTOMER_PAGE_SIZE", "def get_customer(customer_id: int) -> Customer",
                     "customer = STORE.get(customer_id)", 'f"customer {customer_id} not found"',
                     "def list_customers() -> list[Customer]", '"""List all customers."""'):
        assert expected in out.content, expected


def test_single_word_source_renders_multi_word_names_in_the_right_form():
    code = ROUTER.replace("purchase order", "invoice").replace("PurchaseOrder", "Invoice").replace(
        "purchase_order", "invoice").replace("purchase-order", "invoice").replace("PURCHASE_ORDER", "INVOICE").replace(
        "purchaseOrder", "invoice").replace("Purchase Orders", "Invoices")
    draft = _one("CRUD API for Invoice records", code, "app/routers/invoices.py")
    out = render(draft.files, {"entity": ["purchase", "order"]})[0]
    assert out.content == ROUTER.replace("purchaseOrder", "purchase_order")  # Python names are snake_case
    assert out.path == "app/routers/purchase_orders.py"


def test_round_trip_is_exact():
    draft = _one("CRUD API for purchase order records", ROUTER)
    assert render(draft.files, {"entity": ["purchase", "order"]})[0].content == ROUTER


@pytest.mark.parametrize("snippet", [
    "TEMPLATE = '{{ customer.name }} {% if x %}y{% endif %} ${customer}'\n",
    "def hello(customer: str) -> str:\n    return f'{customer!r:>10} {{literal}}'\n",
    "JS = `${customer.id}`\n",
])
def test_code_with_template_syntax_survives_byte_for_byte(snippet):
    code = f'"""Customer helpers."""\n{snippet}'
    draft = _one("Helpers for Customer", code, "app/customer.py")
    out = render(draft.files, {"entity": ["customer"]})[0]
    assert out.content == code
    other = render(draft.files, {"entity": ["vendor"]})[0].content
    assert other == code.replace("customer", "vendor").replace("Customer", "Vendor")


def test_names_inside_other_words_are_left_alone():
    code = "border = 1\nordered = True\nclass Order:\n    reorder_level = 3\n    order_id: int = 0\n"
    draft = _one("Model for Order", code, "order.py")
    out = render(draft.files, {"entity": ["invoice"]})[0].content
    assert "border = 1" in out and "ordered = True" in out and "reorder_level" in out
    assert "class Invoice:" in out and "invoice_id" in out


def test_no_name_in_common_is_not_learnable():
    with pytest.raises(NotLearnable):
        _one("CRUD API for Customer records", "x = 1\n", "main.py")


def test_slot_marker_in_code_is_not_learnable():
    with pytest.raises(NotLearnable):
        _one("Model for Customer", "customer = '\u27e6entity:snake\u27e7'\n", "main.py")


@pytest.mark.parametrize("word, plural", [("customer", "customers"), ("category", "categories"),
                                          ("address", "addresses"), ("box", "boxes"), ("person", "people"),
                                          ("key", "keys"), ("status", "statuses")])
def test_plurals(word, plural):
    assert pluralize(word) == plural
    assert singularize(plural) == word


def test_forms_and_splitting():
    forms = name_forms(["purchase", "order"])
    assert forms["kebab_plural"] == "purchase-orders" and forms["upper"] == "PURCHASE_ORDER"
    assert split_words("PurchaseOrder") == ["purchase", "order"]
    assert split_words("HTTPServerError") == ["http", "server", "error"]
