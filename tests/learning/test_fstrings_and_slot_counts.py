"""Names inside f-string replacement fields are code, on Python 3.11 as on 3.12; templates of three or four
slots are served, and learning stores no template that matching cannot read back from its own task."""

import ast

import pytest

from learning.engine import find_template, learn_template
from learning.match import MAX_SLOTS, readings
from learning.parameterize import TemplateFile, literal_spans, parameterize, render
from storage import TemplateStore, open_database

PURCHASE_ORDER = {"entity": ["purchase", "order"]}


def _template_and_render(code: str, task: str = "Function to describe an Invoice") -> tuple[str, str]:
    draft = parameterize(task, [TemplateFile(path="app/describe.py", content=code)])
    assert [s.words for s in draft.slots] == [["invoice"]]
    rendered = render(draft.files, PURCHASE_ORDER)[0].content
    ast.parse(rendered)  # valid Python for a multi-word name
    return draft.files[0].content, rendered


def _fstrings(source: str) -> list[ast.JoinedStr]:
    return [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.JoinedStr)]


def test_a_name_in_an_fstring_expression_is_code_and_the_literal_text_is_prose():
    template, rendered = _template_and_render(
        'def show(invoice):\n    return f"invoice of {invoice.amount:.2f}"\n')
    assert 'f"\u27e6entity:words\u27e7 of {\u27e6entity:snake\u27e7.amount:.2f}"' in template
    assert 'f"purchase order of {purchase_order.amount:.2f}"' in rendered
    joined = _fstrings(rendered)[0]  # the outer f-string (its format spec is one too)
    literal, field = joined.values
    assert literal.value == "purchase order of "
    assert ast.unparse(field.value) == "purchase_order.amount" and ast.unparse(field.format_spec) == "f'.2f'"


def test_nested_fields_format_specs_conversions_and_strings_inside_expressions():
    code = ('def show(invoice, width):\n'
            '    head = f"Invoice {invoice.number!r:>{invoice.width}.{width}} due {invoice.due:%d %b}"\n'
            "    note = f\"{invoice.meta['invoice note']} {f'{invoice.id}'} {invoice.total=}\"\n"
            '    return f"""invoice\n{\n    invoice.amount\n}""" + head + note\n')
    _, rendered = _template_and_render(code)
    assert "{purchase_order.number!r:>{purchase_order.width}.{width}}" in rendered
    assert "{purchase_order.due:%d %b}" in rendered
    # a string literal inside an expression is read as usual: words there stay words
    assert "{purchase_order.meta['purchase order note']}" in rendered
    assert "{f'{purchase_order.id}'}" in rendered and "{purchase_order.total=}" in rendered
    assert 'f"Purchase Order {' in rendered and 'f"""purchase order\n{\n    purchase_order.amount\n}"""' in rendered


def test_doubled_braces_are_literal_text_and_named_escapes_are_not_fields():
    code = 'def show(invoice):\n    return f"{{invoice}} \\N{EM DASH} {{ {invoice.id} }}"\n'
    template, rendered = _template_and_render(code)
    assert '{{\u27e6entity:words\u27e7}}' in template
    assert 'f"{{purchase order}} \\N{EM DASH} {{ {purchase_order.id} }}"' in rendered
    [joined] = _fstrings(rendered)
    assert ast.unparse(joined.values[-2].value) == "purchase_order.id"
    prose, _ = literal_spans("x.py", code)
    dash = code.index("EM DASH")
    assert any(a <= dash < b for a, b in prose)


def test_fstring_templates_render_back_byte_for_byte():
    code = ('def show(invoice, invoices):\n'
            '    """Show an invoice."""\n'
            '    return f"Invoice {invoice.id}: {len(invoices)} invoices, {{raw}} {invoice.total:>{10}.2f}"\n')
    draft = parameterize("Function to describe an Invoice", [TemplateFile(path="app/describe.py", content=code)])
    assert render(draft.files, {"entity": ["invoice"]})[0].content == code


STACK = ["python", "q2o-testkit"]
TASK = "Python function to compute the total of an Invoice from its lines"
CODE = '''"""Invoice totals."""
from dataclasses import dataclass


@dataclass
class InvoiceLine:
    amount: float


def invoice_total(invoice: "Invoice") -> float:
    """The total of an invoice: the sum of its lines."""
    total = sum(line.amount for line in invoice.lines)
    return total
'''


@pytest.fixture
def db(tmp_path):
    return open_database(f"sqlite:///{tmp_path}/t.db")


