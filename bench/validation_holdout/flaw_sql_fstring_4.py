"""Account settings service using psycopg2."""

import logging

import psycopg2.extensions

logger = logging.getLogger(__name__)


def update_email(conn: psycopg2.extensions.connection, user_id: int, new_email: str) -> bool:
    """Change a user's e-mail address; True when a row was updated."""
    sql = "UPDATE accounts SET email = '{}', updated_at = now() WHERE id = {}".format(new_email, user_id)
    with conn.cursor() as cur:
        cur.execute(sql)
        changed = cur.rowcount == 1
    conn.commit()
    logger.info("email change for user %s: %s", user_id, "ok" if changed else "no such user")
    return changed
