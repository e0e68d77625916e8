"""Back up a database with pg_dump."""

import os


def backup(database: str, target: str) -> int:
    """Dump ``database`` into ``target``."""
    return os.system(f"pg_dump {database} > {target}")
