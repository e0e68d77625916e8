"""Storage tests run on a blank SQLite file and, when one answers, a blank PostgreSQL database."""

from tests.dbfixtures import database_url  # noqa: F401 - the fixture, parametrized sqlite / postgresql
