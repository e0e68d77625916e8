"""The template store: one row per signature under concurrency, export -> import round trip, stats."""

import json
import multiprocessing

import pytest

from contracts import GeneratedFile
from learning.engine import learn_template
from learning.library import export_templates, import_templates, template_stats
from settings import UsageError
from storage import TemplateStore, open_database

STACK = ["python", "q2o-testkit"]
CODE = (
    '"""Ticket model."""\nfrom dataclasses import dataclass\n\n\n@dataclass\nclass Ticket:\n'
    '    """A ticket."""\n\n    ticket_id: int\n'
)


def _learn(url: str, n: int) -> list[bool]:
    db = open_database(url)
    return [
        learn_template(
            db,
            "Dataclass model for Ticket",
            STACK,
            [GeneratedFile(path="ticket.py", content=CODE)],
            quality_score=95.0,
            source_cost_usd=0.01,
        ).created
        for _ in range(n)
    ]


def test_two_processes_learning_one_signature_leave_one_row(tmp_path):
    url = f"sqlite:///{tmp_path}/t.db"
    open_database(url)  # migrated before the race: the race is on the template row
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.starmap(_learn, [(url, 10), (url, 10)])
    created = [c for r in results for c in r]
    assert created.count(True) == 1
    rows = [r for r in TemplateStore(open_database(url)).list() if r.origin == "learned"]
    assert len(rows) == 1


