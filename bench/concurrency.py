"""N requests at once against the same N one after another: successes and wall time.

Two modes: ``inproc`` runs the generate-code flow N times in one process (``asyncio.gather`` of ``run_request``
against N awaited in turn); ``cli`` starts N ``q2o generate`` processes at once against N run in turn. Each
setup gets a fresh ``Q2O_HOME`` and ``PREFECT_HOME`` (one warm-up request first, so the timings hold no schema
migration) and is one of: Q2O's database on SQLite or on a fresh PostgreSQL database; Prefect's server embedded
(started by the process itself, as the quick start does) or a dedicated ``prefect server start`` (its own
database on SQLite or on PostgreSQL). Two kinds of request: ``hit`` (a task a starter template serves, no
provider call) and ``llm`` (a task no template serves: the simulator answers, in a process of its own).
Usage: python bench/concurrency.py [--n 4,16] [--modes inproc,cli] [--db sqlite,postgresql]
       [--server embedded,dedicated] [--server-db sqlite,postgresql] [--kinds hit,llm] [--cli-n 4] [--max-runs K]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG = ("127.0.0.1", 5432)
HIT_TASK = ("CRUD API for Invoice records", "python,fastapi")  # the fastapi-crud-router starter, another name
LLM_TASK = "Script to print a Greeting"  # on a stack of its own per request: no template or cache serves it


def request_args(kind: str, tag: str) -> tuple[str, str]:
    """The (task, stack) of one request; template hits are never cached, so the same hit task repeats."""
    return HIT_TASK if kind == "hit" else (LLM_TASK, f"python,conc{tag}")


# ---- one process: asyncio.gather of the flow -------------------------------------------------------------


async def inproc_worker(kinds: list[str], sizes: list[int]) -> None:
    """Runs inside a process of its own (its embedded server, if any, is its own): prints one JSON line a case."""
    from contracts import CodeRequest
    from flows.generate_code import run_request

    async def one(kind: str, tag: str) -> bool:
        task, stack = request_args(kind, tag)
        result = await run_request(CodeRequest(task=task, stack=stack.split(",")))
        return result.status == "succeeded" and result.source == ("template" if kind == "hit" else "llm")

    for kind in kinds:  # warm up: the server's start, imports, both databases' first writes
        await one(kind, f"warm{uuid.uuid4().hex[:8]}")
    for n in sizes:
        for kind in kinds:
            tag = uuid.uuid4().hex[:8]
            started = time.perf_counter()
            seq = [await one(kind, f"{tag}s{i}") for i in range(n)]
            seq_s = time.perf_counter() - started
            started = time.perf_counter()
            conc = await asyncio.gather(*(one(kind, f"{tag}c{i}") for i in range(n)), return_exceptions=True)
            conc_s = time.perf_counter() - started
            print(
                json.dumps(
                    {
                        "kind": kind,
                        "n": n,
                        "seq_ok": sum(x is True for x in seq),
                        "seq_s": seq_s,
                        "conc_ok": sum(x is True for x in conc),
                        "conc_s": conc_s,
                        "errors": sorted({repr(x)[:160] for x in conc if isinstance(x, BaseException)}),
                    }
                ),
                flush=True,
            )


def run_inproc(env: dict[str, str], kinds: list[str], sizes: list[int]) -> list[dict]:
    args = [sys.executable, __file__, "--worker", "--kinds", ",".join(kinds), "--n", ",".join(map(str, sizes))]
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600)  # noqa: S603
    cases = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not cases:
        print(f"  worker failed (exit {done.returncode}): {done.stderr.strip().splitlines()[-3:]}", flush=True)
    locked = done.stderr.count("database is locked")
    if locked:
        print(f"  'database is locked' in the worker's (and its embedded server's) stderr: {locked}", flush=True)
    return cases


# ---- N processes: q2o generate ---------------------------------------------------------------------------


def cli_args(kind: str, tag: str) -> list[str]:
    task, stack = request_args(kind, tag)
    return [sys.executable, "-m", "cli", "generate", task, "--stack", stack, "--json"]


def cli_ok(kind: str, code: int, stdout: str) -> bool:
    if code != 0:
        return False
    try:
        result = json.loads(stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return False
    return result.get("status") == "succeeded" and result.get("source") == ("template" if kind == "hit" else "llm")


def run_cli(env: dict[str, str], kinds: list[str], sizes: list[int]) -> list[dict]:
    cases = []
    locked = 0

    def start(kind: str, tag: str) -> subprocess.Popen[str]:
        return subprocess.Popen(  # noqa: S603
            cli_args(kind, tag), env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def finish(kind: str, proc: subprocess.Popen[str]) -> bool:
        nonlocal locked
        stdout, stderr = proc.communicate(timeout=1800)
        locked += stderr.count("database is locked")
        if proc.returncode != 0:
            print(f"  q2o generate exit {proc.returncode}: {stderr.strip().splitlines()[-1:]}", flush=True)
        return cli_ok(kind, proc.returncode, stdout)

    for kind in kinds:
        finish(kind, start(kind, f"warm{uuid.uuid4().hex[:8]}"))
    for n in sizes:
        for kind in kinds:
            tag = uuid.uuid4().hex[:8]
            started = time.perf_counter()
            seq = [finish(kind, start(kind, f"{tag}s{i}")) for i in range(n)]
            seq_s = time.perf_counter() - started
            started = time.perf_counter()
            procs = [start(kind, f"{tag}c{i}") for i in range(n)]
            conc = [finish(kind, p) for p in procs]
            conc_s = time.perf_counter() - started
            cases.append(
                {"kind": kind, "n": n, "seq_ok": sum(seq), "seq_s": seq_s, "conc_ok": sum(conc), "conc_s": conc_s}
            )
    if locked:
        print(f"  'database is locked' in the processes' stderr: {locked}", flush=True)
    return cases


# ---- setups: databases and servers -----------------------------------------------------------------------


def pg_answers() -> bool:
    try:
        with socket.create_connection(PG, timeout=0.5):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def fresh_pg_database(prefix: str) -> Iterator[str]:
    """A new PostgreSQL database (trust auth on 127.0.0.1:5432); yields ``user@host:port/name``, then drops it."""
    import psycopg
    from psycopg import sql

    login = None
    for user, dbname in (("root", "test"), ("postgres", "postgres"), ("postgres", "test")):
        try:
            psycopg.connect(host=PG[0], port=PG[1], user=user, dbname=dbname, connect_timeout=2).close()
            login = (user, dbname)
            break
        except psycopg.Error:
            continue
    if login is None:
        raise SystemExit("PostgreSQL on 127.0.0.1:5432 lets neither root nor postgres in")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(host=PG[0], port=PG[1], user=login[0], dbname=login[1], autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{login[0]}@{PG[0]}:{PG[1]}/{name}"
    finally:
        with psycopg.connect(host=PG[0], port=PG[1], user=login[0], dbname=login[1], autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def dedicated_server(env: dict[str, str]) -> Iterator[str]:
    """``prefect server start`` on a free port with ``env`` (docs/deployment.md's settings); yields its API URL."""
    port = free_port()
    log = open(Path(env["PREFECT_HOME"]).parent / "server.log", "w")  # noqa: SIM115 - closed below
    server_env = {**env, "PREFECT_UI_ENABLED": "false"}
    server_env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=server_env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:  # noqa: S310 - loopback
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"prefect server start did not come up; see {log.name}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        locked = Path(log.name).read_text(errors="replace").count("database is locked")
        if locked:
            print(f"  'database is locked' in the dedicated server's log: {locked}", flush=True)


def base_env(sim_port: int, home: str) -> dict[str, str]:
    from providers.registry import PROVIDERS
    from simulator import base_url_for

    env = {k: v for k, v in os.environ.items() if not k.startswith(("Q2O_", "PREFECT_"))}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "Q2O_HOME": home,
            "PREFECT_HOME": f"{home}/prefect",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "PREFECT_API_LOG_RETRYABLE_ERRORS": "true",  # each 503 "database is locked" is logged: counted
        }
    )
    for spec in PROVIDERS:
        env[spec.base_url_variable] = base_url_for(sim_port, spec.name)
        env[spec.key_variables[0]] = "bench-key"
    return env


