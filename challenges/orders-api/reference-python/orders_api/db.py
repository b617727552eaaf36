"""PostgreSQL: the process's connection pool, the indexes the endpoints need, and transactions."""
from collections.abc import Awaitable, Callable
import logging
import time
from typing import TypeVar

import psycopg

from fastapi import Request
from psycopg import AsyncConnection
from psycopg.errors import DeadlockDetected
from psycopg_pool import AsyncConnectionPool

T = TypeVar("T")
log = logging.getLogger("orders_api")

# The challenge creates only the keys. This index serves the order list, also filtered by status (status is
# an included column: the rarest status is about a tenth of a customer's orders, so a page reads at most
# about ten times its size), and the summary, both as index-only scans.
INDEXES = (
    """CREATE INDEX IF NOT EXISTS orders_customer_created_idx
       ON orders (customer_id, created_at DESC, id DESC) INCLUDE (status, total_cents)""",
)


def create_pool(url: str) -> AsyncConnectionPool:
    """A worker's pool of eight autocommit connections, all opened at start (a pool that grows under load
    makes the first requests wait); reads need no transaction, writes open one explicitly."""
    return AsyncConnectionPool(url, min_size=8, max_size=8, open=False, kwargs={"autocommit": True})


def ensure_indexes(url: str, timeout_s: float = 45) -> None:
    """Creates the missing indexes (once, before the workers start), with more sort memory for this
    transaction only; waits up to `timeout_s` for the database to accept connections."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            conn = psycopg.connect(url)
            break
        except psycopg.OperationalError as err:
            if time.monotonic() > deadline:
                raise
            log.warning("database not ready yet: %s", err)
            time.sleep(0.5)
    with conn, conn.transaction():
        conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for sql in INDEXES:
            conn.execute(sql)


def pool_of(request: Request) -> AsyncConnectionPool:
    """FastAPI dependency: the application's pool."""
    pool: AsyncConnectionPool = request.app.state.pool
    return pool


async def in_transaction(pool: AsyncConnectionPool, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Runs `work(conn)` in one transaction. A deadlock victim is retried: concurrent orders lock their
    products in id order, but an order and a cancellation may still meet."""
    attempt = 1
    while True:
        try:
            async with pool.connection() as conn, conn.transaction():
                return await work(conn)
        except DeadlockDetected:
            if attempt >= 3:
                raise
            attempt += 1
