"""Orders of the caller: place, list (keyset on created_at, id), read, cancel, and the summary."""
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel, Field, field_validator

from .db import in_transaction, pool_of
from .params import MAX_BIGINT, Customer, Limit, decode_cursor, encode_cursor, parse_id
from .problems import conflict, invalid, not_found

router = APIRouter()
Pool = Annotated[AsyncConnectionPool, Depends(pool_of)]

Status = Literal["pending", "paid", "shipped", "cancelled"]
MAX_INTEGER = 2**31 - 1  # total_cents is a PostgreSQL integer
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


class OrderItemIn(BaseModel):
    """One line of POST /orders. JSON numbers only: "2" or 1.5 are refused (strict)."""

    product_id: int = Field(strict=True, ge=1, le=MAX_BIGINT)
    quantity: int = Field(strict=True, ge=1, le=1000)


class OrderIn(BaseModel):
    """Body of POST /orders: only `items` is read; any other field is ignored."""

    items: list[OrderItemIn] = Field(min_length=1, max_length=50)

    @field_validator("items")
    @classmethod
    def distinct_products(cls, items: list[OrderItemIn]) -> list[OrderItemIn]:
        if len({item.product_id for item in items}) != len(items):
            raise ValueError("each product_id may appear only once")
        return items


def iso(ts: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, like 2026-01-01T10:00:00.000Z."""
    return ts.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _order(id_: int, status: str, total_cents: int, created_at: datetime) -> dict[str, Any]:
    return {"id": id_, "status": status, "total_cents": total_cents, "created_at": iso(created_at)}


def _item(product_id: int, sku: str, name: str, quantity: int, unit_price_cents: int) -> dict[str, Any]:
    return {
        "product": {"id": product_id, "sku": sku, "name": name},
        "quantity": quantity,
        "unit_price_cents": unit_price_cents,
    }


@router.post("/orders", status_code=201)
async def create_order(pool: Pool, customer_id: Customer, body: OrderIn) -> JSONResponse:
    # Sorted by product id, so that concurrent orders lock their products in the same order.
    items = sorted(body.items, key=lambda item: item.product_id)
    product_ids = [item.product_id for item in items]
    quantities = [item.quantity for item in items]

    async def place(conn: AsyncConnection) -> dict[str, Any]:
        # Take the stock of every product at once; a row with too little stock is not updated.
        cur = await conn.execute(
            """UPDATE products p SET stock = p.stock - x.quantity
               FROM unnest(%s::bigint[], %s::int[]) AS x(product_id, quantity)
               WHERE p.id = x.product_id AND p.stock >= x.quantity
               RETURNING p.id, p.sku, p.name, x.quantity, p.price_cents""",
            (product_ids, quantities),
        )
        taken = sorted(await cur.fetchall())
        if len(taken) < len(items):
            cur = await conn.execute("SELECT count(*) FROM products WHERE id = ANY(%s::bigint[])", (product_ids,))
            found = (await cur.fetchone() or (0,))[0]
            if found < len(items):
                raise invalid("An item names a product that does not exist.")
            raise conflict("A product does not have enough stock for this order.")
        total = sum(quantity * price for _, _, _, quantity, price in taken)
        if total > MAX_INTEGER:
            raise invalid("The order total is too large.")
        cur = await conn.execute(
            """WITH o AS (
                 INSERT INTO orders (customer_id, status, total_cents) VALUES (%s, 'pending', %s)
                 RETURNING id, status, total_cents, created_at
               ), i AS (
                 INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
                 SELECT o.id, x.product_id, x.quantity, x.unit_price_cents
                 FROM o, unnest(%s::bigint[], %s::int[], %s::int[]) AS x(product_id, quantity, unit_price_cents)
               )
               SELECT id, status, total_cents, created_at FROM o""",
            (customer_id, total, [t[0] for t in taken], [t[3] for t in taken], [t[4] for t in taken]),
        )
        row = await cur.fetchone()
        assert row is not None
        return {**_order(*row), "items": [_item(*t) for t in taken]}

    order = await in_transaction(pool, place)
    return JSONResponse(order, status_code=201, headers={"Location": f"/orders/{order['id']}"})


@router.get("/orders")
async def list_orders(
    pool: Pool,
    customer_id: Customer,
    status: Status | None = None,
    limit: Limit = 20,
    cursor: str | None = None,
) -> JSONResponse:
    # The cursor keeps created_at in microseconds: orders placed through the API share milliseconds.
    after = decode_cursor(cursor, 2)
    where = ["o.customer_id = %s"]
    params: list[object] = [customer_id]
    if status:
        where.append("o.status = %s")
        params.append(status)
    if after:
        try:
            after_ts = EPOCH + after[0] * MICROSECOND
        except OverflowError:
            raise invalid("cursor is not a cursor returned by this API.") from None
        where.append("(o.created_at, o.id) < (%s, %s)")
        params += [after_ts, after[1]]
    params.append(limit + 1)
    sql = f"""SELECT o.id, o.status, o.total_cents, o.created_at,
                     (SELECT count(*) FROM order_items i WHERE i.order_id = o.id) AS item_count
              FROM orders o
              WHERE {" AND ".join(where)}
              ORDER BY o.created_at DESC, o.id DESC
              LIMIT %s"""
    async with pool.connection() as conn:
        rows = await (await conn.execute(sql, params)).fetchall()
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last_id, _, _, last_created, _ = page[-1]
        next_cursor = encode_cursor([(last_created - EPOCH) // MICROSECOND, last_id])
    data = [{**_order(id_, st, total, created), "item_count": n} for id_, st, total, created, n in page]
    return JSONResponse({"data": data, "next_cursor": next_cursor})


@router.get("/orders/{order_id}")
async def get_order(pool: Pool, customer_id: Customer, order_id: str) -> JSONResponse:
    id_ = parse_id(order_id)
    # One statement: the order joined with its items and their products.
    async with pool.connection() as conn:
        cur = await conn.execute(
            """SELECT o.id, o.status, o.total_cents, o.created_at,
                      i.product_id, p.sku, p.name, i.quantity, i.unit_price_cents
               FROM orders o
               LEFT JOIN order_items i ON i.order_id = o.id
               LEFT JOIN products p ON p.id = i.product_id
               WHERE o.id = %s AND o.customer_id = %s
               ORDER BY i.product_id""",
            (id_, customer_id),
        )
        rows = await cur.fetchall()
    if not rows:
        raise not_found("The order does not exist.")
    items = [_item(*row[4:]) for row in rows if row[4] is not None]
    return JSONResponse({**_order(*rows[0][:4]), "items": items})


@router.post("/orders/{order_id}/cancel")
async def cancel_order(pool: Pool, customer_id: Customer, order_id: str) -> JSONResponse:
    id_ = parse_id(order_id)

    async def cancel(conn: AsyncConnection) -> dict[str, Any]:
        # The status guard makes a second (or concurrent) cancellation update nothing.
        cur = await conn.execute(
            """UPDATE orders SET status = 'cancelled'
               WHERE id = %s AND customer_id = %s AND status = 'pending'
               RETURNING id, status, total_cents, created_at""",
            (id_, customer_id),
        )
        row = await cur.fetchone()
        if row is None:
            cur = await conn.execute("SELECT 1 FROM orders WHERE id = %s AND customer_id = %s", (id_, customer_id))
            if await cur.fetchone() is None:
                raise not_found("The order does not exist.")
            raise conflict("Only a pending order can be cancelled.")
        cur = await conn.execute(
            """UPDATE products p SET stock = p.stock + i.quantity
               FROM order_items i
               WHERE i.order_id = %s AND p.id = i.product_id
               RETURNING i.product_id, p.sku, p.name, i.quantity, i.unit_price_cents""",
            (id_,),
        )
        items = sorted(await cur.fetchall())
        return {**_order(*row), "items": [_item(*t) for t in items]}

    return JSONResponse(await in_transaction(pool, cancel))


@router.get("/customers/me/summary")
async def summary(pool: Pool, customer_id: Customer) -> JSONResponse:
    async with pool.connection() as conn:
        cur = await conn.execute(
            """SELECT count(*),
                      coalesce(sum(total_cents) FILTER (WHERE status IN ('paid', 'shipped')), 0),
                      max(created_at)
               FROM orders WHERE customer_id = %s""",
            (customer_id,),
        )
        row = await cur.fetchone()
    assert row is not None
    order_count, spent, last = row
    return JSONResponse(
        {"order_count": order_count, "total_spent_cents": int(spent), "last_order_at": iso(last) if last else None}
    )
