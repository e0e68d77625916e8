"""Storage (floor 2): the only room that talks to the database. SQLite by default, PostgreSQL by URL.

``open_database(url)`` gives the process's migrated ``Database``; repositories (``CallLedger``,
``TemplateStore``) take it and speak pydantic records, never sessions.
"""

from storage.budget import BudgetStore, Limit, ReserveOutcome, micro_dollars
from storage.calls import CALL_VERDICTS, CallLedger, CallRecord, CallStatus, CallVerdict
from storage.circuits import CircuitRecord, CircuitState, CircuitStore
from storage.db import Database, close_database, mask_url, normalize_url, open_database
from storage.prompt_layers import PromptLayerStore
from storage.reports import ReportKind, ReportStore, ReportSummary, StoredReport
from storage.requests import LoggedRequest, RequestLog
from storage.results import CachedAnswer, ResultCache
from storage.templates import KeyMatch, TemplateRecord, TemplateStore, TemplateUses

__all__ = [
    "CachedAnswer",
    "ResultCache",
    "LoggedRequest",
    "RequestLog",
    "ReportKind",
    "ReportStore",
    "ReportSummary",
    "StoredReport",
    "BudgetStore",
    "Limit",
    "ReserveOutcome",
    "micro_dollars",
    "CallLedger",
    "CallRecord",
    "CALL_VERDICTS",
    "CallStatus",
    "CallVerdict",
    "CircuitRecord",
    "CircuitState",
    "CircuitStore",
    "PromptLayerStore",
    "Database",
    "KeyMatch",
    "TemplateRecord",
    "TemplateStore",
    "TemplateUses",
    "close_database",
    "mask_url",
    "normalize_url",
    "open_database",
]
