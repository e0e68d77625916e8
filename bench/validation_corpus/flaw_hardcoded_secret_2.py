"""Database engine for the reporting service."""

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine


def reporting_engine() -> Engine:
    """Engine connected to the reporting database."""
    url = URL.create(
        "postgresql+psycopg", username="reporter", password="R3p0rt!ng-2024", host="db", database="reports"
    )
    return create_engine(url)
