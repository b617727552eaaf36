"""Reading requests: bearer authentication, path ids, list limits and opaque cursors."""
import base64
import binascii
import hashlib
import json
import re
from typing import Annotated

from fastapi import Depends, Header, Query
from psycopg_pool import AsyncConnectionPool

from .db import pool_of
from .problems import invalid, not_found, unauthorized

MAX_BIGINT = 2**63 - 1
_BEARER = re.compile(r"Bearer +([\x21-\x7e]+) *", re.IGNORECASE)
_ID = re.compile(r"[0-9]{1,19}")
_CURSOR = re.compile(r"[A-Za-z0-9_-]{1,200}")


async def current_customer(
    pool: Annotated[AsyncConnectionPool, Depends(pool_of)],
    authorization: Annotated[str | None, Header()] = None,
) -> int:
    """FastAPI dependency: the caller's customer id from `Authorization: Bearer <token>`, or 401."""
    match = _BEARER.fullmatch(authorization or "")
    if not match:
        raise unauthorized()
    digest = hashlib.sha256(match.group(1).encode()).hexdigest()
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT customer_id FROM api_tokens WHERE token_sha256 = %s", (digest,))
        row = await cur.fetchone()
    if row is None:
        raise unauthorized()
    return int(row[0])


Customer = Annotated[int, Depends(current_customer)]

Limit = Annotated[int, Query(ge=1, le=100)]


def parse_id(raw: str) -> int:
    """A path id is a positive bigint in decimal; anything else names no resource (404)."""
    if not _ID.fullmatch(raw):
        raise not_found()
    value = int(raw)
    if value < 1 or value > MAX_BIGINT:
        raise not_found()
    return value


def encode_cursor(key: list[int]) -> str:
    """The opaque cursor of a sort key: base64url (unpadded) JSON of a list of integers."""
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).rstrip(b"=").decode()


def decode_cursor(raw: str | None, length: int) -> list[int] | None:
    """The sort key of a cursor this API returned, or 422."""
    if raw is None:
        return None
    try:
        if not _CURSOR.fullmatch(raw):
            raise ValueError
        key = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid("cursor is not a cursor returned by this API.") from None
    if (
        not isinstance(key, list)
        or len(key) != length
        or not all(type(k) is int and -MAX_BIGINT <= k <= MAX_BIGINT for k in key)
    ):
        raise invalid("cursor is not a cursor returned by this API.")
    return key
