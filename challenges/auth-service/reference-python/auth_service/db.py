"""PostgreSQL: the process's connection pool and the indexes the endpoints need."""
import logging
import time

import psycopg
from psycopg_pool import AsyncConnectionPool

log = logging.getLogger("auth_service")

# The challenge creates only the keys: the login lookup by e-mail (also what makes e-mails unique
# case-insensitively), and the refresh-token and reset-token lookups by digest.
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON users (lower(email))",
    "CREATE UNIQUE INDEX IF NOT EXISTS refresh_tokens_token_hash_key ON refresh_tokens (token_hash)",
    "CREATE INDEX IF NOT EXISTS refresh_tokens_family_idx ON refresh_tokens (family_id)",
    "CREATE INDEX IF NOT EXISTS refresh_tokens_user_idx ON refresh_tokens (user_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS password_resets_token_hash_key ON password_resets (token_hash)",
)


def create_pool(url: str) -> AsyncConnectionPool:
    """Eight autocommit connections opened at start; writes that belong together open a transaction."""
    return AsyncConnectionPool(url, min_size=8, max_size=8, open=False, kwargs={"autocommit": True})


def ensure_indexes(url: str, timeout_s: float = 45) -> None:
    """Creates the missing indexes before the server starts; waits up to `timeout_s` for the database."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            conn = psycopg.connect(url, autocommit=True)
            break
        except psycopg.OperationalError as err:
            if time.monotonic() > deadline:
                raise
            log.warning("database not ready yet: %s", err)
            time.sleep(0.5)
    with conn:
        for sql in INDEXES:
            conn.execute(sql)
