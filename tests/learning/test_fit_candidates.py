"""The fit check's side of learning: which templates it is asked about, and a template learned with the wrong
slot corrected by the model's reading of the template's own task (code of these tests' own)."""

from __future__ import annotations

import pytest

from contracts import GeneratedFile
from learning.engine import corrected_candidate, fit_candidates, learn_template, serve_fit
from learning.forms import name_forms
from storage import TemplateStore, open_database

SUMMARY = '''"""Totals of {words_plural} per status from a CSV file (standard library only)."""
import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass
class StatusTotals:
    """Count and amount of the {words_plural} in one status."""

    count: int = 0
    amount: float = 0.0


def load_{snake_plural}(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def summarize_{snake_plural}(rows: list[dict[str, str]]) -> dict[str, StatusTotals]:
    totals: dict[str, StatusTotals] = {{}}
    for row in rows:
        bucket = totals.setdefault(row["status"], StatusTotals())
        bucket.count += 1
        bucket.amount += float(row["amount"])
    return totals
'''
TASK = "Summarize a CSV of parking permits by status with the csv module"
STACK = ["python"]


def summary(words: str) -> list[GeneratedFile]:
    forms = name_forms(words.split())
    return [GeneratedFile(path=f"{forms['snake']}_summary.py", content=SUMMARY.format(**forms))]


@pytest.fixture
def db(tmp_path):
    return open_database(f"sqlite:///{tmp_path}/t.db")


def wrong_slot(db) -> str:
    """A template learned with "status" as its slot (as a learner may: the code defines ``StatusTotals``)."""
    outcome = learn_template(db, TASK, STACK, summary("parking permit"), names=[("status",)])
    assert outcome.learned and outcome.template_id
    return outcome.template_id


def test_a_slot_the_model_reads_as_another_entity_is_corrected_in_place(db):
    template_id = wrong_slot(db)
    [candidate] = fit_candidates(db, "Give me per-status totals of vendors from a CSV file", STACK)
    assert candidate.words == ["status"]
    fixed = corrected_candidate(db, candidate, "parking permit")
    assert fixed is not None and fixed.template_id == template_id and fixed.words == ["parking", "permit"]
    record = TemplateStore(db).get(template_id)
    assert (
        record is not None
        and record.enabled
        and record.skeleton == ["Summarize a CSV of ⟦entity:words_plural⟧ by status with the csv module"]
    )
    served = serve_fit(db, "Give me per-status totals of vendors from a CSV file", fixed, {fixed.slot: ["vendor"]})
    assert served is not None
    code = served.files[0].content
    assert "def summarize_vendors(" in code and "class StatusTotals" in code and "parking" not in code


def test_the_slot_and_more_of_the_name_is_a_correction_and_a_part_of_the_slot_is_not(db):
    """ "parking permit" where the slot holds "parking" is learned anew; "permit" where it holds "parking permit"
    would leave "parking" behind in every renamed identifier: a miss, nothing changed."""
    short = learn_template(db, TASK, STACK, summary("parking permit"), names=[("parking",)])
    assert short.learned
    [candidate] = fit_candidates(db, "Give me per-status totals of vendors from a CSV file", STACK)
    assert candidate.words == ["parking"]
    fixed = corrected_candidate(db, candidate, "parking permit")
    assert fixed is not None and fixed.template_id == short.template_id and fixed.words == ["parking", "permit"]
    before = TemplateStore(db).get(fixed.template_id)
    assert corrected_candidate(db, fixed, "permit") is None
    assert TemplateStore(db).get(fixed.template_id) == before


@pytest.mark.parametrize(
    "reading",
    ["csv", "vendor"],
    ids=["a tool the code imports", "a name the task does not hold"],
)
def test_a_reading_that_cannot_be_a_correction_changes_nothing(db, reading):
    template_id = wrong_slot(db)
    before = TemplateStore(db).get(template_id)
    [candidate] = fit_candidates(db, "Give me per-status totals of vendors from a CSV file", STACK)
    assert corrected_candidate(db, candidate, reading) is None
    assert TemplateStore(db).get(template_id) == before


def test_a_correction_that_is_another_template_switches_the_wrong_one_off(db):
    right = learn_template(db, TASK, STACK, summary("parking permit"), names=[("parking", "permit")])
    template_id = wrong_slot(db)
    assert right.template_id != template_id
    [*candidates] = fit_candidates(db, "Give me per-status totals of vendors from a CSV file", STACK)
    wrong = next(c for c in candidates if c.template_id == template_id)
    fixed = corrected_candidate(db, wrong, "parking permit")
    assert fixed is not None and fixed.template_id == right.template_id
    record = TemplateStore(db).get(template_id)
    assert record is not None and not record.enabled


ROUTES = '''"""Starlette routes for {words_plural}."""
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

{snake_plural}: dict[int, dict] = {{}}


async def list_{snake_plural}(request: Request) -> JSONResponse:
    return JSONResponse(list({snake_plural}.values()))


app = Starlette(routes=[Route("/{kebab_plural}", list_{snake_plural}, methods=["GET"])])
'''


def test_a_paraphrase_sharing_no_word_with_any_phrasing_still_gets_the_stacks_templates_asked(db):
    forms = name_forms(["sensor", "reading"])
    files = [GeneratedFile(path="app.py", content=ROUTES.format(**forms))]
    learned = learn_template(db, "Starlette routes for sensor readings", ["python", "starlette"], files)
    assert learned.learned
    asked = fit_candidates(
        db, "Hypotheses should be listable, retrievable by id and creatable; please write it", ["python", "starlette"]
    )
    assert [c.template_id for c in asked] == [learned.template_id]
    assert fit_candidates(db, "Hypotheses should be listable", ["python", "flask"]) == []  # never another stack


JSON_OUTPUT = '''

def write_{snake_plural}_summary(totals: dict[str, StatusTotals], out: Path) -> None:
    """The totals as a JSON document."""
    out.write_text(json.dumps({{k: vars(v) for k, v in totals.items()}}, indent=2), encoding="utf-8")
'''


def test_of_twins_worded_alike_the_one_whose_code_does_what_the_request_adds_is_asked_first(db):
    # The request's wording is closer to the plain summary's phrasing; what it adds (JSON) the twin's code does.
    # Ranked by wording alone the plain one came first and cost a fit call that says no.
    forms = name_forms(["sensor", "reading"])
    code = SUMMARY.replace("import csv\n", "import csv\nimport json\n") + JSON_OUTPUT
    plain = learn_template(db, TASK, STACK, summary("parking permit"))
    twin = learn_template(
        db,
        "Hey! Could you put our sensor readings per status into a JSON document? Many thanks",
        STACK,
        [GeneratedFile(path="sensor_reading_summary.py", content=code.format(**forms))],
    )
    assert plain.learned and twin.learned
    adds = "Summarize a CSV of vendors by status with the csv module and write the totals out as JSON"
    assert [c.template_id for c in fit_candidates(db, adds, STACK)] == [twin.template_id, plain.template_id]
    same = "Summarize a CSV of vendors by status with the csv module"
    assert [c.template_id for c in fit_candidates(db, same, STACK)] == [plain.template_id, twin.template_id]
