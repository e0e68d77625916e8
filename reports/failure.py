"""The failure report: what was tried for a request, why each try failed, and what to do next.

``build_failure_report`` reads the attempts into a ``FailureReport`` (advice from
``reports.failure_advice``); it is published as HTML and PDF for the consultant
(``publish_failure_report``) and summarised in markdown for the Prefect UI.
"""

from __future__ import annotations

import html
import secrets
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from contracts import Attempt, CodeRequest, cost_unknown
from reports.failure_advice import called, consultant_steps, recommendations
from reports.publish import PublishedReport, publish_report
from reports.render import format_seconds, format_usd, render_report
from settings import Settings

TITLE_CHARS = 90


class AttemptCounts(BaseModel):
    """How many attempts ended in each status."""

    succeeded: int = 0
    failed: int = 0
    skipped: int = 0
    running: int = 0

    @property
    def total(self) -> int:
        return self.succeeded + self.failed + self.skipped + self.running


class FailureReport(BaseModel):
    """Everything a consultant needs about one request that produced no code."""

    report_id: str = Field(description='"FR-<yyyymmdd>-<6 hex>", also the report files\' name.')
    created_at: datetime = Field(description="When the report was built (UTC).")
    task: str = Field(description="The request's task, verbatim.")
    stack: list[str]
    agent: str
    project: str
    request_id: str
    attempts: list[Attempt] = Field(description="Every try and skip, in the order they happened.")
    final_error: str = Field(description="Why the request failed, in one line.")
    error: str | None = Field(default=None, description="The machine-readable reason (CodeResult.error).")
    recommendations: list[str] = Field(description="Specific advice first, then the general options.")
    consultant_steps: list[str]
    client_message: str = Field(description="Plain-text message template for the client.")
    total_cost_usd: float | None = Field(description="Sum of the known costs; None when no attempt's cost is known.")
    cost_incomplete: bool = Field(description="Some attempt made a call whose cost is unknown.")
    total_duration_s: float
    attempt_counts: AttemptCounts

    @property
    def task_title(self) -> str:
        """The task's first line, shortened: how people name this component."""
        return task_title(self.task)

    @property
    def headline(self) -> str:
        """The badge: what kind of failure this is."""
        return _HEADLINES.get(self.error or "", "all providers exhausted")

    @property
    def unknown_cost_attempts(self) -> int:
        return sum(1 for a in self.attempts if cost_unknown(a))

    @property
    def providers(self) -> list[str]:
        return list(dict.fromkeys(a.provider for a in self.attempts))


_HEADLINES = {
    "budget_exhausted": "budget exhausted",
    "no_provider_configured": "no provider configured",
    "rejected_by_review": "rejected by review",
    "failed_validation": "failed validation",
}


def task_title(task: str) -> str:
    """First non-empty line of ``task`` with whitespace collapsed, at most ``TITLE_CHARS`` long."""
    first = next((line for line in task.splitlines() if line.strip()), task)
    first = " ".join(first.split())
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1].rstrip() + "…"


def _new_report_id(now: datetime) -> str:
    return f"FR-{now:%Y%m%d}-{secrets.token_hex(3)}"


def _client_message(request: CodeRequest, attempts: list[Attempt], report_id: str) -> str:
    title = task_title(request.task)
    calls = called(attempts)
    if calls:
        providers = len({a.provider for a in calls})
        what_happened = (
            f"Our AI system made {len(calls)} attempt{'s' if len(calls) != 1 else ''} with "
            f"{providers} AI provider{'s' if providers != 1 else ''} but was unable to generate "
            "production-quality code that meets our quality standards."
        )
    else:
        what_happened = "Our AI system could not reach an AI provider for this task, so no code was generated."
    return "\n".join(
        [
            "Hello [client name],",
            "",
            # One line per paragraph: plain text that mail clients wrap themselves.
            f'We encountered a technical challenge with automated code generation for the "{title}" '
            f"component. {what_happened}",
            "",
            "We recommend:",
            "- [Recommendation 1]",
            "- [Recommendation 2]",
            "",
            "Estimated manual development time: [X hours]",
            "Alternative approaches: [list options]",
            "",
            f"Reference: {report_id}",
            "",
            "Best regards,",
            "[consultant name]",
        ]
    )


