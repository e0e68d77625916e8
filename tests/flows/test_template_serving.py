"""Serving from templates through the flow: sensitive hits are reviewed (fail closed), paraphrases go through a
ledgered fit check whose prompt carries both task texts between their markers."""

from __future__ import annotations

import pytest

from contracts import CodeRequest, CodeResult
from flows.generate_code import run_request
from learning.engine import learn_template
from learning.library import template_stats
from simulator import FIT_MARKERS, Reply, code_answer, fit_responder, fit_texts
from storage import CallLedger, open_database
from tests.learning.test_fit_candidates import STACK as CSV_STACK
from tests.learning.test_fit_candidates import TASK as CSV_TASK
from tests.learning.test_fit_candidates import summary

pytestmark = pytest.mark.usefixtures("prefect_server")
WEBHOOK = "Webhook receiver for Refund events with HMAC signature verification"
APPROVE = Reply(json={"issues": [], "severity": "none", "recommendation": "approve", "score": 98})
MODEL = '''"""SQLAlchemy model of one {words}."""
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base."""


class {pascal}(Base):
    """One {words} row."""

    __tablename__ = "{snake}s"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
'''


@pytest.fixture(autouse=True)
def _starters_seeded_anew():
    """The shared PostgreSQL database is emptied between tests: the starter library must be seeded again."""
    import learning.library

    learning.library._seeded.clear()


def _purposes(database: str, request_id: str) -> list[tuple[str, str]]:
    return [(r.purpose, r.status) for r in CallLedger(open_database(database)).for_request(request_id)]


async def test_a_sensitive_template_hit_is_reviewed_before_it_is_served(sim, database):
    sim.structured_default = {p: APPROVE for p in ("gemini", "openai", "anthropic")}
    result = await run_request(CodeRequest(task=WEBHOOK, stack=["python", "fastapi"]))
    assert result.source == "template" and result.status == "succeeded"
    purposes = _purposes(database, result.request_id)
    assert ("review", "succeeded") in purposes
    assert not [p for p in purposes if p[0] == "generate"]  # no code was asked for


async def test_a_sensitive_template_hit_the_review_rejects_is_not_served(sim, database):
    reject = Reply(
        json={
            "issues": [{"description": "wrong header", "severity": "high", "line": 1}],
            "severity": "high",
            "recommendation": "reject",
            "score": 20,
        }
    )
    sim.structured_default = {p: reject for p in ("gemini", "openai", "anthropic")}
    result = await run_request(CodeRequest(task=WEBHOOK, stack=["python", "fastapi"]))
    assert result.source != "template"
    stats = template_stats(open_database(database))  # not served: no use counted, nothing saved
    assert stats.uses == 0 and not stats.dollars_saved


