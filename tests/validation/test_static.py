"""The static validator: each rule catches its flaw and spares the safe twin; data files parse or fail;
unknown languages are marked not checked; the score formula and threshold; starters and the bench corpus."""

import importlib.util
import sys
import time
from pathlib import Path

import pytest

from contracts import GeneratedFile
from learning.parameterize import render
from learning.starters import starter_records
from validation import static
from validation.models import Finding, Verdict
from validation.static import check_syntax, quality_score, validate_files

ROOT = Path(__file__).resolve().parents[2]
HEADER = '"""Module under test."""\n\n'


def _py(body: str, path: str = "app.py") -> Verdict:
    return validate_files([GeneratedFile(path=path, content=HEADER + body)])


def _rules(verdict: Verdict) -> set[str]:
    return {f.rule for f in verdict.findings}


# (rule, flawed code, safe twin) — each flawed snippet must fail with the rule; each twin must pass.
CASES = [
    (
        "dangerous-call:eval",
        'def calc(expr: str) -> object:\n    """Evaluate."""\n    return eval(expr)\n',
        'import ast\n\n\ndef calc(expr: str) -> object:\n    """Evaluate."""\n    return ast.literal_eval(expr)\n',
    ),
    (
        "dangerous-call:exec",
        'def run(code: str) -> None:\n    """Run."""\n    exec(code)\n',
        'def run(code: str) -> None:\n    """Run."""\n    compile(code, "<x>", "exec")\n',
    ),
    (
        "dangerous-call:os.system",
        'import os\n\n\ndef ping(host: str) -> int:\n    """Ping."""\n    return os.system("ping " + host)\n',
        'import subprocess\n\n\ndef ping(host: str) -> int:\n    """Ping."""\n'
        '    return subprocess.run(["/bin/ping", host], check=False).returncode\n',
    ),
    (
        "dangerous-call:subprocess-shell",
        'import subprocess\n\n\ndef ls(d: str) -> None:\n    """List."""\n'
        '    subprocess.run(f"ls {d}", shell=True, check=True)\n',
        'import subprocess\n\n\ndef ls(d: str) -> None:\n    """List."""\n'
        '    subprocess.run(["/bin/ls", d], shell=False, check=True)\n',
    ),
    (
        "dangerous-call:pickle",
        'import pickle\n\n\ndef load(raw: bytes) -> object:\n    """Load."""\n    return pickle.loads(raw)\n',
        'import json\n\n\ndef load(raw: bytes) -> object:\n    """Load."""\n    return json.loads(raw)\n',
    ),
    (
        "dangerous-call:yaml-load",
        'import yaml\n\n\ndef load(text: str) -> object:\n    """Load."""\n    return yaml.load(text)\n',
        'import yaml\n\n\ndef load(text: str) -> object:\n    """Load."""\n'
        "    return yaml.load(text, Loader=yaml.SafeLoader)\n",
    ),
    (
        "sql-injection",
        'import sqlite3\n\n\ndef get(c: sqlite3.Connection, n: str) -> list:\n    """Get."""\n'
        "    return c.execute(f\"SELECT * FROM users WHERE name = '{n}'\").fetchall()\n",
        'import sqlite3\n\n\ndef get(c: sqlite3.Connection, n: str) -> list:\n    """Get."""\n'
        '    return c.execute("SELECT * FROM users WHERE name = ?", (n,)).fetchall()\n',
    ),
    (
        "sql-injection",
        'import sqlite3\n\n\ndef get(c: sqlite3.Connection, n: str) -> list:\n    """Get."""\n'
        "    q = \"SELECT * FROM users WHERE name = '%s'\" % n\n    return c.execute(q).fetchall()\n",
        'import sqlite3\n\nTABLE = "users"\n\n\ndef get(c: sqlite3.Connection, n: str) -> list:\n    """Get."""\n'
        '    return c.execute(f"SELECT * FROM {TABLE} WHERE name = ?", (n,)).fetchall()\n',
    ),
    (
        "sql-injection",
        'from sqlalchemy import text\n\n\ndef q(n: str) -> object:\n    """Query."""\n'
        "    return text(\"DELETE FROM users WHERE name = '{}'\".format(n))\n",
        'from sqlalchemy import text\n\n\ndef q(n: str) -> object:\n    """Query."""\n'
        '    return text("DELETE FROM users WHERE name = :n").bindparams(n=n)\n',
    ),
    (
        "sql-injection",
        'def q(cur: object, n: str) -> None:\n    """Query."""\n    cur.execute("SELECT id FROM t WHERE a = " + n)\n',
        "def q(cur: object, n: str) -> None:\n"
        '    """Query."""\n    cur.execute("SELECT id FROM t WHERE a = %s", (n,))\n',
    ),
    (
        "hardcoded-secret",
        'API_KEY = "sk_live_51HqLyjWDarjtT1zdp7dc"\n',
        'import os\n\nAPI_KEY = os.environ.get("API_KEY", "")\nTOKEN_URL = "https://auth.example.com/token"\n'
        'PASSWORD_PLACEHOLDER = "change-me-please"\n',
    ),
    (
        "hardcoded-secret",
        "def connect(make: object) -> object:\n"
        '    """Connect."""\n    return make(user="app", password="Zq8!kd02Lm")\n',
        'def connect(make: object, pw: str) -> object:\n    """Connect."""\n    return make(user="app", password=pw)\n',
    ),
    (
        "tls-disabled",
        'import requests\n\n\ndef get(u: str) -> str:\n    """Get."""\n'
        "    return requests.get(u, timeout=5, verify=False).text\n",
        'import requests\n\n\ndef get(u: str) -> str:\n    """Get."""\n'
        "    return requests.get(u, timeout=5, verify=True).text\n",
    ),
    (
        "tls-disabled",
        "import ssl\n\nCTX = ssl._create_unverified_context()\n",
        "import ssl\n\nCTX = ssl.create_default_context()\n",
    ),
    (
        "tls-disabled",
        "import ssl\n\nCTX = ssl.create_default_context()\nCTX.check_hostname = False\n",
        "import ssl\n\nCTX = ssl.create_default_context()\nCTX.check_hostname = True\n",
    ),
    # Found by the held-out corpus (bench/validation_holdout): aliases, other sinks, other ways to write secrets/TLS.
    (
        "dangerous-call:pickle",
        'import pickle as pkl\n\n\ndef load(raw: bytes) -> object:\n    """Load."""\n    return pkl.loads(raw)\n',
        'import json as js\n\n\ndef load(raw: bytes) -> object:\n    """Load."""\n    return js.loads(raw)\n',
    ),
    (
        "dangerous-call:os.system",
        'from os import system\n\n\ndef ping(host: str) -> int:\n    """Ping."""\n    return system("ping " + host)\n',
        'from shutil import which\n\n\ndef ping(host: str) -> str | None:\n    """Ping."""\n    return which(host)\n',
    ),
    (
        "sql-injection",
        "QUERY = \"SELECT id FROM t WHERE a = '%s' AND b = %d\"\n"
        "\n\nasync def q(conn: object, a: str, b: int) -> list:\n"
        '    """Query."""\n    return await conn.fetch(QUERY % (a, b))\n',
        'QUERY = "SELECT id FROM t WHERE a = $1 AND b = $2"\n\n\nasync def q(conn: object, a: str, b: int) -> list:\n'
        '    """Query."""\n    return await conn.fetch(QUERY, a, b)\n',
    ),
    (
        "sql-injection",
        'import pandas as pd\n\n\ndef report(conn: object, day: str) -> object:\n    """Report."""\n'
        "    sql = \"SELECT * FROM sales WHERE day = '%s'\" % day\n    return pd.read_sql_query(sql, conn)\n",
        'import pandas as pd\n\n\ndef report(conn: object, day: str) -> object:\n    """Report."""\n'
        '    return pd.read_sql_query("SELECT * FROM sales WHERE day = ?", conn, params=(day,))\n',
    ),
    (
        "sql-injection",  # an f-string whose parts are user input vs. an allow-list lookup and bound placeholders
        'def top(cur: object, column: str, ids: list[int]) -> list:\n    """Top."""\n'
        '    cur.execute(f"SELECT * FROM t WHERE id IN ({ids}) ORDER BY {column}")\n    return cur.fetchall()\n',
        'SORTABLE = {"name": "name", "age": "age"}\n\n\ndef top(cur: object, column: str, ids: list[int]) -> list:\n'
        '    """Top."""\n    order = SORTABLE.get(column, "name")\n    direction = "DESC" if column else "ASC"\n'
        '    marks = ", ".join("?" for _ in ids)\n'
        '    cur.execute(f"SELECT * FROM t WHERE id IN ({marks}) ORDER BY {order} {direction}", ids)\n'
        "    return cur.fetchall()\n",
    ),
    (
        "hardcoded-secret",
        'CONFIG = {"user": "admin", "password": "hunter2"}\n',
        'CONFIG = {"user": "admin", "password_env": "DB_PASSWORD"}\n',
    ),
    (
        "hardcoded-secret",
        'def client(token: str = "xoxb-2143658709-9876543210-AbCdEfGhIjKlMnOp") -> str:\n    """Client."""\n'
        "    return token\n",
        'def client(token: str = "") -> str:\n    """Client."""\n    return token\n',
    ),
    (
        "hardcoded-secret",
        'import os\n\nSECRET = os.getenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz8Qw1x")\n',
        'import os\n\nSECRET = os.getenv("AWS_SECRET_ACCESS_KEY", "")\n',
    ),
    (
        "hardcoded-secret",
        'HEADERS = {"Authorization": "token ghp_16C7e42F292c6912E7710c838347Ae178B4a"}\n',
        'import os\n\nHEADERS = {"Authorization": f"token {os.environ[\'GITHUB_TOKEN\']}"}\n',
    ),
    (
        "tls-disabled",
        "import requests\n\nSESSION = requests.Session()\nSESSION.verify = False\n",
        "import requests\n\nSESSION = requests.Session()\nSESSION.verify = True\n",
    ),
    (
        "tls-disabled",
        'import aiohttp\n\n\ndef connector() -> aiohttp.TCPConnector:\n    """Connector."""\n'
        "    return aiohttp.TCPConnector(ssl=False)\n",
        'import aiohttp\n\n\ndef connector() -> aiohttp.TCPConnector:\n    """Connector."""\n'
        "    return aiohttp.TCPConnector(limit=10)\n",
    ),
]