def test_export_import_round_trip_and_bad_files_change_nothing(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/a.db")
    learn_template(
        db,
        "Dataclass model for Ticket",
        STACK,
        [GeneratedFile(path="ticket.py", content=CODE)],
        quality_score=95.0,
        source_provider="openai",
        source_model="gpt-4.1-mini",
        source_cost_usd=0.0123,
    )
    store = TemplateStore(db)
    tid = store.list()[0].id
    store.record_use(tid)
    first = tmp_path / "a.json"
    count = export_templates(db, first)
    assert count == store.count()

    other = open_database(f"sqlite:///{tmp_path}/b.db")
    assert import_templates(other, first) == (count, 0)
    assert import_templates(other, first) == (0, count)  # the same file again replaces, adds nothing
    second = tmp_path / "b.json"
    export_templates(other, second)
    assert json.loads(first.read_text()) == json.loads(second.read_text())

    before = second.read_text()
    bad = json.loads(before)
    bad["templates"][0]["files"][0]["content"] += "\u27e6ghost:snake\u27e7"
    tampered = json.loads(before)  # eval slipped into an exported template: refused, with the reason
    tampered["templates"][0]["files"][0]["content"] += "\n\ndef run(expr: str) -> object:\n    return eval(expr)\n"
    unparsable = json.loads(before)
    unparsable["templates"][0]["files"][0]["content"] += "\ndef broken(:\n"
    for content in (
        json.dumps(bad),
        "{not json",
        json.dumps({"format": "other", "version": 1, "templates": []}),
        json.dumps(tampered),
        json.dumps(unparsable),
    ):
        broken = tmp_path / "bad.json"
        broken.write_text(content)
        with pytest.raises(UsageError) as refused:
            import_templates(other, broken)
        if content == json.dumps(tampered):
            assert "eval" in str(refused.value)
        export_templates(other, second)
        assert second.read_text() == before


def test_stats_count_dollars_saved_from_source_cost_and_uses(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/s.db")
    learn_template(
        db,
        "Dataclass model for Ticket",
        STACK,
        [GeneratedFile(path="ticket.py", content=CODE)],
        quality_score=94.0,
        source_provider="anthropic",
        source_cost_usd=0.02,
    )
    store = TemplateStore(db)
    tid = next(r.id for r in store.list() if r.origin == "learned")
    for _ in range(3):
        store.record_use(tid)
    stats = template_stats(db)
    assert stats.dollars_saved == pytest.approx(0.06)
    assert stats.by_source_provider.get("anthropic") == 1


def test_a_disabled_template_is_replaced_by_a_fresh_generation_of_its_signature(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/t.db")
    files = [GeneratedFile(path="ticket.py", content=CODE)]
    first = learn_template(db, "Dataclass model for Ticket", STACK, files, quality_score=95.0)
    store = TemplateStore(db)
    assert learn_template(db, "Dataclass model for Ticket", STACK, files, quality_score=96.0).created is False
    store.set_enabled(first.template_id, False)
    again = learn_template(db, "Dataclass model for Ticket", STACK, files, quality_score=97.0)
    assert again.created
    [row] = [r for r in store.list() if r.origin == "learned"]
    assert row.enabled and row.quality_score == 97.0 and store.get(row.id).keys


def test_stats_count_the_uses_of_every_template_without_a_source_cost_as_unknown(tmp_path):
    from storage import TemplateRecord

    db = open_database(f"sqlite:///{tmp_path}/s.db")
    store = TemplateStore(db)
    for origin, cost in (("learned", None), ("learned", 0.01), ("manual", None), ("starter", None)):
        store.add(
            TemplateRecord(
                id=f"tpl-{origin}-{cost}",
                signature=f"sig-{origin}-{cost}",
                name=origin,
                stack_key="python",
                skeleton=[origin, str(cost)],
                slots=[],
                files=[],
                origin=origin,
                source_cost_usd=cost,
                usage_count=2,
            )
        )
    stats = template_stats(db)
    # the learned one with no recorded cost, and the manual and starter ones (never generated): as reports costs
    assert stats.uses_with_unknown_cost == 6
    assert stats.dollars_saved == pytest.approx(0.02)


ASSIGN_CODE = '''"""Assign Customer records to Project records."""
from dataclasses import dataclass, field


@dataclass
class Customer:
    id: int
    projects: list["Project"] = field(default_factory=list)


@dataclass
class Project:
    id: int
    customers: list[Customer] = field(default_factory=list)


def assign_customer_to_project(customer: Customer, project: Project) -> None:
    """Link one customer to one project, both ways."""
    customer.projects.append(project)
    project.customers.append(customer)
'''


def test_a_two_name_template_is_found_and_a_store_without_slot_count_keys_gets_them(tmp_path):
    from sqlalchemy import delete

    from learning.engine import find_template
    from learning.library import upgrade_templates
    from storage.models import TemplateKey

    db = open_database(f"sqlite:///{tmp_path / 't.db'}")
    task = "Python dataclasses to assign Customer records to Project records"
    learned = learn_template(
        db,
        task,
        ["python"],
        [GeneratedFile(path="app/assign.py", content=ASSIGN_CODE)],
        provider="openai",
        model="m",
        cost_usd=0.01,
        quality_score=95,
    )
    assert learned.created
    ask = "Python dataclasses to assign Employee records to Team records"
    hit = find_template(db, ask, ["python"])
    assert hit is not None and hit.bindings == {"entity": ["employee"], "entity2": ["team"]}
    assert "def assign_employee_to_team(employee: Employee, team: Team)" in hit.files[0].content

    with db.session() as session:  # a store written before lookups asked which slot counts a stack holds
        session.execute(delete(TemplateKey).where(TemplateKey.key.startswith("n:")))
    assert find_template(db, ask, ["python"]) is None  # two-name readings are skipped: a miss, never a guess
    upgrade_templates(db)
    assert find_template(db, ask, ["python"]) is not None


def _ticket_record(task: str, stack: list[str], note: str, score: float):
    from learning.engine import build_record

    code = CODE.replace('"""A ticket."""', f'"""A ticket ({note})."""')
    return build_record(task, stack, [GeneratedFile(path="ticket.py", content=code)], quality_score=score)


def test_a_lookup_serves_the_best_enabled_template_of_its_stack_and_reads_no_other(tmp_path):
    from learning.engine import find_template

    db = open_database(f"sqlite:///{tmp_path}/t.db")
    store = TemplateStore(db)
    task = "Dataclass model for Ticket"
    disabled = _ticket_record(task, STACK, "disabled", 99.0)
    other_stack = _ticket_record(task, ["python", "q2o-otherkit"], "other stack", 98.0)
    good, better = _ticket_record(task, STACK, "good", 80.0), _ticket_record(task, STACK, "better", 90.0)
    store.add_many([disabled, other_stack, good, better])
    store.set_enabled(disabled.id, False)

    match = find_template(db, "Dataclass model for Invoice", STACK)
    assert match is not None and match.template_id == better.id
    assert "class Invoice" in match.files[0].content and "(better)" in match.files[0].content
    store.set_enabled(better.id, False)
    store.set_enabled(good.id, False)
    assert find_template(db, "Dataclass model for Invoice", STACK) is None  # the disabled one is never read


def test_a_lookup_misses_when_more_templates_hold_its_key_than_it_weighs(tmp_path):
    from learning.engine import find_template

    db = open_database(f"sqlite:///{tmp_path}/t.db")
    store = TemplateStore(db)
    task = "Dataclass model for Ticket"
    store.add_many([_ticket_record(task, STACK, f"variant {i}", 90.0) for i in range(99)])
    assert find_template(db, "Dataclass model for Invoice", STACK) is not None
    store.add_many([_ticket_record(task, STACK, "variant 99", 90.0)])
    assert find_template(db, "Dataclass model for Invoice", STACK) is None  # unsure which of 100: a miss


def test_a_template_derived_under_older_rules_is_re_derived_once(tmp_path):
    from sqlalchemy import text

    from learning.library import upgrade_templates
    from learning.match import RULES_KEY

    db = open_database(f"sqlite:///{tmp_path}/t.db")
    learned = learn_template(db, "Dataclass model for Ticket", STACK, [GeneratedFile(path="ticket.py", content=CODE)])
    assert upgrade_templates(db) is None  # everything is of this generation
    with db.engine.begin() as conn:  # as a template stored by an older version: no rules key
        conn.execute(text("DELETE FROM template_keys WHERE key = :k"), {"k": RULES_KEY})
    done = upgrade_templates(db)
    assert done is not None and done.changed >= 1 and not done.disabled
    assert RULES_KEY in TemplateStore(db).get(learned.template_id).keys
    assert upgrade_templates(db) is None  # once