async def test_a_sensitive_template_hit_with_no_reviewer_is_not_served(sim, database, monkeypatch):
    for variable in ("GEMINI_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "Q2O_OPENAI_BASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    result = await run_request(CodeRequest(task=WEBHOOK, stack=["python", "fastapi"]))
    assert result.source != "template" and result.status == "failed"
    # the user is told which template fits and why it was not served
    assert result.error == "no_provider_configured" and result.unreviewed_template is not None
    plain = await run_request(CodeRequest(task="CRUD API for Customer records", stack=["python", "fastapi"]))
    assert plain.source == "template" and plain.unreviewed_template is None


async def test_a_paraphrase_is_served_after_a_ledgered_fit_check_and_then_fits_locally(sim, database):
    forms = {"words": "sales invoice", "pascal": "SalesInvoice", "snake": "sales_invoice"}
    sim.default = {
        p: Reply(text=code_answer({"app/models/sales_invoice.py": MODEL.format(**forms)}))
        for p in ("gemini", "openai", "anthropic")
    }
    first = await run_request(
        CodeRequest(task="SQLAlchemy model for the Sales Invoice table", stack=["python", "sqlalchemy"])
    )
    assert first.source == "llm"
    asked: list[tuple[str, str]] = []

    def judge(template_task: str, request_task: str) -> bool:
        asked.append((template_task, request_task))
        return True

    names = {"SQLAlchemy model for the Sales Invoice table": "sales invoice"}
    sim.structured_responder = fit_responder(judge, lambda text: names.get(text, "purchase order"))
    second = await run_request(
        CodeRequest(task="Write the ORM class for our Purchase Order table", stack=["python", "sqlalchemy"])
    )
    assert second.source == "template" and second.bindings == {"entity": "purchase order"}
    assert asked == [
        ("SQLAlchemy model for the Sales Invoice table", "Write the ORM class for our Purchase Order table")
    ]
    assert ("fit", "succeeded") in _purposes(database, second.request_id)
    fit_calls = [r for r in sim.requests if fit_texts(r)]
    assert all(marker in str(fit_calls[0].body) for pair in FIT_MARKERS.values() for marker in pair)
    third = await run_request(
        CodeRequest(task="Write the ORM class for our Credit Note table", stack=["python", "sqlalchemy"])
    )
    assert third.source == "template" and len(asked) == 1  # the confirmed phrasing now fits locally, free


async def _paraphrase_served_through_a_fit_check(sim) -> tuple[CodeResult, list]:
    """A Sales Invoice model learned, then a paraphrase for Purchase Order asked with a fit check that says it fits:
    the result, and the simulator's requests made for the paraphrase."""
    forms = {"words": "sales invoice", "pascal": "SalesInvoice", "snake": "sales_invoice"}
    sim.default = {
        p: Reply(text=code_answer({"app/models/sales_invoice.py": MODEL.format(**forms)}))
        for p in ("gemini", "openai", "anthropic")
    }
    await run_request(CodeRequest(task="SQLAlchemy model for the Sales Invoice table", stack=["python", "sqlalchemy"]))
    before = len(sim.requests)
    names = {"SQLAlchemy model for the Sales Invoice table": "sales invoice"}
    sim.structured_responder = fit_responder(lambda a, b: True, lambda text: names.get(text, "purchase order"))
    result = await run_request(
        CodeRequest(task="Write the ORM class for our Purchase Order table", stack=["python", "sqlalchemy"])
    )
    return result, sim.requests[before:]


@pytest.mark.parametrize(
    "fit_model, provider, model",
    [
        ("anthropic:claude-haiku-4-5", "anthropic", "claude-haiku-4-5"),
        ("gemini", "gemini", "gemini-2.5-flash"),  # a provider alone: its configured model
    ],
    ids=["provider and model", "provider alone"],
)
async def test_a_fit_check_goes_to_the_model_q2o_fit_model_names(
    sim, database, monkeypatch, fit_model, provider, model
):
    monkeypatch.setenv("Q2O_FIT_MODEL", fit_model)
    result, made = await _paraphrase_served_through_a_fit_check(sim)
    assert result.source == "template"
    asked = [r for r in made if fit_texts(r)]
    assert [(r.provider, r.model) for r in asked] == [(provider, model)]
    rows = [r for r in CallLedger(open_database(database)).for_request(result.request_id) if r.purpose == "fit"]
    assert [(r.provider, r.model, r.status) for r in rows] == [(provider, model, "succeeded")]


async def test_a_fit_model_of_a_provider_without_a_key_leaves_the_fit_check_to_the_cheapest(sim, database, monkeypatch):
    monkeypatch.setenv("Q2O_FIT_MODEL", "anthropic:claude-haiku-4-5")
    monkeypatch.setenv("Q2O_ANTHROPIC_ENABLED", "false")
    result, made = await _paraphrase_served_through_a_fit_check(sim)
    assert result.source == "template"
    # gpt-4.1-mini: the cheapest of the defaults
    assert [r.provider for r in made if fit_texts(r)] == ["openai"]


async def test_a_fit_check_that_says_no_is_a_miss(sim, database):
    forms = {"words": "sales invoice", "pascal": "SalesInvoice", "snake": "sales_invoice"}
    sim.default = {
        p: Reply(text=code_answer({"app/models/sales_invoice.py": MODEL.format(**forms)}))
        for p in ("gemini", "openai", "anthropic")
    }
    await run_request(CodeRequest(task="SQLAlchemy model for the Sales Invoice table", stack=["python", "sqlalchemy"]))
    sim.structured_responder = fit_responder(lambda a, b: False)
    result = await run_request(
        CodeRequest(
            task="Write the ORM class for our Purchase Order table with soft delete", stack=["python", "sqlalchemy"]
        )
    )
    assert result.source == "llm"


@pytest.mark.parametrize(
    "template_name, request_name, served",
    [
        ("sales invoice", "purchase order", True),
        ("invoice", "purchase order", False),  # the model reads another entity in the template's task than its slot
        ("sales invoice", "vendor bill", False),  # a name the request does not hold: no guess of ours instead
        (None, None, False),  # a "fits" that names nothing cannot be checked
    ],
    ids=["both names agree", "the template's slot is not its entity", "a name the request does not hold", "no names"],
)
async def test_a_fit_serves_only_when_the_models_names_agree_with_the_slot_and_the_request(
    sim, database, template_name, request_name, served
):
    forms = {"words": "sales invoice", "pascal": "SalesInvoice", "snake": "sales_invoice"}
    sim.default = {
        p: Reply(text=code_answer({"app/models/sales_invoice.py": MODEL.format(**forms)}))
        for p in ("gemini", "openai", "anthropic")
    }
    await run_request(CodeRequest(task="SQLAlchemy model for the Sales Invoice table", stack=["python", "sqlalchemy"]))
    names = {"SQLAlchemy model for the Sales Invoice table": template_name}
    sim.structured_responder = fit_responder(
        lambda a, b: True, (lambda text: names.get(text, request_name)) if request_name else None
    )
    result = await run_request(
        CodeRequest(task="Write the ORM class for our Purchase Order table", stack=["python", "sqlalchemy"])
    )
    assert (result.source == "template") is served
    assert ("fit", "succeeded") in _purposes(database, result.request_id)
    if served:
        assert result.bindings == {"entity": "purchase order"}


async def test_a_template_learned_with_the_wrong_slot_is_corrected_by_the_fit_check_and_served(sim, database):
    """The model reads "parking permit" as the entity of the template's own task where the slot holds "status":
    the template is learned anew with that name, and the paraphrase is served with the request's entity."""
    db = open_database(database)
    wrong = learn_template(db, CSV_TASK, CSV_STACK, summary("parking permit"), names=[("status",)])
    assert wrong.learned
    names = {CSV_TASK: "parking permit"}
    sim.structured_responder = fit_responder(lambda a, b: True, lambda text: names.get(text, "vendor"))
    result = await run_request(
        CodeRequest(task="Give me per-status totals of vendors from a CSV file", stack=CSV_STACK)
    )
    assert result.source == "template" and result.template_id == wrong.template_id
    assert result.bindings == {"entity": "vendor"}
    code = result.files[0].content
    assert "def summarize_vendors(" in code and "class StatusTotals" in code and "parking" not in code
    assert ("fit", "succeeded") in _purposes(database, result.request_id)


async def test_a_request_with_its_own_instructions_or_requirements_is_not_served_the_plain_tasks_template(
    sim, database, monkeypatch
):
    # The starter answers "CRUD API for Customer records"; a request that also says how (soft delete) asks for more
    for variable in ("GEMINI_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "Q2O_OPENAI_BASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    plain = CodeRequest(task="CRUD API for Customer records", stack=["python", "fastapi"])
    assert (await run_request(plain)).source == "template"
    for extra in (
        {"custom_instructions": "Use soft delete: set a deleted_at timestamp, never remove rows"},
        {"requirements": "Deleting a customer only marks it deleted"},
    ):
        asked = CodeRequest(task="CRUD API for Customer records", stack=["python", "fastapi"], **extra)
        result = await run_request(asked)
        assert result.source != "template" and result.error == "no_provider_configured", extra