def _learn(db, task: str, code: str):
    return learn_template(db, task, STACK, [TemplateFile(path="app/totals.py", content=code)], quality_score=95.0)


def test_a_three_slot_template_serves_an_exact_repeat_of_its_task(db):
    outcome = _learn(db, TASK, CODE)
    assert outcome.learned, outcome.reason
    assert [s["words"] for s in TemplateStore(db).get(outcome.template_id).slots] == [["total"], ["invoice"], ["line"]]
    fit = find_template(db, TASK, STACK, 0.8)
    assert fit is not None and fit.template_id == outcome.template_id and fit.score == 1.0
    assert fit.files[0].content == CODE


def test_a_three_slot_template_serves_a_task_with_other_names(db):
    outcome = _learn(db, TASK, CODE)
    fit = find_template(db, "Python function to compute the balance of a Purchase Order from its payments", STACK, 0.8)
    assert fit is not None and fit.template_id == outcome.template_id
    assert fit.bindings == {"entity": ["balance"], "entity2": ["purchase", "order"], "entity3": ["payment"]}
    content = fit.files[0].content
    ast.parse(content)
    assert "class PurchaseOrderPayment:" in content and "def purchase_order_balance(" in content
    assert "balance = sum(payment.amount for payment in purchase_order.payments)" in content
    assert "The balance of a purchase order: the sum of its payments." in content
    assert "invoice" not in content.lower() and "total" not in content


def _total_plus(more: str) -> str:
    """CODE with ``more`` added to its total line."""
    line = "    total = sum(line.amount for line in invoice.lines)"
    return CODE.replace(line + "\n", line + more + "\n")


def test_a_four_slot_template_serves_its_own_task(db):
    task = "Python function to compute the total of an Invoice from its lines and taxes"
    code = _total_plus(" + sum(tax.amount for tax in invoice.taxes)")
    outcome = _learn(db, task, code)
    assert outcome.learned and len(TemplateStore(db).get(outcome.template_id).slots) == 4
    fit = find_template(db, task, STACK, 0.8)
    assert fit is not None and fit.template_id == outcome.template_id and fit.files[0].content == code


def test_slots_are_numbered_in_task_order_so_a_repeat_binds_each_name_to_its_own_slot(db):
    # the longer name is found first, but the task says "total" first: matching numbers slots by position
    task = "Python function to compute the total of a Purchase Order"
    code = ('def purchase_order_total(purchase_order: "PurchaseOrder") -> float:\n'
            '    """The total of a purchase order."""\n    total = purchase_order.amount\n    return total\n')
    outcome = _learn(db, task, code)
    slots = TemplateStore(db).get(outcome.template_id).slots
    assert [(s["name"], s["words"]) for s in slots] == [("entity", ["total"]), ("entity2", ["purchase", "order"])]
    fit = find_template(db, task, STACK, 0.8)
    assert fit is not None and fit.files[0].content == code


def test_a_template_with_more_slots_than_matching_reads_is_not_learned(db):
    task = "Python function to compute the total of an Invoice from its lines, taxes, fees and discounts"
    code = _total_plus(" + invoice.taxes + invoice.fees - invoice.discounts")
    outcome = _learn(db, task, code)
    assert not outcome.learned and "matching" in outcome.reason
    assert [r for r in TemplateStore(db).list() if r.origin == "learned"] == []


def test_readings_reach_the_slot_limit_but_stay_few_for_long_tasks():
    assert max(len(r.bindings) for r in readings(TASK, STACK)) == 3
    long_task = ("compute the Sales Tax total of a Purchase Order from its Order Lines and Shipping Address with "
                 "Customer Discount Codes and Warehouse Stock Levels")
    many = readings(long_task, STACK)
    assert max(len(r.bindings) for r in many) <= MAX_SLOTS and len(many) < 1000


def test_a_learned_fstring_template_serves_a_multi_word_name_as_valid_python(db):
    code = 'def show(invoice) -> str:\n    return f"invoice of {invoice.amount:.2f}"\n'
    outcome = learn_template(db, "Function to describe an Invoice", STACK,
                             [TemplateFile(path="app/describe.py", content=code)], quality_score=95.0)
    assert outcome.learned, outcome.reason
    fit = find_template(db, "Function to describe a Purchase Order", STACK, 0.8)
    assert fit is not None and fit.template_id == outcome.template_id
    ast.parse(fit.files[0].content)
    assert 'f"purchase order of {purchase_order.amount:.2f}"' in fit.files[0].content