def test_fastapi_dependency_defaults_are_not_lint_findings():
    verdict = _py(
        "from fastapi import Depends, FastAPI\n\napp = FastAPI()\n\n\ndef get_db() -> str:\n"
        '    """The database."""\n    return "db"\n\n\n@app.get("/x")\n'
        'def read(db: str = Depends(get_db)) -> str:\n    """Read."""\n    return db\n'
    )
    assert verdict.passed and not [f for f in verdict.findings if f.rule == "ruff:B008"], verdict.findings


def test_typer_parameter_defaults_are_not_lint_findings_but_other_calls_are():
    ok = _py(
        "from pathlib import Path\n\nimport typer\n\napp = typer.Typer()\n\n\n@app.command()\n"
        "def load(source: Path = typer.Argument(...), dry_run: bool = typer.Option(False)) -> None:\n"
        '    """Load."""\n    typer.echo(f"{source} {dry_run}")\n'
    )
    assert not [f for f in ok.findings if f.rule == "ruff:B008"], ok.findings
    bad = _py(
        'def make() -> list[int]:\n    """Make."""\n    return []\n\n\n'
        'def use(items: list[int] = make()) -> int:\n    """Use."""\n    return len(items)\n'
    )
    assert [f for f in bad.findings if f.rule == "ruff:B008"]


