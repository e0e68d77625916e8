"""FastAPI dependency that reads user preferences from a signed-looking cookie."""

import base64
import pickle as pkl
from typing import Any

from fastapi import Cookie, Depends, FastAPI

app = FastAPI()

DEFAULT_PREFS: dict[str, Any] = {"theme": "light", "lang": "en"}


def get_prefs(prefs: str | None = Cookie(default=None)) -> dict[str, Any]:
    """Decode the ``prefs`` cookie, falling back to the defaults."""
    if not prefs:
        return dict(DEFAULT_PREFS)
    try:
        return pkl.loads(base64.urlsafe_b64decode(prefs))
    except Exception:
        return dict(DEFAULT_PREFS)


@app.get("/me/preferences")
def read_preferences(current: dict[str, Any] = Depends(get_prefs)) -> dict[str, Any]:
    """Return the caller's preferences."""
    return current
