"""The product catalogue: GET /products (search, keyset on id) and GET /products/{id}."""
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from psycopg_pool import AsyncConnectionPool

from .db import pool_of
from .params import Limit, decode_cursor, encode_cursor, parse_id
from .problems import invalid, not_found

router = APIRouter()
Pool = Annotated[AsyncConnectionPool, Depends(pool_of)]

_LIKE_SPECIAL = re.compile(r"([\\%_])")


def _product(row: tuple[Any, ...]) -> dict[str, Any]:
    id_, sku, name, price_cents, stock = row
    return {"id": id_, "sku": sku, "name": name, "price_cents": price_cents, "stock": stock}


@router.get("/products")
async def list_products(pool: Pool, q: str | None = None, limit: Limit = 20, cursor: str | None = None) -> JSONResponse:
    after = decode_cursor(cursor, 1)
    where: list[str] = []
    params: list[object] = []
    if q and "\x00" in q:
        # PostgreSQL text cannot hold NUL: no name contains it, and sending it would fail the query.
        raise invalid("q must not contain a NUL character.")
    if q:
        # q is plain text: LIKE's wildcards and escape character in it match themselves.
        where.append("name ILIKE %s")
        escaped = _LIKE_SPECIAL.sub(r"\\\1", q)
        params.append(f"%{escaped}%")
    if after:
        where.append("id > %s")
        params.append(after[0])
    params.append(limit + 1)
    sql = "SELECT id, sku, name, price_cents, stock FROM products"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id LIMIT %s"
    # Not prepared on the server: a prepared search switches to a generic plan, blind to how selective
    # its pattern is.
    async with pool.connection() as conn:
        rows = await (await conn.execute(sql, params, prepare=False)).fetchall()
    page = rows[:limit]
    more = len(rows) > limit
    return JSONResponse({"data": [_product(r) for r in page], "next_cursor": encode_cursor([page[-1][0]]) if more else None})


@router.get("/products/{product_id}")
async def get_product(pool: Pool, product_id: str) -> JSONResponse:
    id_ = parse_id(product_id)
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT id, sku, name, price_cents, stock FROM products WHERE id = %s", (id_,))
        row = await cur.fetchone()
    if row is None:
        raise not_found("The product does not exist.")
    return JSONResponse(_product(row))
