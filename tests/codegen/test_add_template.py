"""Adding hand-written code as a template: what ``add_template`` stores and returns, and the one-line refusals it
raises (static validation, a review that does not approve, no reviewer for a sensitive task, nothing learnable)."""

from __future__ import annotations

import pytest

from codegen.templates import ReviewerMissing, TemplateRefused, add_template
from contracts import GeneratedFile
from settings import Settings, UsageError, load_settings
from simulator import Reply
from storage import Database, TemplateStore, open_database

INVOICES = GeneratedFile(
    path="app/invoices.py",
    content=(
        '"""Invoices."""\n\nfrom dataclasses import dataclass\n\n\n@dataclass\nclass Invoice:\n'
        '    """An invoice."""\n\n    number: str\n    amounts: list[float]\n\n\n'
        'def invoice_sum(invoice: Invoice) -> float:\n    """Sum an invoice."""\n    return sum(invoice.amounts)\n'
    ),
)
LOGIN = GeneratedFile(
    path="login.py",
    content=(
        '"""Partner login."""\n\nimport hmac\n\n\ndef check_partner_login(partner_password_hash: bytes, '
        'candidate_hash: bytes) -> bool:\n    """True when the partner\'s password hash matches."""\n'
        "    return hmac.compare_digest(partner_password_hash, candidate_hash)\n"
    ),
)
LOGIN_TASK = "Login check for Partner accounts with password"
APPROVE = Reply(json={"issues": [], "severity": "none", "recommendation": "approve", "score": 90})


def _db_and_settings() -> tuple[Database, Settings]:
    settings = load_settings()
    settings.ensure_home()
    return open_database(settings.resolved_database_url), settings


async def test_added_code_is_stored_with_its_slots_and_a_second_add_is_a_phrasing():
    db, settings = _db_and_settings()
    added = await add_template(db, settings, "Dataclass for Invoice records", ["python"], [INVOICES])
    assert added.created and added.template_id.startswith("tpl-") and added.review is None
    assert added.slots == {"entity": ["invoice"]} and added.quality_score == added.validation_score >= 95
    stored = TemplateStore(db).get(added.template_id)
    assert stored is not None and stored.origin == "manual" and stored.name == added.name
    again = await add_template(db, settings, "Dataclass for Invoice records", ["python"], [INVOICES])
    assert not again.created and again.template_id == added.template_id


@pytest.mark.parametrize(
    "code, message",
    [
        ("x = eval(input())\n", "the code fails static validation: score "),
        ('"""Nothing."""\n\nVALUE = 1\n', "not added: no name of the task is a name the code defines"),
    ],
)
async def test_bad_code_is_refused_with_the_reason_and_nothing_is_stored(code, message):
    db, settings = _db_and_settings()
    before = len(TemplateStore(db).list())
    with pytest.raises(TemplateRefused, match=message) as refused:
        await add_template(
            db, settings, "Dataclass for Invoice records", ["python"], [GeneratedFile(path="job.py", content=code)]
        )
    assert isinstance(refused.value, UsageError) and "\n" not in str(refused.value)
    assert len(TemplateStore(db).list()) == before


async def test_a_sensitive_task_without_a_configured_provider_needs_a_reviewer_or_a_voucher():
    db, settings = _db_and_settings()
    with pytest.raises(ReviewerMissing, match="needs a provider's review, and no provider is configured"):
        await add_template(db, settings, LOGIN_TASK, ["python"], [LOGIN])
    vouched = await add_template(db, settings, LOGIN_TASK, ["python"], [LOGIN], review=False)
    assert vouched.created and vouched.review is None


async def test_a_sensitive_task_is_reviewed_first_and_scored_by_the_lower_of_its_scores(sim):
    db, settings = _db_and_settings()
    sim.script(
        "gemini",
        [
            Reply(
                json={
                    "issues": [{"description": "no rate limit on attempts", "severity": "high"}],
                    "severity": "high",
                    "recommendation": "reject",
                    "score": 40,
                }
            )
        ],
    )
    with pytest.raises(TemplateRefused, match="the gemini review did not approve the code .*no rate limit"):
        await add_template(db, settings, LOGIN_TASK, ["python"], [LOGIN])
    sim.script("gemini", [APPROVE])
    added = await add_template(db, settings, LOGIN_TASK, ["python"], [LOGIN])
    assert added.review is not None and added.review.reviewer == "gemini" and added.review.outcome == "approve"
    assert added.quality_score == 90 and added.validation_score > 90
    assert TemplateStore(db).get(added.template_id).quality_score == 90


async def test_code_approved_but_not_learnable_is_refused_with_the_review_it_had(sim):
    db, settings = _db_and_settings()
    sim.script("gemini", [APPROVE])
    nameless = GeneratedFile(
        path="login.py",
        content=(
            '"""Login."""\n\nimport hmac\n\n\ndef verify(stored: bytes, given: bytes) -> bool:\n'
            '    """True when they match."""\n    return hmac.compare_digest(stored, given)\n'
        ),
    )
    with pytest.raises(TemplateRefused, match="^not added: no name of the task") as refused:
        await add_template(db, settings, LOGIN_TASK, ["python"], [nameless])
    assert refused.value.review is not None and refused.value.review.outcome == "approve"
