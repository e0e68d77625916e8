"""Find the names a task talks about: n-grams of its words that are not generic programming vocabulary.

"CRUD API for purchase order records" -> candidates ['purchase order', 'purchase', 'order'];
the parameterizer keeps those that the code actually spells in some form.
"""

from __future__ import annotations

import re

from learning.forms import singularize

# Words that describe the job, not the thing the job is about: never a slot.
GENERIC = frozenset("""
a an the and or of for to in on with without by from into onto as at via per each every all any its their
this that these those it is are be been being which who whose what when where how new existing given
build create write make implement generate add define design develop provide return returns set get
use using used need needs want please code module file files function functions class classes method
api apis rest restful http https crud endpoint endpoints route routes router routers service services
model models schema schemas table tables database db sql orm repository repositories repo dao query
queries record records entry entries item items object objects entity entities resource resources row
rows data field fields column columns list lists listing read update updates delete deletes deleting
creating updating reading fetch fetching store storing save saving manage managing management handle
handling handler handlers support supports test tests testing pytest unit integration fixture fixtures
client clients server servers request requests response responses retry retries retrying backoff helper helpers
utility utilities util utils tool tools
webhook webhooks receiver receive receiving sender send sending signature signatures verify verification
verifying hmac secret secrets jwt auth authentication authorization token tokens dependency dependencies
login logout password passwords cli command commands option options argument arguments flag flags
settings config configuration environment env variable variables background job jobs task tasks
worker workers queue queues schedule scheduled scheduler cron async sync pagination paginated page
pages filter filtering filters sort sorting search validation validate validator validators input output
error errors exception exceptions logging log logs event events simple basic small full complete
python fastapi flask django sqlalchemy pydantic typer click celery httpx requests aiohttp pytest
typescript javascript node express react go golang rust java kotlin spring postgres postgresql sqlite
mysql redis json yaml toml csv html css docker id ids uuid name names type types status crud-api
migration migrations upgrade downgrade dataclass dataclasses enum typed typing mapping mappings mapper mappers
""".split()) | frozenset()  # extended below with TOOLS and verb forms

# Stack and tool names: a task that names its tools ("Alembic migration", "SQLAlchemy model") must not
# turn the tool into a slot, even when the code spells it (``from alembic import op``).
TOOLS = frozenset("""
python py python3 fastapi flask django sqlalchemy sqlmodel pydantic typer click celery rq dramatiq httpx requests
aiohttp urllib3 asyncio trio anyio uvicorn gunicorn starlette marshmallow alembic pytest unittest hypothesis
tortoise peewee psycopg psycopg2 asyncpg aiosqlite mongo mongodb motor beanie boto3 botocore pandas numpy polars
kafka rabbitmq pika nats grpc graphql strawberry graphene openapi swagger jinja jinja2 mako pyjwt jwt jose passlib
bcrypt argon2 oauth oauth2 postgres postgresql pg sqlite sqlite3 mysql mariadb redis memcached elasticsearch
opensearch docker kubernetes k8s terraform aws gcp azure s3 sqs sns dynamodb lambda prefect airflow dagster
typescript javascript node nodejs express nestjs react vue angular go golang gin chi rust axum java kotlin spring
ktor ruby rails php laravel csharp aspnet dotnet
""".split())

# Verbs say what the code does, never what it is about: "authenticates vendor" is not a name. Verbs that are
# also common entity nouns (order, review, charge, report, ...) are left out here, so "Order" stays a name.
VERB_STEMS = frozenset("""
authenticate authorize sync synchronise synchronize validate verify calculate compute notify register approve
reject cancel parse convert transform generate create update delete fetch send receive manage handle emit
publish consume migrate paginate serialize deserialize encode decode encrypt decrypt refresh reconcile ingest
dispatch deliver expose accept retrieve remove insert upsert persist load download upload import export save
write read render serve sign poll list filter sort search store track check
""".split())
# Only the -ing/-ed forms of these count as verbs ("stores", "tracks", "checks" are plural nouns as well).
_NOUN_TOO = frozenset({"store", "track", "check", "list", "filter", "search", "import", "export", "upload",
                       "download", "update", "sort", "poll", "sign", "serve"})


