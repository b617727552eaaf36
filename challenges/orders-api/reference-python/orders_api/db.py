"""PostgreSQL: the process's connection pool, the indexes the endpoints need, and transactions."""
from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import Request
from psycopg import AsyncConnection
from psycopg.errors import DeadlockDetected
from psycopg_pool import AsyncConnectionPool

T = TypeVar("T")

# The challenge creates only the keys. This index serves the order list, also filtered by status (status is
# an included column: the rarest status is about a tenth of a customer's orders, so a page reads at most
# about ten times its size), and the summary, both as index-only scans.
INDEXES = (
    """CREATE INDEX IF NOT EXISTS orders_customer_created_idx
       ON orders (customer_id, created_at DESC, id DESC) INCLUDE (status, total_cents)""",
)


def create_pool(url: str) -> AsyncConnectionPool:
    """A pool of ten autocommit connections, all opened at start (a pool that grows under load makes the
    first requests wait); reads need no transaction, writes open one explicitly."""
    return AsyncConnectionPool(url, min_size=10, max_size=10, open=False, kwargs={"autocommit": True})


async def ensure_indexes(pool: AsyncConnectionPool) -> None:
    """Creates the missing indexes, with more sort memory for this transaction only."""
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for sql in INDEXES:
            await conn.execute(sql)


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
