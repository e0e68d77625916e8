"""The database engine and a per-request session dependency; the URL comes from ``DATABASE_URL``."""

import os
from collections.abc import Iterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker


@lru_cache(maxsize=1)
def session_factory() -> sessionmaker[Session]:
    """One engine and session factory per process."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise RuntimeError("DATABASE_URL is not set")
    engine: Engine = create_engine(url, pool_pre_ping=True)
    return sessionmaker(engine, expire_on_commit=False)


def get_session() -> Iterator[Session]:
    """FastAPI dependency: a session for one request, closed afterwards."""
    with session_factory()() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
