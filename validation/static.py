"""Static validation of generated files: for now Python syntax; later lint, security and coverage.

A file in a language we do not check is reported as "not checked", never silently passed.
"""

from __future__ import annotations

import ast

from codegen.models import Finding, GeneratedFile, Verdict


def check_syntax(files: list[GeneratedFile]) -> list[Finding]:
    """One high-severity finding per Python file that does not parse."""
    findings: list[Finding] = []
    for f in files:
        if not f.path.endswith(".py"):
            continue
        try:
            ast.parse(f.content, filename=f.path)
        except SyntaxError as exc:
            findings.append(
                Finding(rule="syntax", severity="high", file=f.path, line=exc.lineno, message=exc.msg)
            )
    return findings


def validate_files(files: list[GeneratedFile]) -> Verdict:
    """Score 100 minus 100 per high finding (floored at 0); any high finding fails the verdict."""
    findings = check_syntax(files)
    for f in files:
        if not f.path.endswith(".py"):
            findings.append(Finding(rule="not-checked", severity="info", file=f.path, message="not checked"))
    high = sum(1 for f in findings if f.severity == "high")
    return Verdict(passed=high == 0, score=max(0.0, 100.0 - 100.0 * high), findings=findings)
