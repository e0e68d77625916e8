"""``q2o templates``: list, show, add, enable, disable, delete, export, import, reindex and stats of the
template library. Each command calls the library (``learning``; ``add`` calls ``codegen.templates``) or the
template store and prints."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cli.console import cli_settings, err, fail_usage, open_library, out, terminal_safe, write_tsv
from cli.options import first_error
from settings import UsageError

if TYPE_CHECKING:
    from codegen.templates import AddedTemplate
    from contracts import GeneratedFile, ReviewSummary
    from learning.catalog import CatalogRow
    from storage import TemplateStore

app = typer.Typer(help="The template library: learned and starter templates.", no_args_is_help=True)


def _store() -> TemplateStore:
    from storage import TemplateStore

    return TemplateStore(open_library())


def _missing(template_id: str) -> typer.Exit:
    return fail_usage(f"no template {template_id}")


@app.command("list")
def list_templates(
    all_: Annotated[
        bool,
        typer.Option(
            "--all/--enabled-only",
            help="List every template, disabled ones too (--all), or only the ones served (--enabled-only).",
        ),
    ] = True,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", help="Only templates whose id, name, task, stack or phrasings hold every word of TEXT."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON array of templates.")] = False,
) -> None:
    """List templates; the "on" column says which are served. Piped or redirected: one tab-separated row a line,
    a header first."""
    import json
    import sys

    from learning.catalog import catalog

    if search is not None and not search.strip():
        raise fail_usage("--search: give some text to look for")
    rows = catalog(_store().list(include_disabled=all_), search)
    if as_json:
        sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in rows]) + "\n")
        return
    cells = [_cells(r) for r in rows]
    if not out.is_terminal:
        write_tsv(LIST_COLUMNS, cells)
        return
    table = Table(box=None, header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("name", ratio=1, overflow="fold")
    for header in LIST_COLUMNS[2:]:
        table.add_column(header, no_wrap=True)
    for line in cells:
        table.add_row(*(terminal_safe(c) for c in line))
    out.print(table)


LIST_COLUMNS = ("id", "name", "origin", "provider", "score", "uses", "fails", "on", "cost")


def _cells(r: CatalogRow) -> tuple[str, ...]:
    from learning.catalog import NOT_GENERATED

    cost = (
        "-"
        if r.origin in NOT_GENERATED  # not generated: no model was paid for it
        else "?"
        if r.source_cost_usd is None
        else f"${r.source_cost_usd:.4f}"
    )
    return (
        r.id,
        r.name,
        r.origin,
        r.source_provider or "-",
        f"{r.quality:.0f}",
        str(r.uses),
        str(r.failures),
        "yes" if r.enabled else "no",
        cost,
    )


@app.command("show")
def show(template_id: str) -> None:
    """Show one template: slots, the phrasings it is asked as, and files with their slot markers."""
    record = _store().get(template_id)
    if record is None:
        raise _missing(template_id)
    for key, value in record.model_dump(exclude={"files", "keys", "skeleton"}).items():
        out.print(f"[bold]{key}[/bold]: ", end="")
        out.print(str(value), markup=False, soft_wrap=True)
    out.print("[bold]phrasings[/bold] (the tasks it serves, names as slot markers):")
    for phrasing in record.skeleton:
        out.print(f"  {phrasing}", markup=False, soft_wrap=True)
    for f in record.files:
        out.rule(f["path"])
        # Code as it is: a terminal narrower than a line scrolls it, never folds it mid-token.
        out.print(f["content"], markup=False, highlight=False, soft_wrap=True)


def _set(template_id: str, enabled: bool) -> None:
    if not _store().set_enabled(template_id, enabled):
        raise _missing(template_id)
    out.print(f"{template_id} {'enabled' if enabled else 'disabled'}")


@app.command("enable")
def enable(template_id: str) -> None:
    """Serve this template again."""
    _set(template_id, True)


@app.command("disable")
def disable(template_id: str) -> None:
    """Never serve this template."""
    _set(template_id, False)


@app.command("delete")
def delete(template_id: str) -> None:
    """Delete a template."""
    if not _store().delete(template_id):
        raise _missing(template_id)
    out.print(f"{template_id} deleted")


@app.command("export")
def export(file: Path) -> None:
    """Write every template to a JSON file."""
    from learning.library import export_templates

    db = open_library()
    try:
        count = export_templates(db, file)
    except OSError as exc:
        raise fail_usage(f"cannot write {file}: {exc.strerror or exc}") from None
    out.print(f"exported {count} templates to {file}", markup=False)


@app.command("import")
def import_(file: Path) -> None:
    """Read templates from an export file (all or nothing)."""
    from learning.library import import_templates

    db = open_library()
    try:
        added, replaced = import_templates(db, file)
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    out.print(
        f"imported {added + replaced} templates from {file}: {added} new, {replaced} replacing the stored "
        "one with the same id or signature",
        markup=False,
        soft_wrap=True,
    )


@app.command("add")
def add(
    task: Annotated[str, typer.Argument(help='The task this code does, with its names: "CRUD API for Invoice".')],
    files: Annotated[list[Path], typer.Argument(help="The code files, stored with paths relative to --root.")],
    stack: Annotated[str, typer.Option(help="Tech stack, comma separated, e.g. python,fastapi.")],
    root: Annotated[Path, typer.Option(help="The folder the stored paths are relative to.")] = Path("."),
    no_review: Annotated[
        bool,
        typer.Option(
            "--no-review",
            help="For a security-sensitive task: add without a provider's review (you vouch for it).",
        ),
    ] = False,
) -> None:
    """Add hand-written code to the library as a template (the same checks as a generation: static validation,
    a second provider's review for security-sensitive work, names of the task made into slots); similar tasks
    are then served from it without a model."""
    import asyncio

    from pydantic import ValidationError

    from codegen.templates import ReviewerMissing, TemplateRefused, add_template
    from contracts import CodeRequest

    try:
        request = CodeRequest.model_validate({"task": task, "stack": stack})  # the validator splits the stack
    except ValidationError as exc:
        raise fail_usage("{}: {}".format(*first_error(exc))) from None
    code = _read_code(files, root)
    settings = cli_settings()
    db = open_library(settings)
    try:
        added = asyncio.run(add_template(db, settings, request.task, request.stack, code, review=not no_review))
    except ReviewerMissing as exc:
        raise fail_usage(f"{exc}; configure one, or pass --no-review to vouch for the code yourself") from None
    except TemplateRefused as exc:
        if exc.review is not None:
            _print_review(exc.review)
        raise fail_usage(str(exc)) from None
    if added.review is not None:
        _print_review(added.review)
    _print_added(added)
    from validation.review import is_sensitive

    if no_review and is_sensitive(request.task, [], settings.sensitive_keywords):
        err.print(
            "note: the task is security-sensitive: a request is served from this template only after another "
            "provider reviews its render, so it needs a configured provider",
            markup=False,
            soft_wrap=True,
        )


@app.command("promote")
def promote(
    call_id: Annotated[int, typer.Argument(help="The call whose answer becomes a template (q2o calls).")],
) -> None:
    """Make one call's answer a template of its request's task, with the checks of `templates add` (static
    validation; a provider's review when the task is security-sensitive)."""
    import asyncio

    from codegen.admin import promote_call
    from codegen.templates import ReviewerMissing, TemplateRefused

    if not 0 < call_id < 2**63:
        raise fail_usage(f"no call with id {call_id}")
    settings = cli_settings()
    try:
        added = asyncio.run(promote_call(open_library(settings), settings, call_id))
    except ReviewerMissing as exc:
        raise fail_usage(f"{exc}; configure a second provider to review it") from None
    except TemplateRefused as exc:
        if exc.review is not None:
            _print_review(exc.review)
        raise fail_usage(str(exc)) from None
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    if added.review is not None:
        _print_review(added.review)
    _print_added(added)


def _read_code(files: list[Path], root: Path) -> list[GeneratedFile]:
    """The named files, with paths relative to ``root``; exit 2 for a file outside it or one that cannot be read."""
    from contracts import GeneratedFile

    base = root.resolve()
    read: list[GeneratedFile] = []
    for file in files:
        path = file.resolve()
        if not path.is_relative_to(base):
            raise fail_usage(f"{file} is not inside --root {root}")
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise fail_usage(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}") from None
        read.append(GeneratedFile(path=path.relative_to(base).as_posix(), content=content))
    return read


def _print_review(review: ReviewSummary) -> None:
    out.print(f"reviewed by {review.reviewer}: approve, score {review.score}", markup=False)


def _print_added(added: AddedTemplate) -> None:
    slots = ", ".join(f"{name}={' '.join(words)}" for name, words in added.slots.items())
    if not added.created:
        out.print(f"not added: {added.template_id} already covers this task ({slots})", markup=False, soft_wrap=True)
        return
    out.print(
        f"added {added.template_id} ({slots}, score {added.validation_score:.0f}): {added.name}",
        markup=False,
        soft_wrap=True,
    )


@app.command("reindex")
def reindex() -> None:
    """Re-derive every template under the current rules; templates they cannot explain are disabled and listed."""
    from learning.library import reindex_templates

    done = reindex_templates(open_library())
    out.print(
        f"reindexed {done.total} templates: {done.changed} changed, {done.unchanged} already up to date, "
        f"{len(done.disabled)} disabled",
        markup=False,
    )
    for line in done.disabled:
        out.print(f"  disabled {line}", markup=False)


@app.command("stats")
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Templates, uses, average quality, templates by source provider, dollars saved."""
    from learning.library import template_stats

    s = template_stats(open_library())
    if as_json:
        out.print_json(s.model_dump_json())
        return
    out.print(f"templates: {s.templates} ({s.enabled} enabled)")
    out.print(f"uses: {s.uses}")
    out.print(f"exact repeats served from the cache: {s.cache_hits} (${s.cache_saved_usd:.6f} saved)")
    out.print(f"average quality: {'-' if s.average_quality is None else f'{s.average_quality:.1f}'}")
    out.print("by source: " + ", ".join(f"{k} {v}" for k, v in sorted(s.by_source_provider.items())))
    out.print(
        f"dollars saved: ${s.dollars_saved:.6f} (source generation cost x uses"
        + (
            f"; {s.uses_with_unknown_cost} uses of templates with unknown cost not counted)"
            if s.uses_with_unknown_cost
            else ")"
        )
    )