def _verb_forms() -> frozenset[str]:
    forms: set[str] = set()
    for stem in VERB_STEMS:
        base = stem[:-1] if stem.endswith("e") else stem
        forms |= {f"{base}ing", f"{base}ed" if not stem.endswith("e") else f"{stem}d"}
        if stem.endswith("y") and stem[-2] not in "aeiou":
            forms |= {stem[:-1] + "ied", stem[:-1] + "ies", stem + "ing"}
        if stem not in _NOUN_TOO:
            forms |= {stem, stem + ("es" if stem.endswith(("s", "x", "z", "ch", "sh")) else "s")}
    forms |= {"syncs", "synced", "syncing"}
    return frozenset(forms)


VERB_FORMS = _verb_forms()
GENERIC = GENERIC | TOOLS | VERB_FORMS
_VERSION = re.compile(r"^v\d+$")

# Hyphens split words ("HMAC-verified", "purchase-order"); an apostrophe keeps a word whole, so
# "O'Brien" stays one word, which is then refused as a slot value. Letters beyond ASCII are part of a
# word ("Café" is one word, not "caf"): such a word is refused as a slot value, never cut short.
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:'[^\W_]+)*")


def task_words(task: str) -> list[str]:
    """The task's words, lowercased, in order."""
    return [w.lower() for w in _WORD.findall(task)]


def _task_tokens(task: str) -> list[tuple[str, str, int]]:
    """The task's words as (lowercase, as written, hyphen group): words joined by hyphens ("In-memory",
    "HMAC-signed") share a group number; a word standing alone has a group of its own."""
    out: list[tuple[str, str, int]] = []
    group, last_end = -1, -2
    for m in _WORD.finditer(task):
        joined = last_end >= 0 and m.start() == last_end + 1 and task[last_end] == "-"
        group = group if joined else group + 1
        out.append((m.group().lower(), m.group(), group))
        last_end = m.end()
    return out


def first_position(words: list[str], name: tuple[str, ...]) -> int:
    """Where ``name`` first stands in the task's ``words`` (its last word in any number form); len(words) if absent.

    Slots are numbered in this order, both when a template is learned and when a task is read."""
    for i in range(len(words)):
        if tuple(words[i:i + len(name) - 1]) == name[:-1] and i + len(name) <= len(words):
            if words[i + len(name) - 1].startswith(name[-1][:-1] or name[-1]):
                return i
    return len(words)


def name_word(word: str, exclude: frozenset[str] | set[str] = frozenset()) -> bool:
    """Can ``word`` be part of a name? Not generic vocabulary, a tool, a verb, a number or a version."""
    return (word not in GENERIC and word not in exclude and not word.isdigit() and len(word) > 1
            and not _VERSION.match(word))


# Generic nouns that can end a name after a name word: "price list", "order line", "audit log", "user profile".
NAME_TAILS = frozenset({"list", "line", "log", "key", "profile", "type", "status", "page"})


def _verb_in_context(word: str, previous: str | None) -> bool:
    """'to import', 'that imports', or the task's first word ('Export Invoice records to CSV', ``previous`` None):
    a verb that is also a noun ("import", "export", "store") is a verb here."""
    stem = singularize(word)
    return stem in _NOUN_TOO and (previous is None and word == stem or previous == "to"
                                  or (previous in ("that", "which") and word != stem))


# A generic noun written in Title case right after a Title-case name is the end of that name: "Line Item",
# "Journal Entry" (lowercase "customer entries" stays "customer": "entries" there only says "records").
TITLE_TAILS = frozenset({"item", "entry"})


def _title(written: str) -> bool:
    return written[:1].isupper() and written[1:].islower()


_ARTICLES = frozenset({"a", "an", "the"})


def _before_article(words: list[str], i: int) -> bool:
    """A word right before an article is a verb ("Print a report", "Resize an image"), as is the first of two
    joined by "and" before one ("to place and cancel an Order"): a name is not followed by "a"/"the"."""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    return nxt in _ARTICLES or (nxt == "and" and i + 3 < len(words) and words[i + 3] in _ARTICLES)


