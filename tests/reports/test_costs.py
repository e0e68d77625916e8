"""Costs at a glance: the aggregates (month, today, by provider / agent / project, savings, trend) in local time,
and the figures read back from the HTML and the PDF rendered from a seeded ledger."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from budget import BudgetGuard
from reports.costs import (
    CostReport,
    build_cost_report,
    cost_report_markdown,
    gather_cost_report,
    text_bar,
    write_cost_report,
)
from settings import load_settings
from storage import CallLedger, TemplateStore, open_database
from storage.calls import CostRow
from storage.models import Call
from storage.templates import TemplateRecord, TemplateUses

# 2026-11-15 12:00 in Tokyo (UTC+9): "today" is Nov 15 there, the month November.
NOW = datetime(2026, 11, 15, 3, 0, tzinfo=UTC)
TOKYO = "Asia/Tokyo"


def _row(when: datetime, cost: float | None, provider="openai", agent="coder", project="acme", **extra) -> CostRow:
    values = dict(
        request_id="r",
        created_at=when,
        provider=provider,
        agent=agent,
        project=project,
        purpose="generate",
        status="succeeded",
        error_kind=None,
        cost_usd=cost,
    )
    return CostRow(**(values | extra))


def _tokyo_rows() -> list[CostRow]:
    return [
        _row(datetime(2026, 10, 31, 14, 0, tzinfo=UTC), 5.0),  # Oct 31 23:00 in Tokyo: last month, in the trend
        _row(datetime(2026, 10, 31, 15, 30, tzinfo=UTC), 0.5, "anthropic", "researcher"),  # Nov 1 00:30 Tokyo
        _row(datetime(2026, 11, 14, 14, 59, tzinfo=UTC), 0.25, "gemini"),  # Nov 14 23:59 Tokyo: yesterday
        _row(datetime(2026, 11, 14, 15, 0, tzinfo=UTC), 0.1, "openai", "coder", "globex"),  # Nov 15 00:00: today
        _row(datetime(2026, 11, 15, 2, 0, tzinfo=UTC), 0.3, "anthropic", "researcher", "globex", purpose="review"),
        _row(datetime(2026, 11, 15, 2, 30, tzinfo=UTC), None, "openai", status="failed", error_kind="timeout"),
        # Neither is a provider call: a cache hit ($0 row) and a call the budget guard refused.
        _row(datetime(2026, 11, 15, 2, 40, tzinfo=UTC), 0.0, purpose="cache"),
        _row(datetime(2026, 11, 15, 2, 50, tzinfo=UTC), 0.0, status="failed", error_kind="budget_exhausted"),
    ]


def _report(**overrides) -> CostReport:
    values = dict(
        now=NOW,
        timezone=TOKYO,
        days=20,
        budget_usd=10.0,
        reserved_usd=0.85,
        rows=_tokyo_rows(),
        template_uses=[
            TemplateUses(template_id="t1", name="CRUD <entity>", uses=4, saved_usd=0.08),
            TemplateUses(template_id="t2", name="starter", uses=3, saved_usd=None),
        ],
        cache_hits=[0.02, 0.03, None],
    )
    return build_cost_report(**(values | overrides))


def test_month_and_today_are_local_and_only_provider_calls_count():
    report = _report()
    assert (report.month, report.today, report.timezone) == ("2026-11", "2026-11-15", TOKYO)
    # November in Tokyo: 0.5 + 0.25 + 0.1 + 0.3 (the timeout's cost is unknown: counted, not summed).
    assert report.spent_usd == pytest.approx(1.15) and report.month_calls == 5
    assert report.calls_with_unknown_cost == 1
    assert report.reserved_usd == 0.85 and report.remaining_usd == pytest.approx(8.0)
    assert report.used_percent == pytest.approx(20.0)
    assert report.today_calls == 3 and report.today_cost_usd == pytest.approx(0.4)
    assert report.today_average_usd == pytest.approx(0.4 / 3, abs=1e-6)


def test_spend_by_provider_agent_and_project():
    report = _report()
    by_provider = {g.name: (g.calls, g.cost_usd, g.share_percent) for g in report.by_provider}
    assert by_provider == {
        "anthropic": (2, 0.8, pytest.approx(69.6)),
        "gemini": (1, 0.25, pytest.approx(21.7)),
        "openai": (2, 0.1, pytest.approx(8.7)),
    }
    assert [g.name for g in report.by_provider] == ["anthropic", "gemini", "openai"]  # dearest first
    assert {g.name: g.cost_usd for g in report.by_agent} == {"researcher": 0.8, "coder": 0.35}
    assert {g.name: (g.calls, g.cost_usd) for g in report.by_project} == {"globex": (2, 0.4), "acme": (3, 0.75)}


def test_the_trend_has_one_entry_a_local_day_with_empty_days_at_zero():
    report = _report()
    assert len(report.trend) == 20 and report.trend[0].day == "2026-10-27" and report.trend[-1].day == "2026-11-15"
    days = {d.day: (d.calls, d.cost_usd) for d in report.trend}
    assert days["2026-10-31"] == (1, 5.0)  # last month's row is in the trend, not in the month
    assert days["2026-11-01"] == (1, 0.5) and days["2026-11-14"] == (1, 0.25)
    assert days["2026-11-15"] == (3, pytest.approx(0.4)) and days["2026-11-10"] == (0, 0.0)
    assert sum(c for c, _ in days.values()) == 6
    assert [d.day for d in _report(days=1).trend] == ["2026-11-15"]


def test_savings_from_templates_and_the_cache():
    s = _report().savings
    assert (s.template_requests, s.template_saved_usd, s.template_uses_unknown) == (7, 0.08, 3)
    assert (s.cache_requests, s.cache_saved_usd, s.cache_hits_unknown) == (3, 0.05, 1)
    assert s.total_usd == pytest.approx(0.13)


def test_an_empty_ledger_and_a_spent_budget():
    empty = _report(rows=[], template_uses=[], cache_hits=[], reserved_usd=0.0)
    assert empty.spent_usd == 0 and empty.month_calls == 0 and empty.today_average_usd is None
    assert empty.by_provider == [] and len(empty.trend) == 20 and all(d.calls == 0 for d in empty.trend)
    assert "no calls this month" in cost_report_markdown(empty)
    over = _report(budget_usd=1.0)
    assert over.remaining_usd == 0 and over.used_percent == pytest.approx(200.0)
    assert _report(budget_usd=0.0).used_percent == 100.0
    with pytest.raises(ValueError, match="days must be between 1 and 366"):
        _report(days=0)


def test_text_bar():
    assert text_bar(42) == "████████░░░░░░░░░░░░ 42 %"
    assert text_bar(0) == "░" * 20 + " 0 %" and text_bar(250) == "█" * 20 + " 250 %"


def test_the_markdown_artifact_has_the_bar_and_escapes_names():
    rows = [*_tokyo_rows(), _row(NOW, 0.01, agent="evil|agent *bold*")]
    text = cost_report_markdown(_report(rows=rows), "/tmp/costs.pdf")
    assert "`████░░░░░░░░░░░░░░░░ 20 %`" in text and "remaining **$7.9900**" in text
    assert "| evil\\|agent \\*bold\\* | 1 | $0.0100 |" in text
    assert "| 2026-10-31 | 1 | $5.0000 |" in text and "Report: `/tmp/costs.pdf`" in text


# --- the same figures from a seeded ledger, through the HTML and the PDF --------------------------------------
def _ledger_call(ledger: CallLedger, db, request_id: str, cost: float | None, when: datetime | None = None, **kw):
    values = dict(agent="coder", project="acme", provider="openai") | kw
    call_id = ledger.start(
        request_id=request_id, flow_run_id=None, model="m", attempt=1, system_prompt="", prompt="p", **values
    )
    ledger.finish(call_id, status="succeeded" if cost is not None else "failed", cost_usd=cost)
    if when is not None:
        with db.session() as session:
            session.execute(update(Call).where(Call.id == call_id).values(created_at=when))
    return call_id


@pytest.fixture
def seeded(database, monkeypatch):
    """Today: three calls, a cache hit of one of them, two uses of a learned template; a live reservation."""
    monkeypatch.setenv("Q2O_DATABASE_URL", database)
    monkeypatch.setenv("Q2O_MONTHLY_BUDGET_USD", "20")
    db = open_database(database)
    ledger = CallLedger(db)
    _ledger_call(ledger, db, "first", 1.25, provider="anthropic", agent="researcher", project="globex")
    _ledger_call(ledger, db, "second", 0.5)
    _ledger_call(ledger, db, "second", 0.25, provider="gemini")  # its review: one request, two calls
    ledger.record_cache_hit(
        request_id="repeat",
        flow_run_id=None,
        agent="coder",
        project="acme",
        provider="openai",
        model="m",
        source_request_id="second",
    )
    templates = TemplateStore(db)
    templates.add(
        TemplateRecord(
            id="t1",
            signature="s1",
            name="CRUD <entity>",
            stack_key="python",
            skeleton=["crud"],
            slots=[],
            files=[],
            source_cost_usd=0.4,
        )
    )
    for _ in range(2):
        templates.record_use("t1", request_id="served", agent="coder", project="acme")
    BudgetGuard(load_settings()).reserve(
        agent="coder", project="acme", provider="openai", model="gpt-4.1-mini", prompt_bytes=3, max_output_tokens=10
    )
    return database


def test_gathered_from_the_ledger(seeded):
    report = gather_cost_report(load_settings(), days=7)
    assert report.budget_usd == 20 and report.spent_usd == 2.0 and report.month_calls == 3
    assert report.reserved_usd > 0 and report.remaining_usd == pytest.approx(18.0 - report.reserved_usd)
    assert report.today_calls == 3 and report.today_cost_usd == 2.0
    assert {g.name: g.cost_usd for g in report.by_provider} == {"anthropic": 1.25, "openai": 0.5, "gemini": 0.25}
    assert {g.name: g.calls for g in report.by_agent} == {"researcher": 1, "coder": 2}
    s = report.savings
    assert (s.template_requests, s.template_saved_usd) == (2, 0.8)
    assert (s.cache_requests, s.cache_saved_usd) == (1, 0.75)  # the whole source request: call and review
    assert s.total_usd == pytest.approx(1.55)
    assert report.trend[-1].calls == 3 and report.trend[-1].cost_usd == 2.0 and len(report.trend) == 7


def test_an_old_call_is_in_the_trend_and_in_the_month_only_if_local_time_says_so(seeded, monkeypatch):
    monkeypatch.setenv("Q2O_TIMEZONE", TOKYO)
    db = open_database(seeded)
    before = gather_cost_report(load_settings(), days=40)
    old = datetime.now(UTC) - timedelta(days=35)
    _ledger_call(CallLedger(db), db, "old", 3.0, when=old)
    after = gather_cost_report(load_settings(), days=40)
    assert after.spent_usd == before.spent_usd  # 35 days ago is another month, wherever the month is
    assert sum(d.cost_usd for d in after.trend) == pytest.approx(sum(d.cost_usd for d in before.trend) + 3.0)
    local_day = old.astimezone(ZoneInfo(TOKYO)).strftime("%Y-%m-%d")
    assert {d.day: d.cost_usd for d in after.trend}[local_day] >= 3.0


def _html_text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", html, flags=re.S))).split())


def test_html_and_pdf_read_back(seeded, tmp_path):
    report = gather_cost_report(load_settings(), days=7)
    html_path, pdf_path = write_cost_report(report, tmp_path)
    assert html_path.name == f"costs-{report.today}.html" and pdf_path.name == f"costs-{report.today}.pdf"
    html = html_path.read_text()
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf_path).pages).split())
    reserved = f"${report.reserved_usd:.4f}" if report.reserved_usd >= 0.0001 else f"${report.reserved_usd:.6f}"
    for text in (_html_text(html), pdf):
        assert "Budget $20.00" in text or "BUDGET $20.00" in text
        assert "$2.0000" in text and reserved in text  # spent, reserved
        assert "anthropic 1 $1.2500 62.5 %" in text and "openai 1 $0.5000 25.0 %" in text
        assert "gemini 1 $0.2500 12.5 %" in text
        assert "researcher 1 $1.2500" in text and "globex 1 $1.2500" in text
        assert "2 $0.8000" in text and "1 $0.7500" in text  # template uses and cache repeats saved
        assert "$1.5500" in text  # saved in all
        assert f"{report.today} 3 $2.0000" in text  # today's row of the trend
        assert "$0.6667" in text  # average per call today
    # The trend chart: an SVG that matplotlib drew, embedded as a data URI (the only URL reports may fetch).
    found = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert found is not None
    svg = base64.b64decode(found.group(1)).decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "Matplotlib" in svg
    assert len(PdfReader(pdf_path).pages) >= 1 and pdf_path.read_bytes()[:4] == b"%PDF"
