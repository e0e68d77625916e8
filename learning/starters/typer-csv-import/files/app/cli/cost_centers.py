"""``import-cost-centers``: read cost center rows from CSV, validate them, write the valid ones as JSON Lines.

Bad rows are reported with their line number and skipped; with ``--strict`` any bad row fails the run
(exit code 1) and nothing is written. Replace ``write_cost_centers`` to send the rows to your own store.
"""

import csv
import json
from pathlib import Path
from typing import Annotated, NamedTuple

import typer
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

app = typer.Typer(help="Cost center data tools.", no_args_is_help=True)

REQUIRED_COLUMNS = frozenset({"reference", "name"})


class CostCenterRow(BaseModel):
    """One CSV row, validated; extra columns are ignored and blank cells count as missing."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    reference: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    is_active: bool = True

    @field_validator("description", mode="before")
    @classmethod
    def blank_description_is_none(cls, value: object) -> object:
        """An empty cell means no description."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("is_active", mode="before")
    @classmethod
    def blank_means_active(cls, value: object) -> object:
        """An empty ``is_active`` cell means active (the default)."""
        return True if value is None or (isinstance(value, str) and not value.strip()) else value


class RowProblem(NamedTuple):
    """Why the row on ``line`` was rejected."""

    line: int
    message: str


def read_cost_centers(source: Path) -> tuple[list[CostCenterRow], list[RowProblem]]:
    """Valid rows and the problems of invalid ones; raises ``typer.BadParameter`` if columns are missing."""
    rows: list[CostCenterRow] = []
    problems: list[RowProblem] = []
    with source.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED_COLUMNS - set(reader.fieldnames or ())
        if missing:
            raise typer.BadParameter(f"missing columns: {', '.join(sorted(missing))}", param_hint="SOURCE")
        for record in reader:
            try:
                rows.append(CostCenterRow.model_validate(record))
            except ValidationError as exc:
                detail = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in exc.errors())
                problems.append(RowProblem(reader.line_num, detail))
    return rows, problems


def write_cost_centers(rows: list[CostCenterRow], output: Path) -> None:
    """Write ``rows`` as JSON Lines, replacing ``output`` only once everything is written."""
    partial = output.with_name(output.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row.model_dump(), ensure_ascii=False) + "\n")
    partial.replace(output)


@app.command("import-cost-centers")
def import_cost_centers(
    source: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV file to read.")],
    output: Annotated[Path, typer.Option("--output", "-o", dir_okay=False, help="JSON Lines file to write.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only; write nothing.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail if any row is invalid.")] = False,
) -> None:
    """Import cost centers from SOURCE (CSV with a header row) into OUTPUT."""
    rows, problems = read_cost_centers(source)
    for problem in problems:
        typer.echo(f"line {problem.line}: {problem.message}", err=True)
    if strict and problems:
        typer.echo(f"{len(problems)} invalid rows; nothing written (--strict)", err=True)
        raise typer.Exit(code=1)
    if not dry_run:
        write_cost_centers(rows, output)
    typer.echo(f"{len(rows)} valid, {len(problems)} skipped{' (dry run)' if dry_run else ''}")


if __name__ == "__main__":
    app()
