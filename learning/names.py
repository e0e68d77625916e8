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
""".split())

# Hyphens split words ("HMAC-verified", "purchase-order"); an apostrophe keeps a word whole, so
# "O'Brien" stays one word, which is then refused as a slot value.
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:'[A-Za-z0-9]+)*")


def task_words(task: str) -> list[str]:
    """The task's words, lowercased, in order."""
    return [w.lower() for w in _WORD.findall(task)]


def candidate_names(task: str, max_words: int = 3) -> list[tuple[str, ...]]:
    """Runs of non-generic words (singular last word), longest first, each at most ``max_words`` long."""
    words = task_words(task)
    found: list[tuple[str, ...]] = []
    run: list[str] = []
    for word in [*words, ""]:
        if word and word not in GENERIC and not word.isdigit() and len(word) > 1:
            run.append(word)
            continue
        for size in range(min(max_words, len(run)), 0, -1):
            for start in range(0, len(run) - size + 1):
                parts = run[start:start + size]
                name = (*parts[:-1], singularize(parts[-1]))
                if name not in found:
                    found.append(name)
        run = []
    found.sort(key=len, reverse=True)
    return found
