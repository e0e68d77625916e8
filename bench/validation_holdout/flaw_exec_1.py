"""Rules engine: business rules are stored as Python snippets in the database."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass
class Rule:
    """One stored rule: a name and the source code that sets ``result``."""

    name: str
    source: str


def load_rules(conn: sqlite3.Connection, ruleset: str) -> list[Rule]:
    """Load the active rules of a ruleset, in priority order."""
    rows = conn.execute(
        "SELECT name, source FROM rules WHERE ruleset = ? AND active = 1 ORDER BY priority",
        (ruleset,),
    ).fetchall()
    return [Rule(name=row[0], source=row[1]) for row in rows]


def run_rules(rules: list[Rule], order: dict[str, Any]) -> dict[str, Any]:
    """Run every rule against an order and collect each rule's ``result``."""
    outcomes: dict[str, Any] = {}
    for rule in rules:
        namespace: dict[str, Any] = {"order": order, "result": None}
        code = compile(rule.source, f"<rule {rule.name}>", "exec")
        exec(code, namespace)
        outcomes[rule.name] = namespace["result"]
    return outcomes
