"""What a task *says*, with its names taken out: canonical terms, paraphrase-tolerant.

"Build a CRUD API for Customer records" and "REST endpoints to create, read, update and delete
invoices" both reduce to {api, crud, <entity>}; "webhook sender" and "webhook receiver" do not meet.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from learning.forms import singularize
from learning.names import normalize_tool, task_words

# Words that carry no meaning for fit: articles, fillers, polite verbs.
FILLER = frozenset("""
a an the and or of for to in on with by from into as at via per each every all any its their this that
these those it is are be which who please build create write make implement generate develop provide
produce give need needs want simple basic small new complete full code module file function class
some our my your we i you me us that's using use uses used based around up out so should must can will
record records entry entries item items object objects row rows resource resources thing things stuff
data managing manage management handle handling support supports also just like let lets
""".split())

# Paraphrases of one idea map to one term.
CANONICAL = {
    "endpoint": "api", "endpoints": "api", "route": "api", "routes": "api", "router": "api",
    "routers": "api", "rest": "api", "restful": "api", "http": "api", "apis": "api",
    "receiver": "receive", "receiving": "receive", "receives": "receive", "consumer": "receive",
    "consume": "receive", "consuming": "receive", "incoming": "receive", "inbound": "receive",
    "listener": "receive", "listen": "receive",
    "sender": "send", "sending": "send", "sends": "send", "emit": "send", "emitter": "send",
    "dispatch": "send", "dispatcher": "send", "deliver": "send", "delivery": "send",
    "outgoing": "send", "outbound": "send", "publisher": "send", "publish": "send",
    "verify": "verify", "verification": "verify", "verifying": "verify", "verified": "verify",
    "validate": "verify", "validation": "verify", "validating": "verify", "check": "verify",
    "retrying": "retry", "retries": "retry", "backoff": "retry", "resilient": "retry",
    "tests": "test", "testing": "test", "pytest": "test", "unit": "test", "suite": "test",
    "models": "model", "orm": "model", "table": "model", "tables": "model", "entity": "model",
    "schemas": "schema", "pydantic": "schema", "dto": "schema", "dtos": "schema",
    "configuration": "settings", "config": "settings", "setting": "settings", "env": "settings",
    "environment": "settings",
    "command": "cli", "commands": "cli", "subcommand": "cli", "typer": "cli", "terminal": "cli",
    "worker": "job", "jobs": "job", "background": "job", "task": "job", "tasks": "job",
    "scheduled": "job", "periodic": "job",
    "authentication": "auth", "authenticate": "auth", "authorization": "auth", "jwt": "auth",
    "bearer": "auth",
    "signature": "hmac", "signed": "hmac", "signatures": "hmac", "signing": "hmac", "sign": "hmac",
    "repositories": "repository", "repo": "repository", "dao": "repository",
    "client": "client", "clients": "client", "wrapper": "client", "sdk": "client",
    "listing": "list", "lists": "list", "paginated": "pagination", "paging": "pagination",
    "deleting": "delete", "removing": "delete", "remove": "delete", "updating": "update",
    "editing": "update", "edit": "update", "reading": "read", "fetch": "read", "get": "read",
    "retrieve": "read", "creating": "create",
    # periodic work: "periodically", "every 10 minutes", "nightly" all say "a scheduled job"
    "periodically": "job", "recurring": "job", "interval": "job", "cron": "job", "minute": "job",
    "minutes": "job", "hourly": "job", "hour": "job", "hours": "job", "nightly": "job", "daily": "job",
    "second": "job", "seconds": "job", "schedule": "job", "scheduler": "job",
    "filtered": "filter", "filtering": "filter", "filterable": "filter", "filters": "filter",
    "import": "load", "imports": "load", "importing": "load", "imported": "load", "importer": "load",
    "loading": "load", "loads": "load", "loader": "load", "ingest": "load", "ingesting": "load",
    "ingestion": "load",
    "user": "account", "users": "account", "accounts": "account", "login": "auth",
    "syncs": "sync", "syncing": "sync", "synchronize": "sync", "synchronise": "sync",
    "synchronization": "sync", "synced": "sync",
    "migrations": "migration", "migrate": "migration",
    "searching": "search", "searchable": "search", "lookup": "search", "find": "search",
}

# "create, read, update and delete" is CRUD.
_CRUD_PARTS = {"create", "read", "update", "delete"}


def slot_marker(name: str) -> str:
    return "{" + name + "}"


_VERSION = re.compile(r"^v\d+$")


@lru_cache(maxsize=256)
def _analyzed(task: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
    """The task's words, their singulars, their canonical terms ("" for filler) and whether it says CRUD."""
    words = tuple(task_words(task))
    singular = tuple(singularize(w) for w in words)
    canon = []
    for word in words:
        if word in FILLER or word.isdigit() or _VERSION.match(word):
            canon.append("")
            continue
        word = CANONICAL.get(word, word)
        canon.append(CANONICAL.get(singularize(word), singularize(word)))
    said = {CANONICAL.get(w, w) for w in words}
    return words, singular, tuple(canon), _CRUD_PARTS <= said


def skeleton_terms(task: str, slots: dict[str, list[str]], stack: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The sorted canonical terms of ``task`` with each slot's name (any number form) replaced by its marker.

    Stack words are left out (the stack is compared on its own), in any alias ("Postgres", "py").
    """
    words, singular, canon, crud = _analyzed(task)
    tools = set(stack)
    ordered = sorted(slots.items(), key=lambda kv: -len(kv[1]))
    out: list[str] = []
    i = 0
    while i < len(words):
        hit = None
        for name, parts in ordered:
            n = len(parts)
            if (i + n <= len(words) and singular[i + n - 1] == parts[-1]
                    and list(words[i:i + n - 1]) == parts[:-1]):
                hit = (name, n)
                break
        if hit:
            out.append(slot_marker(hit[0]))
            i += hit[1]
            continue
        word, term = words[i], canon[i]
        i += 1
        if not term or word in tools or normalize_tool(word) in tools:
            continue
        out.append(term)
    terms = set(out)
    if crud:
        terms.add("crud")
    if "crud" in terms:
        terms -= _CRUD_PARTS | {"list"}  # listing is part of CRUD
    return sorted(terms)


def similarity(a: list[str], b: list[str]) -> float:
    """Jaccard similarity of two term sets."""
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def _digest(parts: list[str]) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:20]  # noqa: S324 - a lookup key


def lookup_keys(stack_key: str, terms: list[str]) -> list[str]:
    """Index keys of a term set: itself and each set with one term left out (``Jaccard >= 0.8`` pairs share one)."""
    keys = {_digest([stack_key, *terms])}
    if len(terms) > 2:
        for i in range(len(terms)):
            keys.add(_digest([stack_key, *terms[:i], *terms[i + 1:]]))
    return sorted(keys)


def signature(stack_key: str, terms: list[str]) -> str:
    """The one-template-per-signature key: stack and exact term set."""
    return _digest([stack_key, *terms])
