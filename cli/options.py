"""Option checks more than one command shares: a ``--provider`` list, and a request's first validation error
as one line says it."""

from __future__ import annotations

from pydantic import ValidationError

from settings import PROVIDER_NAMES


def provider_list_problem(text: str, *, models: bool = False) -> str | None:
    """What is wrong with a ``--provider`` list (empty, an empty entry, unknown or repeated names; with
    ``models``, entries may be ``provider:model``), or None."""
    entries = [p.strip() for p in text.split(",")]
    if not models and any(":" in e for e in entries):
        return "name providers only here (no provider:model entries)"
    if any(name.strip() and colon and not model.strip() for name, colon, model in (e.partition(":") for e in entries)):
        return "an entry names no model: write provider:MODEL, or the provider alone"
    names = [e.partition(":")[0].strip().lower() for e in entries]
    if not any(names):
        return f"the provider list is empty; name one or more of {', '.join(PROVIDER_NAMES)}"
    if not all(names):
        return "the provider list has an empty entry"
    unknown = [n for n in names if n not in PROVIDER_NAMES]
    if unknown:
        return f"unknown provider {', '.join(unknown)}; choose from {', '.join(PROVIDER_NAMES)}"
    repeated = list(dict.fromkeys(n for i, n in enumerate(names) if n in names[:i]))
    if repeated:
        verb = "appears" if len(repeated) == 1 else "appear"
        return f"{', '.join(repeated)} {verb} more than once in the provider list"
    return None


def first_error(exc: ValidationError) -> tuple[str, str]:
    """The field and the message of a model's first validation error, without pydantic's "Value error, "."""
    first = exc.errors()[0]
    return str(first["loc"][0]), str(first["msg"]).removeprefix("Value error, ")
