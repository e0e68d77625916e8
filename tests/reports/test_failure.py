"""Failure report: advice per failure pattern, escaping, unknown costs, atomic HTML + PDF files.

One PDF is rendered for the whole module (WeasyPrint takes most of a second); the rest is HTML.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

import reports.render
from contracts import Attempt, CodeRequest
from reports.failure import (
    FailureReport,
    build_failure_report,
    failure_summary_markdown,
    publish_failure_report,
)
from reports.failure_advice import GENERAL_ADVICE
from reports.render import render_html
from settings import load_settings
from storage import ReportStore, close_database, open_database

START = datetime(2026, 11, 25, 9, 14, 2, tzinfo=UTC)
TASK = "Import QuickBooks invoices <script>alert(1)</script> into Odoo\nwith | pipes and idempotency keys."


def _request(task: str = TASK) -> CodeRequest:
    return CodeRequest(task=task, stack=["python", "fastapi"], agent="coder", project="acme-erp")


def _attempt(provider: str, number: int, kind: str | None, status: str = "failed", **extra) -> Attempt:
    values = dict(
        provider=provider,
        model=f"{provider}-model",
        attempt=number,
        status=status,
        error_kind=kind,
        error=f"{kind} error from {provider}" if kind else None,
        started_at=START + timedelta(seconds=10 * number),
        duration_s=1.5,
        cost_usd=0.0,
    )
    values.update(extra)
    return Attempt(**values)


MIXED = [
    _attempt("gemini", 1, "rate_limited"),
    _attempt("gemini", 2, "timeout", cost_usd=None),
    _attempt(
        "gemini",
        3,
        "invalid_output",
        error="InvalidOutput: bad <b>bold</b> | line",
        input_tokens=1834,
        output_tokens=3901,
        cost_usd=0.0103,
    ),
    _attempt("openai", 1, "auth", error="AuthError: 401 Incorrect API key provided: sk-***"),
    _attempt("anthropic", 0, "not_configured", status="skipped", cost_usd=None),
]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[FailureReport, Path, list[Path]]:
    report = build_failure_report(_request(), MIXED, "all providers failed: openai #1: AuthError: 401")
    settings = load_settings(home=tmp_path_factory.mktemp("home"))
    published = publish_failure_report(report, settings)
    close_database(settings.resolved_database_url)
    return report, settings.reports_dir, [Path(published.html_path), Path(published.pdf_path)]


def _advice(attempts: list[Attempt]) -> str:
    return "\n".join(build_failure_report(_request("a task"), attempts, "failed").recommendations)


# --- the files ------------------------------------------------------------------------------------
def test_pdf_names_the_report_and_every_attempt(written) -> None:
    report, _, (html_path, pdf_path) = written
    text = "\n".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    assert report.report_id in text
    for attempt in MIXED:
        assert attempt.provider in text
        assert attempt.error_kind in text
        if attempt.attempt:
            assert f"try {attempt.attempt}" in text
    assert "Recommendations" in text and "Client message template" in text


def test_write_leaves_exactly_the_html_and_pdf_named_by_report_id(written) -> None:
    report, folder, paths = written
    assert [p.name for p in paths] == [f"{report.report_id}.html", f"{report.report_id}.pdf"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)
    assert paths[1].read_bytes().startswith(b"%PDF")


def test_a_failed_pdf_render_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(html: str) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(reports.render, "_pdf_bytes", broken)
    report = build_failure_report(_request(), MIXED, "failed")
    settings = load_settings(home=tmp_path / "home")
    with pytest.raises(RuntimeError):
        publish_failure_report(report, settings)
    assert not settings.reports_dir.exists() or list(settings.reports_dir.iterdir()) == []
    assert ReportStore(open_database(settings.resolved_database_url)).recent() == []  # nor a row


def test_a_failed_rename_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reports.render, "_pdf_bytes", lambda html: b"%PDF-1.7 stub")

    def refuse(src, dst) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(reports.render.os, "replace", refuse)
    with pytest.raises(OSError):
        reports.render.write_html_and_pdf("<p>x</p>", tmp_path, "stem")
    assert list(tmp_path.iterdir()) == []


# --- escaping ---------------------------------------------------------------------------------------
def test_user_and_llm_text_is_escaped_in_html() -> None:
    report = build_failure_report(_request(), MIXED, "final <i>error</i>")
    page = render_html("failure.html.j2", report=report)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<i>error</i>" not in page and "&lt;i&gt;error&lt;/i&gt;" in page


def test_markdown_summary_is_safe_for_tables() -> None:
    report = build_failure_report(_request(), MIXED, "final | error\nsecond <line>")
    summary = failure_summary_markdown(report)
    assert report.report_id in summary
    rows = [line for line in summary.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + len(MIXED)  # header + one row per attempt; no row broken by a newline
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 10 for row in rows)  # 9 cells, no stray pipe
    assert "bad &lt;b&gt;bold&lt;/b&gt; \\| line" in summary
    assert "&lt;script&gt;" in summary and "<script>" not in summary
    assert "final \\| error second &lt;line&gt;" in summary
    assert "Import QuickBooks invoices" in summary and "idempotency" not in summary  # first line only


# --- costs and counts --------------------------------------------------------------------------------
def test_unknown_cost_is_shown_as_unknown_and_the_total_is_flagged() -> None:
    report = build_failure_report(_request(), MIXED, "failed")
    assert report.total_cost_usd == pytest.approx(0.0103)
    assert report.cost_incomplete and report.unknown_cost_attempts == 1  # the skip made no call
    page = render_html("failure.html.j2", report=report)
    timeout_row = page.split("timeout</strong>")[1].split("</tr>")[0]
    assert "unknown" in timeout_row and "$0" not in timeout_row
    assert "at least" in page and "1 attempt with unknown cost" in page
    assert "+1 unknown" in failure_summary_markdown(report)


def test_all_costs_unknown_gives_no_total() -> None:
    attempts = [
        _attempt("gemini", 1, "timeout", cost_usd=None),
        _attempt("gemini", 2, "timeout", cost_usd=None),
    ]
    report = build_failure_report(_request(), attempts, "failed")
    assert report.total_cost_usd is None and report.cost_incomplete
    assert "**cost:** unknown" in failure_summary_markdown(report)


def test_report_fields() -> None:
    report = build_failure_report(_request(), MIXED, "failed")
    assert re.fullmatch(r"FR-\d{8}-[0-9a-f]{6}", report.report_id)
    assert report.report_id[3:11] == report.created_at.strftime("%Y%m%d")
    assert report.created_at.tzinfo is not None
    counts = report.attempt_counts
    assert (counts.failed, counts.skipped, counts.succeeded, counts.total) == (4, 1, 0, 5)
    assert report.total_duration_s == pytest.approx(7.5)
    assert 'the "Import QuickBooks invoices' in report.client_message
    assert report.report_id in report.client_message
    assert any(report.request_id in step for step in report.consultant_steps)


# --- advice per failure pattern ----------------------------------------------------------------------
def test_rate_limits_advise_waiting_and_spreading_load() -> None:
    advice = _advice([_attempt("gemini", n, "rate_limited") for n in (1, 2, 3)])
    assert advice.startswith("Rate limits: all 3 attempts")
    assert "raise the quota" in advice and "Q2O_CHAIN" in advice
    assert "internet connection" not in advice


def test_auth_names_the_key_variables() -> None:
    advice = _advice([_attempt("gemini", 1, "auth"), _attempt("openai", 1, "auth")])
    assert "GEMINI_API_KEY or GOOGLE_API_KEY" in advice and "OPENAI_API_KEY" in advice
    assert "ANTHROPIC_API_KEY" not in advice


def test_network_failures_tell_server_errors_from_timeouts() -> None:
    advice = _advice([_attempt("gemini", 1, "unavailable"), _attempt("openai", 1, "timeout")])
    assert advice.startswith("Provider or network trouble: 1 of 2 attempts got a server error")
    assert "status pages" in advice and "1 of 2 attempts timed out at openai" in advice
    assert "Q2O_TIMEOUT_SECONDS" in advice


def test_unusable_output_advises_simpler_or_split_tasks() -> None:
    advice = _advice([_attempt("gemini", 1, "invalid_output"), _attempt("openai", 1, "malformed_response")])
    assert advice.startswith("Unusable output:")
    assert "Simplify the task" in advice and "more specific guidance" in advice


def test_all_skipped_names_the_keys_and_the_base_url() -> None:
    skips = [_attempt(p, 0, "not_configured", status="skipped") for p in ("gemini", "openai", "anthropic")]
    advice = _advice(skips)
    assert advice.startswith("No provider configured")
    for variable in (
        "GEMINI_API_KEY or GOOGLE_API_KEY",
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "Q2O_OPENAI_BASE_URL",
    ):
        assert variable in advice
    report = build_failure_report(_request(), skips, "no provider configured")
    assert report.total_cost_usd == 0.0 and not report.cost_incomplete
    assert "could not reach an AI provider" in report.client_message


def test_model_settings_and_budget() -> None:
    advice = _advice([_attempt("openai", 1, "model_not_found", model="gpt-9")])
    assert "Q2O_OPENAI_MODEL (tried: gpt-9)" in advice
    advice = _advice([_attempt("gemini", 0, "budget_exhausted", status="skipped")])
    assert "monthly budget" in advice and "next month" in advice


def test_mixed_failures_give_several_recommendations_most_frequent_first() -> None:
    attempts = [
        _attempt("gemini", 1, "timeout"),
        _attempt("gemini", 2, "timeout"),
        _attempt("gemini", 3, "unavailable"),
        _attempt("openai", 1, "rate_limited"),
        _attempt("anthropic", 1, "auth"),
    ]
    recommendations = build_failure_report(_request(), attempts, "failed").recommendations
    labels = [r.split(":")[0] for r in recommendations]
    assert labels[0] == "Provider or network trouble" and "1 of 5 attempts got a server error" in recommendations[0]
    assert "2 of 5 attempts timed out" in recommendations[0]
    assert {"Rate limits", "API keys"} <= set(labels[1:3])
    assert recommendations[-len(GENERAL_ADVICE) :] == GENERAL_ADVICE


def test_general_advice_is_always_there() -> None:
    for attempts in ([], [_attempt("gemini", 1, "something_new")]):
        recommendations = build_failure_report(_request(), attempts, "failed").recommendations
        assert recommendations[-len(GENERAL_ADVICE) :] == GENERAL_ADVICE
        assert len(recommendations) == len(GENERAL_ADVICE) + 1