def run_setup(mode: str, db: str, server: str, server_db: str, args: argparse.Namespace, sim_port: int) -> None:
    sizes = args.cli_n if mode == "cli" else args.n
    label = f"{mode:6} | q2o db {db:10} | prefect {server:9} on {server_db if server == 'dedicated' else 'sqlite':10}"
    print(f"{label} ...", flush=True)
    with contextlib.ExitStack() as stack:
        home = tempfile.mkdtemp(prefix="q2o-conc-")
        env = base_env(sim_port, home)
        if args.max_runs is not None:
            env["Q2O_MAX_CONCURRENT_RUNS"] = args.max_runs
        if db == "postgresql":
            env["Q2O_DATABASE_URL"] = "postgresql://" + stack.enter_context(fresh_pg_database("q2o_conc"))
        if server == "dedicated":
            from flows import EMBEDDED_SERVER_DEFAULTS  # the settings docs/deployment.md gives a dedicated server

            server_env = {**env, **{k: v for k, v in EMBEDDED_SERVER_DEFAULTS.items() if k not in env}}
            if server_db == "postgresql":
                pg = stack.enter_context(fresh_pg_database("prefect_conc"))
                server_env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = f"postgresql+asyncpg://{pg}"
                # As docs/configuration.md says: the clients know it too, so they keep no run limit for SQLite.
                env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = server_env["PREFECT_SERVER_DATABASE_CONNECTION_URL"]
            env["PREFECT_API_URL"] = stack.enter_context(dedicated_server(server_env))
        cases = (run_cli if mode == "cli" else run_inproc)(env, args.kinds, sizes)
    for c in cases:
        ratio = c["conc_s"] / c["seq_s"] if c["seq_s"] else float("nan")
        print(
            f"{label} | {c['kind']:3} N={c['n']:<2} | sequential {c['seq_ok']:2}/{c['n']} ok {c['seq_s']:6.2f} s"
            f" | at once {c['conc_ok']:2}/{c['n']} ok {c['conc_s']:6.2f} s | at once / sequential {ratio:4.2f}"
            + (f" | errors {c['errors']}" if c.get("errors") else ""),
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", default="4,16", help="sizes for inproc")
    parser.add_argument("--cli-n", default="4", help="sizes for cli (each process starts Prefect)")
    parser.add_argument("--modes", default="inproc,cli")
    parser.add_argument("--db", default="sqlite,postgresql", help="Q2O's database")
    parser.add_argument("--server", default="embedded,dedicated")
    parser.add_argument("--server-db", default="sqlite", help="a dedicated server's database")
    parser.add_argument("--kinds", default="hit,llm")
    parser.add_argument("--max-runs", help="Q2O_MAX_CONCURRENT_RUNS for every process (default: unset)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.n = [int(x) for x in args.n.split(",")]
    args.cli_n = [int(x) for x in args.cli_n.split(",")]
    args.kinds = args.kinds.split(",")
    if args.worker:
        asyncio.run(inproc_worker(args.kinds, args.n))
        return
    dbs = [d for d in args.db.split(",") if d != "postgresql" or pg_answers()]
    limit = "unset" if args.max_runs is None else args.max_runs
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')} UTC, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
        f"Q2O_MAX_CONCURRENT_RUNS {limit}",
        flush=True,
    )
    # The simulator runs in a process of its own, as a real provider does.
    sim = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "simulator"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        sim_port = int(sim.stdout.readline())  # type: ignore[union-attr]
        for mode in args.modes.split(","):
            for server in args.server.split(","):
                for server_db in args.server_db.split(",") if server == "dedicated" else ["sqlite"]:
                    for db in dbs:
                        run_setup(mode, db, server, server_db, args, sim_port)
    finally:
        sim.stdin.close()  # type: ignore[union-attr]
        sim.wait(timeout=10)


if __name__ == "__main__":
    main()