@pytest.mark.parametrize("rule, flawed, safe", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_rule_catches_its_flaw_and_spares_the_safe_twin(rule, flawed, safe):
    bad = _py(flawed)
    assert rule in _rules(bad) and not bad.passed
    assert next(f for f in bad.findings if f.rule == rule).severity == "high"
    good = _py(safe)
    assert rule not in _rules(good), good.findings
    assert good.passed, good.findings


def test_bandit_and_our_rule_on_the_same_line_give_one_finding():
    verdict = _py(
        'import subprocess\n\n\ndef ls(d: str) -> None:\n    """List."""\n'
        '    subprocess.run(f"ls {d}", shell=True, check=True)\n'
    )
    assert "dangerous-call:subprocess-shell" in _rules(verdict)
    assert "bandit:B602" not in _rules(verdict)


def test_nosec_and_noqa_comments_do_not_hide_flaws():
    verdict = _py(
        "import hashlib\nimport json  # noqa: F401\n\n\n"
        'def digest(data: bytes) -> str:\n    """Digest."""\n'
        "    return hashlib.md5(data).hexdigest()  # nosec\n"
    )
    assert {"bandit:B324", "ruff:F401"} <= _rules(verdict)
    assert not verdict.passed


def test_syntax_error_is_high_and_check_syntax_still_works():
    files = [GeneratedFile(path="a.py", content="def broken(:\n")]
    assert [f.rule for f in check_syntax(files)] == ["syntax"]
    verdict = validate_files(files)
    assert not verdict.passed and verdict.findings[0].rule == "syntax" and verdict.findings[0].line == 1


def test_lint_findings_come_from_ruff():
    verdict = _py('import os\n\n\ndef f() -> int:\n    """F."""\n    return undefined_thing\n')
    assert {"ruff:F401", "ruff:F821"} <= _rules(verdict)
    assert verdict.score == 100 - 5 - 15


def test_missing_ruff_is_a_finding_never_a_silent_pass(monkeypatch):
    monkeypatch.setattr(static, "_ruff_binary", lambda: None)
    verdict = _py('def f() -> int:\n    """F."""\n    return 1\n')
    assert "not-checked:lint" in _rules(verdict) and verdict.score < 100


@pytest.mark.parametrize(
    "path, good, bad",
    [
        ("config.json", '{"a": [1, 2]}', '{"a": [1, 2}'),
        ("config.yaml", "a:\n  - 1\n  - 2\n", "a: [1, 2\nb: c: d\n"),
        ("ci.yml", "on: push\njobs: {}\n", "key: 'unterminated\n"),
        ("pyproject.toml", '[tool.x]\nname = "q"\n', "[tool.x\nname = q\n"),
    ],
)
def test_data_files_must_parse(path, good, bad):
    ok = validate_files([GeneratedFile(path=path, content=good)])
    assert ok.passed and ok.score == 100 and ok.findings == [] and ok.not_checked == []
    broken = validate_files([GeneratedFile(path=path, content=bad)])
    assert not broken.passed and broken.findings[0].severity == "high"
    assert broken.findings[0].rule.startswith("parse:") and broken.findings[0].file == path


def test_unknown_language_is_marked_not_checked():
    verdict = validate_files(
        [
            GeneratedFile(path="main.go", content="package main\n"),
            GeneratedFile(path="Dockerfile", content="FROM python:3.12\n"),
        ]
    )
    assert verdict.not_checked == ["main.go", "Dockerfile"]
    assert {f.rule for f in verdict.findings} == {"not-checked"}
    assert all(f.message.startswith("not checked") for f in verdict.findings)


def test_score_formula_on_a_known_finding_set():
    findings = [Finding(rule="x", severity=s, message="m") for s in ("high", "medium", "low", "low", "info")]
    assert quality_score(findings) == 100 - 40 - 15 - 5 - 5
    assert quality_score([], type_hint_coverage=0.5, docstring_coverage=0.6) == 100 - 5 - 2
    assert quality_score([Finding(rule="x", severity="high", message="m")] * 3) == 0


def test_coverage_shortfall_lowers_the_score_and_min_quality_decides():
    code = (
        '"""Mod."""\n\n\ndef typed(a: int) -> int:\n    """Doc."""\n    return a\n\n\n'
        "def untyped(a):\n    return a\n\n\ndef _private(a):\n    return a\n"
    )
    verdict = validate_files([GeneratedFile(path="m.py", content=code)])
    # 1 of 2 public functions annotated (-5), 1 of 2 documented (-2.5)
    assert verdict.score == 92.5
    assert {"type-hints", "docstrings"} <= _rules(verdict)
    assert not verdict.passed
    assert validate_files([GeneratedFile(path="m.py", content=code)], min_quality=90).passed


def test_a_high_finding_fails_whatever_the_threshold():
    assert not _py('def f(x: str) -> object:\n    """F."""\n    return eval(x)\n').passed
    verdict = validate_files([GeneratedFile(path="a.py", content=HEADER + "X = eval('1')\n")], min_quality=0)
    assert not verdict.passed


def test_test_files_are_not_held_to_coverage_or_asserts():
    code = "from app import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
    verdict = validate_files([GeneratedFile(path="tests/test_app.py", content=code)])
    assert verdict.passed and verdict.score == 100


def test_every_starter_rendered_with_a_new_name_passes_at_95():
    failures = {}
    for record in starter_records():
        rendered = render([GeneratedFile(**f) for f in record.files], {"entity": ["purchase", "order"]})
        verdict = validate_files([GeneratedFile(path=f.path, content=f.content) for f in rendered], min_quality=95)
        if not verdict.passed:
            failures[record.source_task] = [f for f in verdict.findings if f.severity != "info"]
    assert not failures


def test_a_typical_two_file_answer_validates_well_under_a_second():
    corpus = ROOT / "bench" / "validation_corpus"
    files = [
        GeneratedFile(path="app/main.py", content=(corpus / "safe_14.py").read_text()),
        GeneratedFile(path="app/repo.py", content=(corpus / "safe_11.py").read_text()),
    ]
    validate_files(files)
    start = time.perf_counter()
    verdict = validate_files(files)
    assert verdict.passed and time.perf_counter() - start < 1.0


def _bench():
    spec = importlib.util.spec_from_file_location("validation_bench", ROOT / "bench" / "validation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["validation_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_the_bench_corpus_classifies_every_sample_correctly():
    bench = _bench()
    samples = bench.run_corpus()
    safe = [s for s in samples if s.cls == "safe"]
    flawed = [s for s in samples if s.cls != "safe"]
    assert len(samples) >= 40 and len(safe) == len(flawed) == len(samples) // 2
    counts = {cls: sum(s.cls == cls for s in flawed) for cls in bench.EXPECTED_RULES}
    assert min(counts.values()) >= 2, counts
    wrong = [
        (s.name, s.verdict.score, [f.rule for f in s.verdict.findings if f.severity != "info"])
        for s in samples
        if not s.correct
    ]
    assert not wrong
    assert bench.main() == 0


def test_strict_validation_rejects_a_medium_finding():
    code = '"""M."""\n\n\ndef f(x: list | None = []) -> int:\n    """F."""\n    return len(x or [])\n'
    files = [GeneratedFile(path="a.py", content=code)]
    lenient = validate_files(files, min_quality=80)
    assert lenient.passed and [f.severity for f in lenient.findings if f.severity != "info"] == ["medium"]
    assert not validate_files(files, min_quality=80, strict=True).passed
