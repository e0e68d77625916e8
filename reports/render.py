"""Render report HTML from the Jinja templates in ``reports/templates`` and print it to PDF.

One autoescaping environment serves every report; files are written under a temporary name and
renamed, so a crash never leaves half a report behind.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import escape

# WeasyPrint warns on every PDF that it falls back to fontTools for font subsetting (no HarfBuzz-Subset on
# this system); the PDFs are fine, so only its errors are worth a log line.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

TEMPLATES_DIR = Path(__file__).parent / "templates"


def format_usd(value: float | None) -> str:
    """Dollars for people: ``None`` is "unknown" (never $0); tiny amounts keep their digits."""
    if value is None:
        return "unknown"
    if value == 0:
        return "$0.00"
    if abs(value) < 0.0001:
        return f"${value:.6f}"
    return f"${value:.4f}"


def format_seconds(value: float | None) -> str:
    """A duration as "0.84 s", "12.3 s" or "2 min 05 s"."""
    if value is None:
        return "—"
    if value < 10:
        return f"{value:.2f} s"
    if value < 120:
        return f"{value:.1f} s"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes} min {seconds:02d} s"


def format_utc(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M:%S UTC") -> str:
    """A timestamp in UTC; a naive datetime is taken to be UTC already (as the ledger stores it)."""
    if value is None:
        return "—"
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime(pattern)


def format_count(value: int | None) -> str:
    """A token count with thousands separators; "—" when the provider reported none."""
    return "—" if value is None else f"{value:,}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every report shows user and LLM text: it must never become markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(usd=format_usd, seconds=format_seconds, utc=format_utc, count=format_count)
    return env


REPORT_ENV = _environment()


def render_html(template: str, **context: object) -> str:
    """Render ``reports/templates/<template>`` with ``context`` (autoescaped, strict about names)."""
    return REPORT_ENV.get_template(template).render(**context)


def _pdf_bytes(html: str) -> bytes:
    # Imported here: WeasyPrint takes about a second to import and only report writers need it.
    from weasyprint import HTML, URLFetcher

    # Reports carry their CSS inline; refusing every other URL keeps rendering off the network
    # and the file system whatever a template (or a bug in one) asks for.
    fetcher = URLFetcher(allowed_protocols=("data",))
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf()
    if pdf is None:  # write_pdf() without a target returns the bytes; this is for the type checker
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf


def _write_temporary(folder: Path, stem: str, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{stem}.", suffix=".part")
    try:
        os.fchmod(handle, 0o644)  # mkstemp makes 0600; a report is read like any written file
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


@dataclass(frozen=True)
class RenderedReport:
    """A report's two forms: the HTML page and the PDF printed from it."""

    html: str
    pdf: bytes = field(repr=False)


def render_report(template: str, **context: object) -> RenderedReport:
    """Render ``reports/templates/<template>`` and print it to PDF."""
    html = render_html(template, **context)
    return RenderedReport(html=html, pdf=_pdf_bytes(html))


def without_secrets(report: RenderedReport, secrets: list[str]) -> RenderedReport:
    """``report`` with every secret in its HTML replaced by ``***``, printed again when there was one (a key
    pasted into a task, say): the last look before a report is kept. Whole secrets only, as written or escaped: the
    ledger's rows that fill a report are redacted already, shortened keys included."""
    html = report.html
    for secret in (s for s in secrets if len(s) >= 4):
        html = html.replace(secret, "***").replace(escape(secret), "***")
    return report if html == report.html else RenderedReport(html=html, pdf=_pdf_bytes(html))


def write_html_and_pdf(html: str, folder: Path, stem: str) -> tuple[Path, Path]:
    """Print ``html`` to PDF and write both into ``folder`` (see ``write_report_files``)."""
    folder.mkdir(parents=True, exist_ok=True)
    # the slow, fallible part, done before a file is written
    return write_report_files(RenderedReport(html=html, pdf=_pdf_bytes(html)), folder, stem)


def write_report_files(report: RenderedReport, folder: Path, stem: str) -> tuple[Path, Path]:
    """Write ``<stem>.html`` and ``<stem>.pdf`` into ``folder``; both appear whole or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = folder / f"{stem}.html", folder / f"{stem}.pdf"
    temporaries: list[Path] = []
    try:
        temporaries.append(_write_temporary(folder, stem, report.html.encode("utf-8")))
        temporaries.append(_write_temporary(folder, stem, report.pdf))
        os.replace(temporaries[0], html_path)
        os.replace(temporaries[1], pdf_path)
    finally:
        for path in temporaries:
            path.unlink(missing_ok=True)
    return html_path, pdf_path