def build_failure_report(
    request: CodeRequest, attempts: list[Attempt], final_error: str, error: str | None = None
) -> FailureReport:
    """Assemble the report for ``request``, whose ``attempts`` all failed with ``final_error``.

    ``error`` is the result's machine-readable reason (e.g. ``budget_exhausted``); it picks the headline.
    """
    now = datetime.now(UTC)
    report_id = _new_report_id(now)
    known = [a.cost_usd for a in attempts if a.cost_usd is not None]
    incomplete = any(cost_unknown(a) for a in attempts)
    counts = AttemptCounts()
    for attempt in attempts:
        setattr(counts, attempt.status, getattr(counts, attempt.status) + 1)
    return FailureReport(
        report_id=report_id,
        created_at=now,
        task=request.task,
        stack=list(request.stack),
        agent=request.agent,
        project=request.project,
        request_id=request.request_id,
        attempts=list(attempts),
        final_error=final_error,
        error=error,
        recommendations=recommendations(attempts),
        consultant_steps=consultant_steps(request.request_id, report_id),
        client_message=_client_message(request, attempts, report_id),
        total_cost_usd=round(sum(known), 6) if known or not incomplete else None,
        cost_incomplete=incomplete,
        total_duration_s=round(sum(a.duration_s for a in attempts), 3),
        attempt_counts=counts,
    )


def publish_failure_report(report: FailureReport, settings: Settings) -> PublishedReport:
    """Write the report's files under ``Q2O_HOME/reports`` and keep it in the database for the report endpoint."""
    return publish_report(
        settings,
        render_report("failure.html.j2", report=report),
        report_id=report.report_id,
        kind="failure",
        title=report.task_title,
        request_id=report.request_id,
    )


def total_cost_text(report: FailureReport) -> str:
    """The total cost for people: "$0.0120", "at least $0.0120 (+2 unknown)" or "unknown"."""
    if report.total_cost_usd is None:
        return "unknown"
    if report.cost_incomplete:
        return f"at least {format_usd(report.total_cost_usd)} (+{report.unknown_cost_attempts} unknown)"
    return format_usd(report.total_cost_usd)


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|"})


def markdown_text(text: str | None, limit: int = 240) -> str:
    """``text`` safe inside a markdown table cell: one line, short, no markup, no pipes."""
    if text is None or not text.strip():
        return "—"
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=False).translate(_MARKDOWN_SPECIAL)


def _attempt_row(number: int, attempt: Attempt) -> str:
    cost = "—" if attempt.status == "skipped" else format_usd(attempt.cost_usd)
    cells = [
        str(number),
        markdown_text(attempt.provider),
        markdown_text(attempt.model),
        str(attempt.attempt),
        markdown_text(attempt.status),
        markdown_text(attempt.error_kind),
        markdown_text(attempt.error, 160),
        format_seconds(attempt.duration_s),
        cost,
    ]
    return "| " + " | ".join(cells) + " |"


def failure_summary_markdown(report: FailureReport, top: int = 3, published: PublishedReport | None = None) -> str:
    """A short markdown summary for a Prefect artifact, linking the report when it was ``published``; every user
    or LLM text in it is escaped."""
    counts = report.attempt_counts
    tally = ", ".join(f"{n} {status}" for status, n in counts.model_dump().items() if n) or "none"
    lines = [
        f"## Failure report {report.report_id}",
        "",
        f"**Task:** {markdown_text(report.task_title)}  ",
        f"**Request:** {markdown_text(report.request_id)} · project {markdown_text(report.project)}"
        f" · agent {markdown_text(report.agent)}  ",
        f"**Attempts:** {counts.total} ({tally}) · **cost:** {markdown_text(total_cost_text(report))}"
        f" · **time:** {format_seconds(report.total_duration_s)}",
        "",
    ]
    if report.attempts:
        lines += [
            "| # | Provider | Model | Try | Status | Kind | Error | Duration | Cost |",
            "|---:|---|---|---:|---|---|---|---:|---:|",
            *(_attempt_row(i, a) for i, a in enumerate(report.attempts, 1)),
            "",
        ]
    lines += [f"**Final error:** {markdown_text(report.final_error, 400)}", "", "**Top recommendations:**"]
    lines += [f"{i}. {markdown_text(r, 400)}" for i, r in enumerate(report.recommendations[:top], 1)]
    if published is None:
        lines += ["", f"Full report: {report.report_id}.pdf (HTML alongside)"]
    else:
        lines += [
            "",
            f"Full report: [{report.report_id} (HTML)]({published.html_url}) · [PDF]({published.pdf_url})",
            "",
            f"On disk where it was written: `{published.pdf_path}`",
        ]
    return "\n".join(lines) + "\n"
