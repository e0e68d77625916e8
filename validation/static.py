"""Static validation of generated files: syntax, lint (ruff), security (bandit and our own AST checks),
type-hint and docstring coverage for Python; parsing for JSON, YAML and TOML; anything else is "not checked".

Score (0-100): start at 100; subtract per finding by severity (high 40, medium 15, low 5, info 0); subtract
the coverage shortfall of public functions and classes (up to 10 points for type hints, up to 5 for
docstrings, proportional to the missing share); floor at 0. A verdict passes when it has no high finding and
its score is at least ``min_quality``. Test files (test_*.py, conftest.py) are not held to coverage.
"""

from __future__ import annotations

import ast
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import warnings
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import yaml

from contracts import GeneratedFile
from validation.models import Finding, Severity, Verdict

SEVERITY_COST = {"high": 40.0, "medium": 15.0, "low": 5.0, "info": 0.0}
TYPE_HINT_POINTS = 10.0
DOCSTRING_POINTS = 5.0

# Ruff rules for generated code: syntax errors (E9), pyflakes (F: undefined names, unused imports, ...),
# bugbear (B: mutable defaults, bare except, ...) and pylint errors (PLE). Style rules are left out on purpose:
# generated code is judged on defects, not formatting. Security is bandit's and ours, so no "S" here.
RUFF_SELECT = "E9,F,B,PLE"
# Parameter markers of FastAPI and Typer are meant to be called in argument defaults (``db = Depends(get_db)``,
# ``name: str = typer.Option(...)``): that is how those frameworks declare parameters.
_RUFF_IMMUTABLE_CALLS = (
    "lint.flake8-bugbear.extend-immutable-calls = ["
    + ", ".join(
        f"'fastapi.{n}'" for n in ("Depends", "Query", "Header", "Body", "File", "Form", "Cookie", "Path", "Security")
    )
    + ", 'fastapi.params.Depends', 'typer.Argument', 'typer.Option']"
)
_RUFF_MEDIUM = {"F821", "F822", "F823", "F811", "F632", "F706", "F704", "B006", "B008"}
# Bandit tests that are noise for generated code (importing subprocess, running a list without a shell,
# a bare program name); they stay visible as info findings.
_BANDIT_INFO = {"B404", "B603", "B607", "B403", "B105", "B106", "B107"}
# Bandit test id -> our more precise rule for the same flaw, to keep one finding per flaw and line.
_BANDIT_TWIN = {
    "B307": "dangerous-call:eval",
    "B102": "dangerous-call:exec",
    "B605": "dangerous-call:os.system",
    "B602": "dangerous-call:subprocess-shell",
    "B604": "dangerous-call:subprocess-shell",
    "B301": "dangerous-call:pickle",
    "B506": "dangerous-call:yaml-load",
    "B608": "sql-injection",
    "B105": "hardcoded-secret",
    "B106": "hardcoded-secret",
    "B107": "hardcoded-secret",
    "B501": "tls-disabled",
    "B323": "tls-disabled",
    "B502": "tls-disabled",
    "B503": "tls-disabled",
    "B504": "tls-disabled",
}

