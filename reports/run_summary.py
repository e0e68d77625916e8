"""The compact markdown a generate-code run shows in the Prefect UI: where the code came from and what it cost.

Every text from a user or an LLM is escaped (``markdown_text``); no code is shown, only its file names.
"""

from __future__ import annotations

from contracts import CodeResult, provider_calls
from reports.failure import markdown_text
from reports.render import format_seconds, format_usd


def run_summary_markdown(result: CodeResult, task: str, duration_s: float) -> str:
    """One request's outcome: source, provider and model, tokens, cost, score, template, review, time."""
    calls = provider_calls(result.attempts)
    tokens_in = sum(a.input_tokens or 0 for a in calls)
    tokens_out = sum(a.output_tokens or 0 for a in calls)
    source = {"llm": "generated", "template": "template", "cache": "exact-repeat cache", None: "nothing"}[result.source]
    lines = [
        f"## {result.status.upper()} · {source}",
        "",
        f"**Task:** {markdown_text(task.strip().splitlines()[0] if task.strip() else '', 160)}  ",
        f"**Request:** {markdown_text(result.request_id)}  ",
    ]
    if result.provider:
        lines.append(f"**Provider:** {markdown_text(result.provider)} · **model:** {markdown_text(result.model)}  ")
    if result.template_id:
        bindings = ", ".join(f"{k}={v}" for k, v in (result.bindings or {}).items())
        lines.append(f"**Template:** {markdown_text(result.template_id)} ({markdown_text(bindings)})  ")
    lines += [
        f"**Calls:** {len(calls)} · **tokens in/out:** {tokens_in}/{tokens_out} · "
        f"**cost:** {'unknown' if result.cost_usd is None else format_usd(result.cost_usd)}  ",
        f"**Quality score:** {'-' if result.quality_score is None else f'{result.quality_score:.0f}'} · "
        f"**time:** {format_seconds(duration_s)}  ",
    ]
    if result.review is not None:
        review = result.review
        lines.append(
            f"**Review:** {markdown_text(review.outcome)} by {markdown_text(review.reviewer or 'nobody')}"
            + (f", score {review.score:.0f}" if review.score is not None else "")
            + ("  (after one repair round)" if review.repaired else "")
            + "  "
        )
    if result.error:
        lines.append(f"**Error:** {markdown_text(result.error)}  ")
    if result.files:
        lines += ["", "**Files:** " + ", ".join(markdown_text(f.path, 120) for f in result.files[:20])]
    return "\n".join(lines) + "\n"
