"""Background services of a Q2O_HOME: the shared Prefect server (with its UI) that every local process uses
instead of starting one of its own, and whatever else ``catalog.SERVICES`` lists.

Plain processes and files (no Prefect import), so the command line can decide which Prefect API to use before
Prefect reads its settings.
"""

from services.catalog import PREFECT_SERVER_DEFAULTS, SERVICES, Service, service_named
from services.prefect_api import PrefectConnection, connect_prefect, user_api_url
from services.processes import ServiceError, ServiceState, ServiceStatus, ensure_running, status, stop, withdraw

__all__ = [
    "PREFECT_SERVER_DEFAULTS",
    "SERVICES",
    "PrefectConnection",
    "Service",
    "ServiceError",
    "ServiceState",
    "ServiceStatus",
    "connect_prefect",
    "ensure_running",
    "service_named",
    "status",
    "stop",
    "user_api_url",
    "withdraw",
]