_SQL = re.compile(
    r"\b(select\s.+\sfrom|insert\s+into|update\s+\w+\s+set|delete\s+from|drop\s+table|create\s+table"
    r"|alter\s+table|where\s)",
    re.IGNORECASE | re.DOTALL,
)
_SQL_SINKS = {
    "execute",
    "executemany",
    "executescript",
    "raw",
    "text",
    "exec_driver_sql",
    "read_sql",
    "read_sql_query",
    "mogrify",
    "fetch",
    "fetchrow",
    "fetchval",
    "query",
}
_SECRET_NAME = re.compile(
    r"(password|passwd|pwd|secret|token|api_?key|apikey|private_?key|access_?key|credential"
    r"|^authorization$)",
    re.IGNORECASE,
)
_PASSWORD_NAME = re.compile(r"(password|passwd|pwd)", re.IGNORECASE)
# Literal credentials recognisable by their issuer's prefix, whatever the variable is called.
_TOKEN_SHAPE = re.compile(
    r"^(ghp_|gho_|ghs_|github_pat_|glpat-|sk_live_|rk_live_|sk-live-|sk-proj-|sk-ant-|xox[abpr]-"
    r"|AKIA[0-9A-Z]{16}$|AIza[0-9A-Za-z_-]{30})"
)
_AUTH_SCHEME = re.compile(r"^(bearer|token|basic)\s+", re.IGNORECASE)
_NOT_SECRET_NAME = re.compile(
    r"(url|uri|header|type|name|field|prefix|endpoint|path|algorithm|env|var|len|length"
    r"|expire|ttl|scheme|param|label|hash_?scheme)",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"(your|change|example|placeholder|dummy|xxx|<|\$\{|\{\{|redacted|replace|todo|fake|sample)", re.IGNORECASE
)
_SAFE_YAML_LOADERS = {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"}


def check_syntax(files: list[GeneratedFile]) -> list[Finding]:
    """One high-severity finding per Python file that does not parse."""
    findings: list[Finding] = []
    for f in files:
        if not f.path.endswith(".py"):
            continue
        try:
            ast.parse(f.content, filename=f.path)
        except SyntaxError as exc:
            findings.append(Finding(rule="syntax", severity="high", file=f.path, line=exc.lineno, message=exc.msg))
    return findings


def validate_files(files: list[GeneratedFile], min_quality: float = 95.0, *, strict: bool = False) -> Verdict:
    """Check every file, score the result with the module's formula, and pass it against ``min_quality``; a
    high finding always rejects, and with ``strict`` (``Q2O_STRICT_VALIDATION``) a medium one too."""
    findings: list[Finding] = []
    not_checked: list[str] = []
    parsed: dict[str, ast.Module] = {}
    for f in files:
        suffix = PurePosixPath(f.path).suffix.lower()
        if suffix == ".py":
            try:
                parsed[f.path] = ast.parse(f.content, filename=f.path)
            except SyntaxError as exc:
                findings.append(
                    Finding(
                        rule="syntax",
                        severity="high",
                        file=f.path,
                        line=exc.lineno,
                        message=exc.msg or "invalid syntax",
                    )
                )
        elif suffix in {".json", ".yaml", ".yml", ".toml"}:
            findings.extend(_check_data_file(f, suffix))
        else:
            not_checked.append(f.path)
            findings.append(
                Finding(
                    rule="not-checked",
                    severity="info",
                    file=f.path,
                    message=f"not checked: no validator for {suffix or 'this file type'}",
                )
            )
    python = [f for f in files if f.path in parsed]
    lint = _start_lint(python) if python else None  # ruff runs while we do the rest
    ours: list[Finding] = []
    hinted = hintable = documented = documentable = 0
    for f in python:
        ours.extend(find_dangerous_code(parsed[f.path], f.path))
        if not _is_test_file(f.path):
            h, hn, d, dn = _coverage(parsed[f.path])
            hinted, hintable, documented, documentable = hinted + h, hintable + hn, documented + d, documentable + dn
    findings.extend(ours)
    if lint is not None:
        try:
            bandit = _drop_twins(_bandit(python), ours)
        finally:  # wait for ruff whatever happened, so no process is left behind
            linted = lint()
        findings.extend(linted)
        findings.extend(bandit)
    hint_cov = hinted / hintable if hintable else 1.0
    doc_cov = documented / documentable if documentable else 1.0
    if hint_cov < 1.0:
        findings.append(
            Finding(rule="type-hints", severity="info", message=f"{hinted}/{hintable} public functions fully annotated")
        )
    if doc_cov < 1.0:
        findings.append(
            Finding(
                rule="docstrings",
                severity="info",
                message=f"{documented}/{documentable} public functions and classes documented",
            )
        )
    score = quality_score(findings, hint_cov, doc_cov)
    rejecting = ("high", "medium") if strict else ("high",)
    high = any(f.severity in rejecting for f in findings)
    return Verdict(passed=not high and score >= min_quality, score=score, findings=findings, not_checked=not_checked)


def quality_score(findings: list[Finding], type_hint_coverage: float = 1.0, docstring_coverage: float = 1.0) -> float:
    """The documented formula: 100 minus severity costs minus proportional coverage shortfalls, floored at 0."""
    score = 100.0 - sum(SEVERITY_COST[f.severity] for f in findings)
    score -= TYPE_HINT_POINTS * (1.0 - type_hint_coverage) + DOCSTRING_POINTS * (1.0 - docstring_coverage)
    return round(max(0.0, min(100.0, score)), 1)


def _check_data_file(f: GeneratedFile, suffix: str) -> list[Finding]:
    try:
        if suffix == ".json":
            json.loads(f.content)
        elif suffix == ".toml":
            tomllib.loads(f.content)
        else:
            list(yaml.safe_load_all(f.content))
    except (ValueError, yaml.YAMLError) as exc:
        line = getattr(exc, "lineno", None)
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 1
        return [
            Finding(
                rule=f"parse:{suffix[1:]}",
                severity="high",
                file=f.path,
                line=line,
                message=f"does not parse: {str(exc).splitlines()[0]}",
            )
        ]
    return []


def _is_test_file(path: str) -> bool:
    name = PurePosixPath(path).name
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


# --- coverage ------------------------------------------------------------------------------------------------


def _coverage(tree: ast.Module) -> tuple[int, int, int, int]:
    """(annotated, public functions, documented, public functions and classes) at module and class level."""
    hinted = hintable = documented = documentable = 0
    scopes: list[list[ast.stmt]] = [tree.body]
    while scopes:
        for node in scopes.pop():
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                documentable += 1
                documented += ast.get_docstring(node) is not None
                scopes.append(node.body)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
                documentable += 1
                documented += ast.get_docstring(node) is not None
                hintable += 1
                hinted += _fully_annotated(node)
    return hinted, hintable, documented, documentable


def _fully_annotated(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    a = fn.args
    params = [
        *a.posonlyargs,
        *a.args,
        *a.kwonlyargs,
        *([a.vararg] if a.vararg else []),
        *([a.kwarg] if a.kwarg else []),
    ]
    params = [p for p in params if p.arg not in {"self", "cls"}]
    return all(p.annotation is not None for p in params) and fn.returns is not None


# --- our AST security checks -----------------------------------------------------------------------------------


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_const(node: ast.AST | None, value: object) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def _sql_built(node: ast.AST, tainted: set[str], names: _Names) -> str | None:
    """How an SQL string was built from values (f-string, %, .format, +), or None when it is fixed."""
    if isinstance(node, ast.Name):
        return "a variable built by formatting" if node.id in tainted else None
    if isinstance(node, ast.JoinedStr) and any(
        isinstance(v, ast.FormattedValue) and not names.is_static(v.value) for v in node.values
    ):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return "an f-string" if _SQL.search(text) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        template = names.text(node.left)
        if template and _SQL.search(template) and not names.is_static(node.right):
            return "% formatting"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = _concat_parts(node)
        text = " ".join(t for t in (names.text(p) for p in parts) if t)
        if _SQL.search(text) and not all(names.is_static(p) for p in parts):
            return "string concatenation"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        template = names.text(node.func.value)
        values = [*node.args, *(k.value for k in node.keywords)]
        if template and _SQL.search(template) and not all(names.is_static(a) for a in values):
            return ".format()"
    return None


def _concat_parts(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _concat_parts(node.left) + _concat_parts(node.right)
    return [node]


def _secret_literal(value: ast.AST | None, min_length: int = 8) -> bool:
    if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
        return False
    text = _AUTH_SCHEME.sub("", value.value)  # "Bearer abc..." / "token ghp_...": the credential is the rest
    return (
        len(text) >= min_length
        and " " not in text
        and not _PLACEHOLDER.search(text)
        and len(set(text)) > 3
        and not text.startswith(("http://", "https://", "/"))
    )


def _token_shaped(value: ast.AST | None) -> bool:
    """A string literal that is a credential by its issuer's prefix (GitHub, Stripe, OpenAI, Slack, AWS, Google)."""
    if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
        return False
    text = _AUTH_SCHEME.sub("", value.value)
    return len(text) >= 16 and bool(_TOKEN_SHAPE.match(text)) and not _PLACEHOLDER.search(text)


def _secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name)) and not _NOT_SECRET_NAME.search(name)


def _secret_value(name: str, value: ast.AST | None) -> bool:
    """``value`` is a hard-coded secret given to ``name`` (passwords may be short: 6 characters)."""
    return _token_shaped(value) or (
        _secret_name(name) and _secret_literal(value, 6 if _PASSWORD_NAME.search(name) else 8)
    )


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Imported names as their full dotted names: ``pkl`` -> ``pickle``, ``loads`` -> ``pickle.loads``."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    found[a.asname] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                if a.name != "*":
                    found[a.asname or a.name] = f"{node.module}.{a.name}"
    return found


def _resolved(name: str, aliases: dict[str, str]) -> str:
    head, _, rest = name.partition(".")
    full = aliases.get(head)
    return name if full is None else f"{full}.{rest}" if rest else full


def _placeholder_list(node: ast.AST) -> bool:
    """``", ".join("?" for _ in ids)`` or ``",".join(["%s"] * len(ids))``: bound-parameter markers only."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and isinstance(node.func.value, ast.Constant)
        and len(node.args) == 1
    ):
        return False
    arg = node.args[0]
    if isinstance(arg, ast.GeneratorExp | ast.ListComp):
        element = arg.elt
    elif (
        isinstance(arg, ast.BinOp)
        and isinstance(arg.op, ast.Mult)
        and isinstance(arg.left, ast.List)
        and len(arg.left.elts) == 1
    ):
        element = arg.left.elts[0]
    else:
        return False
    return (
        isinstance(element, ast.Constant)
        and isinstance(element.value, str)
        and re.fullmatch(r"\?|%s|\$\d+|:\w+", element.value) is not None
    )


class _Names:
    """What a module says about its names: string constants, values fixed in the code, import aliases."""

    def __init__(self, tree: ast.Module) -> None:
        self.aliases = _aliases(tree)
        assigned: dict[str, list[ast.AST]] = {}
        unbound: set[str] = set()  # parameters, loop and with targets, augmented names: values from elsewhere
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        if isinstance(node, ast.AugAssign):
                            unbound.add(t.id)
                        assigned.setdefault(t.id, []).append(node.value)
                    else:
                        unbound |= {n.id for n in ast.walk(t) if isinstance(n, ast.Name)}
            elif isinstance(node, ast.arg):
                unbound.add(node.arg)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
                unbound |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                unbound |= {n.id for n in ast.walk(node.optional_vars) if isinstance(n, ast.Name)}
            elif isinstance(node, ast.NamedExpr):
                unbound.add(node.target.id)
        known = {k: v for k, v in assigned.items() if k not in unbound}
        self.strings = {
            k: v[0].value
            for k, v in known.items()
            if len(v) == 1 and isinstance(v[0], ast.Constant) and isinstance(v[0].value, str)
        }
        self.fixed: set[str] = set()
        for _ in range(3):  # a fixed name may be built from other fixed names
            self.fixed |= {k for k, values in known.items() if all(self.is_static(v) for v in values)}

    def is_static(self, node: ast.AST) -> bool:
        """A value fixed in the code: a literal, an UPPER_CASE constant, a name only ever given fixed values, a
        lookup in an UPPER_CASE table (an allow-list), placeholders, or a choice or sum of such values."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            return node.id.isupper() or node.id in self.fixed
        if isinstance(node, ast.IfExp):
            return self.is_static(node.body) and self.is_static(node.orelse)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.is_static(node.left) and self.is_static(node.right)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id.isupper():
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id.isupper()
        ):
            return all(self.is_static(a) for a in node.args[1:])
        if isinstance(node, ast.JoinedStr):
            return all(self.is_static(v.value) for v in node.values if isinstance(v, ast.FormattedValue))
        return _placeholder_list(node)

    def text(self, node: ast.AST) -> str | None:
        """The string a literal or a single-assignment string constant holds."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return self.strings.get(node.id)
        return None


def find_dangerous_code(tree: ast.Module, path: str) -> list[Finding]:
    """Our own checks: dangerous calls, SQL built from values and executed, hard-coded secrets, disabled TLS."""
    found: list[Finding] = []

    def add(rule: str, node: ast.AST, message: str) -> None:
        found.append(
            Finding(rule=rule, severity="high", file=path, line=getattr(node, "lineno", None), message=message)
        )

    names = _Names(tree)
    tainted = {
        t.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and node.value is not None
        and _sql_built(node.value, set(), names)
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(t, ast.Name)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            _check_call(node, tainted, names, add)
        elif isinstance(node, ast.Attribute) and _resolved(_dotted(node), names.aliases) in {
            "ssl._create_unverified_context",
            "ssl.CERT_NONE",
        }:
            add("tls-disabled", node, f"{_dotted(node)} disables certificate checks")
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                name = t.id if isinstance(t, ast.Name) else t.attr if isinstance(t, ast.Attribute) else ""
                if name in {"check_hostname", "verify", "verify_ssl"} and _is_const(node.value, False):
                    add("tls-disabled", node, f"{name} = False disables certificate checks")
                elif _secret_value(name, node.value):
                    add("hardcoded-secret", node, f"{name} is assigned a hard-coded secret; read it from settings")
        elif isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values, strict=True):
                key = k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else ""
                if _secret_value(key, v):
                    add(
                        "hardcoded-secret",
                        v,
                        f"{key!r} holds a hard-coded secret" if key else "a hard-coded credential",
                    )
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):  # def connect(token: str = "ghp_..."):
            arguments = node.args
            positional = [*arguments.posonlyargs, *arguments.args]
            pairs = list(zip(positional[len(positional) - len(arguments.defaults) :], arguments.defaults, strict=True))
            pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d]
            for arg, default in pairs:
                if _secret_value(arg.arg, default):
                    add("hardcoded-secret", default, f"{arg.arg} defaults to a hard-coded secret")
    return found


# Calls that take ``ssl=False`` to mean "do not check the certificate" (aiohttp); drivers that read it as "no TLS"
# at all (asyncpg.connect, ...) are not listed.
_SSL_FALSE_CALLS = {
    "TCPConnector",
    "ClientSession",
    "request",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "ws_connect",
}
_ENV_READS = {"os.getenv", "os.environ.get", "getenv", "environ.get"}


def _check_call(node: ast.Call, tainted: set[str], names: _Names, add: Callable[[str, ast.AST, str], None]) -> None:
    name = _resolved(_dotted(node.func), names.aliases)
    short = name.rsplit(".", 1)[-1]
    if name in {"eval", "builtins.eval"}:
        add("dangerous-call:eval", node, "eval() runs arbitrary code")
    elif name in {"exec", "builtins.exec"}:
        add("dangerous-call:exec", node, "exec() runs arbitrary code")
    elif name in {"os.system", "os.popen", "system", "popen"} and (name.startswith("os.") or short == "system"):
        add("dangerous-call:os.system", node, f"{name}() runs a command through the shell")
    elif _is_const(_kw(node, "shell"), True) or name.endswith("create_subprocess_shell"):
        add("dangerous-call:subprocess-shell", node, f"{name}() with a shell allows command injection")
    elif name in {
        "pickle.loads",
        "pickle.load",
        "cPickle.loads",
        "cPickle.load",
        "dill.loads",
        "dill.load",
        "marshal.loads",
        "shelve.open",
        "_pickle.loads",
        "pickle.Unpickler",
    }:
        add("dangerous-call:pickle", node, f"{name}() on untrusted data runs arbitrary code")
    elif name in {"yaml.unsafe_load", "yaml.full_load", "yaml.unsafe_load_all"}:
        add("dangerous-call:yaml-load", node, f"{name}() can build arbitrary objects; use yaml.safe_load")
    elif name in {"yaml.load", "yaml.load_all"}:
        loader = _kw(node, "Loader") or (node.args[1] if len(node.args) > 1 else None)
        if loader is None or _dotted(loader).rsplit(".", 1)[-1] not in _SAFE_YAML_LOADERS:
            add("dangerous-call:yaml-load", node, "yaml.load without a safe Loader; use yaml.safe_load")
    if short in _SQL_SINKS and node.args:
        how = _sql_built(node.args[0], tainted, names)
        if how:
            add("sql-injection", node, f"SQL built with {how} and passed to {short}(); use bound parameters")
    if (
        _is_const(_kw(node, "verify"), False)
        or _is_const(_kw(node, "verify_ssl"), False)
        or _is_const(_kw(node, "check_hostname"), False)
        or (short in _SSL_FALSE_CALLS and _is_const(_kw(node, "ssl"), False))
    ):
        add("tls-disabled", node, f"{name or 'call'}() with certificate verification off")
    if name in _ENV_READS and len(node.args) >= 1:  # os.getenv("API_TOKEN", "<the real token>")
        variable = names.text(node.args[0]) or ""
        fallback = node.args[1] if len(node.args) > 1 else _kw(node, "default")
        if fallback is not None and _secret_value(variable, fallback):
            add("hardcoded-secret", fallback, f"{name}({variable!r}) falls back to a hard-coded secret")
    for kw in node.keywords:
        if kw.arg and _secret_value(kw.arg, kw.value):
            add("hardcoded-secret", kw.value, f"{kw.arg}= is passed a hard-coded secret")
    for arg in node.args:  # a credential by its shape, passed positionally: Client("sk-live-...")
        if _token_shaped(arg):
            add("hardcoded-secret", arg, f"{name or 'call'}() is passed a hard-coded credential")


# --- ruff and bandit ---------------------------------------------------------------------------------------------


def _ruff_binary() -> str | None:
    found = shutil.which("ruff")
    if found:
        return found
    beside = Path(sys.executable).with_name("ruff")
    return str(beside) if beside.exists() else None


def _start_lint(files: list[GeneratedFile]) -> Callable[[], list[Finding]]:
    """Start ruff once per file on the text (stdin), with the fixed RUFF_SELECT rules and no project config.

    Returns the function that waits for them and reads their findings: the processes run while the caller
    does the other checks (ruff's start-up is most of its time on a small file).
    """
    ruff = _ruff_binary()
    if ruff is None:
        return lambda: [
            Finding(rule="not-checked:lint", severity="low", file=f.path, message="not checked: lint (no ruff)")
            for f in files
        ]
    started: list[tuple[GeneratedFile, subprocess.Popen[str] | Exception]] = []
    for f in files:
        cmd = [
            ruff,
            "check",
            "--isolated",
            "--no-cache",
            "--ignore-noqa",
            "--select",
            RUFF_SELECT,
            "--config",
            _RUFF_IMMUTABLE_CALLS,
            "--output-format",
            "json",
            "--stdin-filename",
            f.path,
            "-",
        ]
        try:
            proc = subprocess.Popen(  # noqa: S603 - our own ruff binary, arguments built here, no shell
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
        except OSError as exc:
            started.append((f, exc))
            continue
        started.append((f, proc))
        stdin, proc.stdin = proc.stdin, None  # written here, so communicate() only reads
        assert stdin is not None  # stdin=PIPE
        try:
            stdin.write(f.content)
            stdin.close()
        except (BrokenPipeError, ValueError):  # ruff ended early: its exit and output say why
            pass

    def finish() -> list[Finding]:
        findings: list[Finding] = []
        for f, proc in started:
            try:
                if isinstance(proc, Exception):
                    raise proc
                try:
                    out, _ = proc.communicate(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.communicate()
                    raise
                items = json.loads(out or "[]")
            except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
                findings.append(
                    Finding(rule="not-checked:lint", severity="low", file=f.path, message=f"not checked: lint ({exc})")
                )
                continue
            for item in items:
                code = item.get("code") or "E999"
                severity: Severity = "high" if code.startswith("E9") else "medium" if code in _RUFF_MEDIUM else "low"
                findings.append(
                    Finding(
                        rule=f"ruff:{code}",
                        severity=severity,
                        file=f.path,
                        line=(item.get("location") or {}).get("row"),
                        message=item.get("message", ""),
                    )
                )
        return findings

    return finish


def _bandit(files: list[GeneratedFile]) -> list[Finding]:
    """Bandit's own API over the files written to a temporary folder; # nosec comments are ignored."""
    # Bandit's plugin loader warns about a deprecated stevedore argument and logs an error for its optional
    # SARIF formatter, which we do not use; keep both out of the run's logs.
    stevedore = logging.getLogger("stevedore.extension")
    level = stevedore.level
    stevedore.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from bandit.core import config as b_config
            from bandit.core import manager as b_manager
    finally:
        stevedore.setLevel(level)

    logging.getLogger("bandit").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="q2o-bandit-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        where: dict[str, str] = {}
        for i, f in enumerate(files):
            target = Path(tmp) / f"f{i}" / PurePosixPath(f.path).name
            target.parent.mkdir()
            target.write_text(f.content, encoding="utf-8")
            where[str(target)] = f.path
        mgr = b_manager.BanditManager(b_config.BanditConfig(), "file", quiet=True, ignore_nosec=True)
        mgr.discover_files(list(where))
        mgr.run_tests()
        issues = mgr.get_issue_list()
        found = [(where.get(i.fname, i.fname), i) for i in issues]
        skipped = [(where.get(name, name), why) for name, why in mgr.get_skipped()]
    findings: list[Finding] = []
    for path, issue in found:
        test_id = issue.test_id
        severity = issue.severity.lower()
        if test_id in _BANDIT_INFO or (test_id == "B101" and _is_test_file(path)):
            severity = "info"
        elif issue.confidence == "LOW" and severity != "low":
            severity = "low" if severity == "medium" else "medium"
        findings.append(
            Finding(rule=f"bandit:{test_id}", severity=severity, file=path, line=issue.lineno, message=issue.text)
        )
    findings.extend(
        Finding(rule="not-checked:security", severity="low", file=path, message=f"bandit skipped: {why}")
        for path, why in skipped
    )
    return findings


def _drop_twins(bandit: list[Finding], ours: list[Finding]) -> list[Finding]:
    """Bandit findings minus those our more precise rule already reports for the same file and line."""
    seen = {(f.rule, f.file, f.line) for f in ours}
    # B608 marks where the SQL string is built; ours marks where it is executed, maybe a line later.
    sql_files = {f.file for f in ours if f.rule == "sql-injection"}
    kept = []
    for f in bandit:
        twin = _BANDIT_TWIN.get(f.rule.removeprefix("bandit:"))
        if twin and ((twin, f.file, f.line) in seen or (twin == "sql-injection" and f.file in sql_files)):
            continue
        if twin in {"sql-injection", "hardcoded-secret"} and f.severity != "info":
            # Our rule checks that the string reaches an execute call / is a realistic literal; bandit's
            # guess without that stays visible but cannot reject on its own.
            f = f.model_copy(update={"severity": "low"})
        kept.append(f)
    return kept
