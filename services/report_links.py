"""Where this ``Q2O_HOME``'s report links point: ``Q2O_REPORTS_URL`` when it is set, else the report endpoint
that serves this home (its services state knows the port it got: another home's endpoint may hold 4280), else
the default URL, where the endpoint starts when the port is free.
"""

from __future__ import annotations

from services.catalog import service_named
from services.processes import is_alive, read_state
from settings import DEFAULT_REPORTS_PORT, Settings

REPORTS_SERVICE = "reports"
DEFAULT_REPORTS_URL = f"http://127.0.0.1:{DEFAULT_REPORTS_PORT}"


def reports_url_is_set(settings: Settings) -> bool:
    """``Q2O_REPORTS_URL`` was given (environment, ``.env`` or a stored override), not left to its default."""
    return "reports_url" in settings.model_fields_set


def reports_base_url(settings: Settings) -> str:
    """The base URL report links use (``<it>/reports/<id>.html``): a set ``Q2O_REPORTS_URL`` wins; else the
    running endpoint of this home; else the default."""
    if reports_url_is_set(settings):
        return str(settings.reports_url)
    state = read_state(settings, service_named(REPORTS_SERVICE))
    if state is not None and is_alive(state):
        return state.url.removesuffix("/").removesuffix("/reports")
    return DEFAULT_REPORTS_URL
