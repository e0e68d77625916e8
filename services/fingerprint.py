"""Whether two processes would run a request the same way: a digest of what decides it in a process, so the run
host (``cli/host.py``) serves a caller only when its own digest is the caller's.

It covers the settings as they resolve (every ``Q2O_*`` knob, the ``.env`` file's and the keys in force), the
environment the provider SDKs and Prefect read (their variables, proxies, CA bundles), the Prefect files of the
working folder (``.env``, ``prefect.toml``, a ``pyproject.toml`` with ``[tool.prefect]``) and the code itself
(every module's size and modification time), so an edited checkout is not served by yesterday's process. It is a
SHA-256 digest: keys go in, nothing of them can be read back out, and it is never stored, only compared.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from settings import Settings

# Environment variables that change a run besides Q2O_*: the provider SDKs read their own (base URLs,
# organisations), Prefect its own, every HTTP client the proxy and CA ones.
_PREFIXES = ("Q2O_", "PREFECT_", "OPENAI_", "ANTHROPIC_", "GEMINI_", "GOOGLE_")
_NAMES = {"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE"}
# Not part of it: where the Prefect API is (the run host finds the same shared server itself), how loud
# Prefect's console is (the run host has no terminal) and Q2O_HOME as written (the resolved home is).
_IGNORED = ("PREFECT_API_URL", "PREFECT_LOGGING_", "Q2O_HOME")
_PREFECT_FILES = (".env", "prefect.toml")
_ROOT = Path(__file__).resolve().parents[1]  # the checkout (or installed tree) the rooms live in


def _environment() -> list[tuple[str, str]]:
    return sorted(
        (k, v)
        for k, v in os.environ.items()
        if (k.startswith(_PREFIXES) or k.upper() in _NAMES) and not k.startswith(_IGNORED)
    )


def _folder_files(folder: Path) -> list[tuple[str, str]]:
    found = []
    for name in (*_PREFECT_FILES, "pyproject.toml"):
        try:
            data = (folder / name).read_bytes()
        except OSError:
            continue
        if name != "pyproject.toml" or b"[tool.prefect" in data:
            found.append((name, hashlib.sha256(data).hexdigest()))
    return found


def code_stamp(root: Path = _ROOT) -> str:
    """Every module of the rooms (the top folders with an ``__init__.py``): path, size and modification time."""
    h = hashlib.sha256()
    for room in sorted(p for p in root.iterdir() if (p / "__init__.py").is_file()):
        for path in sorted(room.rglob("*.py")):
            st = path.stat()
            h.update(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def environment_fingerprint(settings: Settings, folder: Path | None = None) -> str:
    """The digest of this process's settings, environment, working-folder Prefect files and code."""
    parts = {
        "settings": settings.model_dump(mode="json"),
        "secrets": sorted(settings.secret_values()),
        "home": str(settings.home.resolve()),
        "database": settings.resolved_database_url,
        # A relative SQLite path names another file in another folder.
        "cwd": str(Path.cwd())
        if settings.resolved_database_url.startswith("sqlite:///")
        and not settings.resolved_database_url.startswith("sqlite:////")
        else "",
        "environment": _environment(),
        "files": _folder_files(folder or Path.cwd()),
        "code": code_stamp(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
