"""Smart parameterization through the provider simulator: a right answer is learned, a wrong one rejected,
and either way the call is in the ledger with its cost."""

import pytest

from codegen.calling import Asker, CallContext
from contracts import CodeRequest, GeneratedFile, Generation
from learning.engine import find_template, learn_template
from learning.smart_names import PURPOSE, learn_with_suggested_names
from settings import load_settings
from simulator import Reply
from storage import CallLedger, TemplateStore, open_database
from validation.models import Verdict

STACK = ["python", "sqlalchemy", "q2o-testkit"]
TASK = "SQLAlchemy model for Status"  # "status" is programming vocabulary: the plain learner finds no slot
CODE = '''"""Status model."""
from sqlalchemy.orm import Mapped, mapped_column


class Status(Base):
    """One status."""

    __tablename__ = "statuses"
    status_id: Mapped[int] = mapped_column(primary_key=True)
'''
FILES = [GeneratedFile(path="app/models/status.py", content=CODE)]


def _asker(settings) -> Asker:
    return Asker(settings, _context(), "gemini", purpose=PURPOSE, max_output_tokens=256)


def _context() -> CallContext:
    return CallContext(request_id="req-smart", flow_run_id=None, agent="coder", project="default")


def _rows(db):
    return [r for r in CallLedger(db).for_request("req-smart") if r.purpose == PURPOSE]


def test_the_plain_learner_finds_no_slot(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/t.db")
    assert not learn_template(db, TASK, STACK, FILES).learned


async def test_a_right_answer_is_learned_and_its_cost_ledgered(sim):
    settings = load_settings()
    db = open_database(settings.resolved_database_url)
    sim.script("gemini", [Reply(text='```json\n{"names": ["status"]}\n```', input_tokens=900, output_tokens=12)])
    outcome = await learn_with_suggested_names(
        _asker(settings), db, TASK, STACK, FILES, quality_score=95.0, source_provider="gemini"
    )
    assert outcome.learned and outcome.created, outcome.reason
    [row] = _rows(db)
    assert row.status == "succeeded" and row.provider == "gemini" and row.input_tokens == 900
    assert row.cost_usd is not None and row.cost_usd > 0
    assert "SQLAlchemy model for Status" in sim.requests[-1].body["contents"][0]["parts"][0]["text"]
    fit = find_template(db, "SQLAlchemy model for Priority", STACK)
    assert fit is not None and fit.bindings == {"entity": ["priority"]}
    assert "class Priority(Base)" in fit.files[0].content and '"priorities"' in fit.files[0].content
    assert fit.files[0].path == "app/models/priority.py"


@pytest.mark.parametrize(
    "answer, reason",
    [
        ('{"names": ["base"]}', "is not where the task can say it"),  # in the code, not a name of the task
        ('{"names": ["customer"]}', "is not where the task can say it"),  # not in the code at all
        ('{"names": ["status\'); import os; (\'"]}', "no usable name"),  # hostile
    ],
)
async def test_a_wrong_answer_fails_the_round_trip_and_is_rejected(sim, answer, reason):
    settings = load_settings()
    db = open_database(settings.resolved_database_url)
    sim.script("gemini", [Reply(text=answer)])
    outcome = await learn_with_suggested_names(_asker(settings), db, TASK, STACK, FILES)
    assert not outcome.learned and reason in outcome.reason
    assert [r for r in TemplateStore(db).list() if r.origin == "learned"] == []
    [row] = _rows(db)
    assert row.status == "succeeded" and row.cost_usd is not None  # it was billed: the ledger says so


async def test_an_answer_that_is_not_json_is_a_failed_ledgered_call(sim):
    from providers.base import InvalidOutput

    settings = load_settings()
    db = open_database(settings.resolved_database_url)
    sim.script("gemini", [Reply(text="The entity is Status.")])
    with pytest.raises(InvalidOutput):
        await learn_with_suggested_names(_asker(settings), db, TASK, STACK, FILES)
    [row] = _rows(db)
    assert row.status == "failed" and row.error_kind == "invalid_output"


def _generation() -> Generation:
    return Generation(
        provider="openai",
        model="gpt-4.1-mini",
        files=[GeneratedFile(path=f.path, content=f.content) for f in FILES],
        cost_usd=0.002,
    )


async def test_the_learn_task_asks_only_when_enabled(sim, monkeypatch):
    from tasks.learn import learn

    request = CodeRequest(task=TASK, stack=STACK, request_id="req-smart")
    verdict = Verdict(passed=True, score=100.0)
    outcome = await learn.fn(request, _generation(), verdict)
    assert not outcome.learned and sim.requests == []

    monkeypatch.setenv("Q2O_SMART_PARAMETERIZE", "true")
    monkeypatch.setenv("Q2O_CHAIN", "openai,gemini")
    sim.script("openai", [Reply(text='{"names": ["status"]}')])
    outcome = await learn.fn(request, _generation(), verdict)
    assert outcome.learned, outcome.reason
    assert [r.provider for r in sim.requests] == ["openai"]
    db = open_database(load_settings().resolved_database_url)
    assert [r.provider for r in _rows(db)] == ["openai"]
    [learned] = [r for r in TemplateStore(db).list() if r.origin == "learned"]
    assert learned.source_cost_usd == pytest.approx(0.002) and learned.slots[0]["words"] == ["status"]