def candidate_names(task: str, max_words: int = 3, exclude: frozenset[str] | set[str] = frozenset(),
                    max_names: int = 12) -> list[tuple[str, ...]]:
    """Runs of name words (singular last word), longest first, each at most ``max_words`` long.

    ``exclude``: more words that are never names (the request's stack). At most ``max_names``
    multi-word names are kept (every one-word name is), so a long task cannot make matching combinatorial.

    Not names: a word of a hyphenated compound with a word that is no name ("In-memory", "HMAC-signed": they
    describe the job), and a run right before "for" when a name follows ("Login check for Partner accounts",
    "JSON mapping for Invoice": the thing built, not what it is about).
    """
    tokens = _task_tokens(task)
    words = [t[0] for t in tokens]
    groups: dict[int, list[str]] = {}
    for word, _, group in tokens:
        groups.setdefault(group, []).append(word)
    describing = {g for g, parts in groups.items() if len(parts) > 1 and not all(name_word(w, exclude) for w in parts)}
    runs: list[tuple[int, int]] = []  # [start, end) of each run of name words
    start = None
    for i, word in enumerate([*words, ""]):
        if (word and tokens[i][2] not in describing and name_word(word, exclude)
                and not _verb_in_context(word, words[i - 1] if i else None) and not _before_article(words, i)):
            start = i if start is None else start
            continue
        if start is not None:
            runs.append((start, i))
        start = None
    runs = [(a, b) for a, b in runs if not (b < len(words) and words[b] == "for" and any(c > b for c, _ in runs))]
    found: list[tuple[str, ...]] = []
    for a, b in runs:
        run = words[a:b]
        word = words[b] if b < len(words) else ""
        tail = singularize(word) if word else ""
        title_tail = (word in TITLE_TAILS and _title(tokens[b][1]) and _title(tokens[b - 1][1])
                      and tokens[b][2] != tokens[b - 1][2])
        if tail in NAME_TAILS or title_tail:
            for size in range(min(max_words - 1, len(run)), 0, -1):
                name = (*run[len(run) - size:], tail)
                if name not in found:
                    found.append(name)
        for size in range(min(max_words, len(run)), 0, -1):
            for begin in range(0, len(run) - size + 1):
                parts = run[begin:begin + size]
                name = (*parts[:-1], singularize(parts[-1]))
                if name not in found:
                    found.append(name)
    found.sort(key=len, reverse=True)
    multi = [n for n in found if len(n) > 1][:max_names]
    return [*multi, *(n for n in found if len(n) == 1)]


# Stack entries that mean the same tool. Versions ("python3.12", "sqlalchemy>=2", "pydantic v2") are dropped.
STACK_ALIASES = {
    "py": "python", "python3": "python", "cpython": "python", "fast-api": "fastapi", "postgres": "postgresql",
    "pg": "postgresql", "psql": "postgresql", "js": "javascript", "node": "javascript", "nodejs": "javascript",
    "node-js": "javascript", "ts": "typescript", "golang": "go", "sqlalchemy2": "sqlalchemy",
    "pydantic2": "pydantic", "k8s": "kubernetes", "pydantic-settings": "pydantic-settings",
    "pydantic_settings": "pydantic-settings", "sqlite3": "sqlite", "mongo": "mongodb", "pyjwt": "jwt",
    "dotnet": "aspnet", "asp-net": "aspnet", "c#": "csharp", "rest-framework": "django-rest-framework",
    "drf": "django-rest-framework", "djangorestframework": "django-rest-framework",
}
_STACK_VERSION = re.compile(r"(?:\s*(?:[<>=~!^]=?|@|\s|-)\s*v?\d+(?:\.[\dx*]+)*|(?<=[a-z])\d+(?:\.[\dx*]+)+|\s+v?\d+)$")


def normalize_tool(entry: str) -> str:
    """One stack entry, aliases and case folded, version dropped: 'Python 3.12' -> 'python', 'Postgres' -> ..."""
    name = entry.strip().lower()
    name = _STACK_VERSION.sub("", name).strip()
    name = re.sub(r"[\s_]+", "-", name)
    return STACK_ALIASES.get(name, name)
