"""Storage (floor 2): the only room that talks to the database. SQLite by default, PostgreSQL by URL."""

from storage.calls import CallLedger, CallRecord
from storage.db import Database, open_database
from storage.templates import TemplateRecord, TemplateStore

__all__ = ["CallLedger", "CallRecord", "Database", "TemplateRecord", "TemplateStore", "open_database"]
