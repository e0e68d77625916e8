"""Advice for a failure report, read from the pattern of its attempts' error kinds.

Each kind of failure (network, rate limits, keys, unusable output, model settings, budget) has
one recommendation naming the providers and settings involved; the most frequent cause comes first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from budget.scopes import DAILY_CALLS, changed_with
from contracts import Attempt
from providers.registry import find_spec
from storage.calls import CANCELLED, INTERRUPTED

GENERAL_ADVICE = [
    "Manual development: if the causes above cannot be fixed quickly, have a developer implement "
    "this component by hand.",
    "Save as a template: once the component exists, add it to the library with `q2o templates add "
    '"TASK" --stack STACK FILES` so similar tasks are served from it without calling a model.',
    "Smaller tasks: break this task into 2-3 smaller, more specific tasks and request them one by one.",
]


@dataclass(frozen=True)
class _Cause:
    name: str
    kinds: frozenset[str]
    advise: Callable[[list[Attempt], list[Attempt]], str]


def called(attempts: list[Attempt]) -> list[Attempt]:
    """The attempts that actually called a provider (skips made no call)."""
    return [a for a in attempts if a.status != "skipped"]


def _join(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _providers(group: list[Attempt]) -> str:
    return _join([a.provider for a in group])


def _share(group: list[Attempt], everything: list[Attempt]) -> str:
    # Shares count calls; a skip only counts when the group itself holds skips.
    pool = everything if any(a.status == "skipped" for a in group) else called(everything)
    n, total = len(group), len(pool)
    if n == total:
        return "the only attempt" if n == 1 else f"all {n} attempts"
    return f"{n} of {total} attempts"


def _kinds(group: list[Attempt]) -> str:
    return ", ".join(dict.fromkeys(a.error_kind or "unknown" for a in group))


def _key_variables(provider: str) -> str:
    spec = find_spec(provider)  # a ledger row may name a provider this version no longer has
    return spec.key_hint if spec else f"the {provider} API key"


def _model_variable(provider: str) -> str:
    spec = find_spec(provider)
    return spec.model_variable if spec else f"Q2O_{provider.upper()}_MODEL"


def _keyless_servers(providers: list[str]) -> str:
    """ " (or Q2O_OPENAI_BASE_URL for an OpenAI-compatible server ..., which needs no key)" for the providers
    a base URL alone configures; "" when there is none among ``providers``."""
    hints = [spec.keyless_hint for spec in map(find_spec, providers) if spec and spec.keyless_hint]
    return f" (or {_join(hints)}, which needs no key)" if hints else ""


def _network(group: list[Attempt], everything: list[Attempt]) -> str:
    timeouts = [a for a in group if a.error_kind == "timeout"]
    down = [a for a in group if a.error_kind != "timeout"]
    parts = []
    if down:
        parts.append(
            f"{_share(down, everything)} got a server error or no connection from {_providers(down)} "
            "(HTTP 5xx/529 or unreachable): the provider was overloaded or down, or this machine's "
            "network, proxy or firewall is in the way. Check the providers' status pages, then re-run."
        )
    if timeouts:
        parts.append(
            f"{_share(timeouts, everything)} timed out at {_providers(timeouts)}: raise "
            "Q2O_TIMEOUT_SECONDS if only long tasks time out."
        )
    return "Provider or network trouble: " + " ".join(parts)


def _rate_limited(group: list[Attempt], everything: list[Attempt]) -> str:
    return (
        f"Rate limits: {_share(group, everything)} were refused by {_providers(group)} for "
        "exceeding a quota. Wait for the quota window to pass (a minute to an hour) or raise the "
        "quota in the provider's console; spread the load by running fewer requests at once or "
        "putting another provider first in Q2O_CHAIN."
    )


def _auth(group: list[Attempt], everything: list[Attempt]) -> str:
    fixes = _join([f"{p} (check {_key_variables(p)})" for p in dict.fromkeys(a.provider for a in group)])
    return (
        f"API keys: authentication failed for {fixes}. The key is wrong, revoked or has no access "
        "to the model; set a valid key and re-run."
    )


def _unusable_output(group: list[Attempt], everything: list[Attempt]) -> str:
    return (
        f"Unusable output: {_share(group, everything)} got an answer from "
        f"{_providers(group)} that could not be used ({_kinds(group)}). Simplify the task or split "
        "it into smaller tasks, and give more specific guidance: file names, interfaces, libraries "
        "to use and an example of the expected result."
    )


def _rejected(group: list[Attempt], everything: list[Attempt]) -> str:
    return (
        f"Rejected code: {_share(group, everything)} returned code from {_providers(group)} "
        "that was rejected afterwards (see the final error). Make the requirements more specific or "
        "split the task so each part can pass validation."
    )


def _failed_validation(group: list[Attempt], everything: list[Attempt]) -> str:
    return (
        f"Static validation: {_share(group, everything)} returned code from {_providers(group)} that failed "
        "the static checks (the error column names the findings). If the task asks for something unsafe by "
        "nature (eval, shell commands, unpinned TLS), ask for a safe alternative instead; for lint or "
        "coverage findings, make the requirements more specific. Q2O_MIN_QUALITY sets the bar; a "
        "high-severity finding always rejects."
    )


def _review_rejected(group: list[Attempt], everything: list[Attempt]) -> str:
    rejected = [a for a in group if a.purpose != "review"]
    reviews = [a for a in group if a.purpose == "review"]
    what = (
        f"{_share(rejected, everything)} produced code from {_providers(rejected)} that the cross-provider "
        "review did not approve for this security-sensitive task (see each attempt's error)."
        if rejected
        else "the cross-provider review could not give a verdict."
    )
    no_verdict = reviews or any("no review verdict" in (a.error or "") for a in rejected)
    only_one = len({a.provider for a in everything}) < 2
    verdict_advice = (
        " Some reviews gave no verdict (fail closed): "
        + (
            "no second provider is configured to review; add one to Q2O_CHAIN."
            if only_one
            else "the reviewer answered with a malformed verdict twice or its calls failed (see the review rows); "
            "re-run, or put a provider whose structured output works first after the generator in Q2O_CHAIN."
        )
        if no_verdict
        else ""
    )
    return (
        f"Rejected by review: {what}{verdict_advice} State the security requirements explicitly (input "
        "validation, secrets from the environment, parameterised SQL, authentication) or split the task; "
        "turning review off (Q2O_CROSS_VALIDATE=false) ships unreviewed code and should be a deliberate decision."
    )


def _not_configured(group: list[Attempt], everything: list[Attempt]) -> str:
    providers = list(dict.fromkeys(a.provider for a in group))
    keys = _join([f"{_key_variables(p)} for {p}" for p in providers])
    server = _keyless_servers(providers)
    if not called(everything):
        return f"No provider configured: nothing was tried. Set {keys}{server}, then re-run."
    return (
        f"Unconfigured providers: {_join(providers)} {'was' if len(providers) == 1 else 'were'} "
        f"skipped for lack of an API key. Set {keys}{server} so failover has more providers to try."
    )


def _settings_rejected(group: list[Attempt], everything: list[Attempt]) -> str:
    tried: dict[str, list[str]] = {}
    for attempt in group:
        tried.setdefault(attempt.provider, [])
        if attempt.model and attempt.model not in tried[attempt.provider]:
            tried[attempt.provider].append(attempt.model)
    checks = _join(
        [_model_variable(p) + (f" (tried: {', '.join(models)})" if models else "") for p, models in tried.items()]
    )
    return (
        f"Model settings: {_providers(group)} rejected the request ({_kinds(group)}). Check that "
        f"{checks} names a model the account can use (a provider:model entry of Q2O_CHAIN overrides it), and "
        "that any Q2O_<PROVIDER>_BASE_URL points at the right server; a very long task can also exceed the "
        "model's context."
    )


def _budget(group: list[Attempt], everything: list[Attempt]) -> str:
    """Which budget refused, from the refusals' own words (each names its scope), and what lifts that one:
    a daily call limit resets by itself and is not changed with ``q2o budget set``."""
    texts = " ".join(a.error or "" for a in group)
    lifts = []
    if "daily call limit" in texts:
        lifts.append(
            f"the daily call limit resets at midnight in Q2O_TIMEZONE; change it with {changed_with(DAILY_CALLS)}"
        )
    if "'s share" in texts:
        lifts.append(f"an agent's share: raise {changed_with('agent:*')}")
    if "project " in texts and "'s budget" in texts:
        lifts.append(f"a project's budget: raise it in {changed_with('project:*')}")
    if "monthly budget" in texts or not lifts:
        lifts.append(
            "the monthly budget: raise it with `q2o budget set AMOUNT`, or wait for next month: spending starts "
            "again from zero on the 1st"
        )
    return (
        f"Budget: a limit this request counts against (the error column says which) is used up, so "
        f"{_providers(group)} {'was' if len({a.provider for a in group}) == 1 else 'were'} not called and only "
        "template matches are served. Check `q2o budget status` (it names the blocking scope and when it "
        "resets); " + "; ".join(lifts) + "."
    )


def _interrupted(group: list[Attempt], everything: list[Attempt]) -> str:
    return (
        f"Interrupted: {_share(group, everything)} never finished (the run stopped or was cancelled while "
        f"{_providers(group)} was working). Re-run the request."
    )


def _unexpected(group: list[Attempt], everything: list[Attempt]) -> str:
    return (
        f"Unexpected errors: {_share(group, everything)} failed at {_providers(group)} with "
        f"an unclassified error ({_kinds(group)}). Read the error column; if it looks like a bug in "
        "Q2O Forge rather than the provider, send this report to its maintainers."
    )


_CAUSES = [  # ties in frequency keep this order: causes the consultant can fix directly come first
    _Cause("not_configured", frozenset({"not_configured"}), _not_configured),
    _Cause("budget", frozenset({"budget_exhausted"}), _budget),
    _Cause("auth", frozenset({"auth"}), _auth),
    _Cause("settings", frozenset({"bad_request", "model_not_found"}), _settings_rejected),
    _Cause("network", frozenset({"unavailable", "timeout"}), _network),
    _Cause("rate_limited", frozenset({"rate_limited"}), _rate_limited),
    _Cause("output", frozenset({"invalid_output", "malformed_response"}), _unusable_output),
    _Cause("validation", frozenset({"failed_validation"}), _failed_validation),
    _Cause("review", frozenset({"rejected_by_review"}), _review_rejected),
]
_REJECTED = _Cause("rejected", frozenset(), _rejected)
_REVIEW = next(c for c in _CAUSES if c.name == "review")
_INTERRUPTED = _Cause("interrupted", frozenset(), _interrupted)
_UNEXPECTED = _Cause("unexpected", frozenset(), _unexpected)


def _cause_of(attempt: Attempt) -> _Cause:
    if attempt.status == "succeeded":
        return _REJECTED
    if attempt.status == "running" or attempt.error_kind in (INTERRUPTED, CANCELLED):
        return _INTERRUPTED
    if attempt.purpose == "review" and attempt.error_kind in ("invalid_output", "malformed_response"):
        return _REVIEW  # a malformed verdict is the review's trouble, not the generator's output
    for cause in _CAUSES:
        if attempt.error_kind in cause.kinds:
            return cause
    return _UNEXPECTED


def specific_advice(attempts: list[Attempt]) -> list[str]:
    """One recommendation per cause seen in ``attempts``, the most frequent cause first."""
    groups: dict[str, tuple[_Cause, list[Attempt]]] = {}
    for attempt in attempts:
        cause = _cause_of(attempt)
        groups.setdefault(cause.name, (cause, []))[1].append(attempt)
    order = [c.name for c in (*_CAUSES, _REJECTED, _INTERRUPTED, _UNEXPECTED)]
    ranked = sorted(groups.values(), key=lambda item: (-len(item[1]), order.index(item[0].name)))
    return [cause.advise(group, attempts) for cause, group in ranked]


def recommendations(attempts: list[Attempt]) -> list[str]:
    """Specific advice for the failure pattern, then the general options that always apply."""
    if not attempts:
        specific = [
            "No attempt was recorded: check that Q2O_CHAIN names at least one provider and read the "
            "run's logs for an error before the first call."
        ]
    else:
        specific = specific_advice(attempts)
    if attempts and all(a.error_kind in ("budget_exhausted", "not_configured") for a in attempts):
        return specific  # nothing was generated: manual work or smaller tasks would not change that
    return specific + GENERAL_ADVICE


def consultant_steps(request_id: str, report_id: str) -> list[str]:
    """What the consultant does next, in order."""
    return [
        "Review the attempts table to find the root cause: each provider's last error is why "
        "failover moved on from it.",
        "Apply the recommendations, configuration first (API keys, model names, quotas, budget), "
        f"then re-run the request (request id {request_id}).",
        "If it fails again, simplify the task, break it into smaller sub-tasks, give more specific "
        "technical guidance, or develop the component manually.",
        f"Fill in and send the client message below; quote {report_id} so everyone refers to the same failure.",
    ]
