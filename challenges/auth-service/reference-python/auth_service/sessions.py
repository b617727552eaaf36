"""Sessions: one refresh-token family per login (RFC 9700 section 4.14, refresh token rotation). Every refresh
marks the presented token used and issues the next one of the family; presenting a used token again is a
replay, which revokes the whole family. A revoked family's access tokens are refused until they expire (a
Redis key with the access tokens' lifetime)."""
import logging
import uuid
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from .cache import redis, revoked_session_key
from .problems import unauthorized
from .tokens import ACCESS_TTL_S, digest, random_token, sign_access_token

log = logging.getLogger("auth_service")


async def _issue_refresh(conn: AsyncConnection, user_id: int, family_id: str) -> str:
    token = random_token()
    await conn.execute(
        """INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
           VALUES (%s, %s, %s, now() + interval '30 days')""",
        (user_id, family_id, digest(token)),
    )
    return token


def _tokens(user_id: int, role: str, family_id: str, refresh_token: str) -> dict[str, Any]:
    return {
        "access_token": sign_access_token(user_id, role, family_id),
        "token_type": "Bearer",
        "expires_in": ACCESS_TTL_S,
        "refresh_token": refresh_token,
    }


async def start_session(pool: AsyncConnectionPool, user_id: int, role: str) -> dict[str, Any]:
    family_id = str(uuid.uuid4())
    async with pool.connection() as conn:
        refresh = await _issue_refresh(conn, user_id, family_id)
    return _tokens(user_id, role, family_id, refresh)


async def _mark_revoked(family_ids: list[str]) -> None:
    if not family_ids:
        return
    async with redis.pipeline(transaction=True) as p:
        for f in family_ids:
            p.set(revoked_session_key(f), "1", ex=ACCESS_TTL_S)
        await p.execute()


async def revoke_family(pool: AsyncConnectionPool, family_id: str) -> None:
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = %s AND revoked_at IS NULL", (family_id,)
        )
    await _mark_revoked([family_id])


async def revoke_all_of(pool: AsyncConnectionPool, user_id: int) -> None:
    async with pool.connection() as conn:
        cur = await conn.execute(
            """UPDATE refresh_tokens SET revoked_at = now()
                WHERE user_id = %s AND revoked_at IS NULL AND expires_at > now()
                RETURNING family_id""",
            (user_id,),
        )
        rows = await cur.fetchall()
    await _mark_revoked(sorted({str(r[0]) for r in rows}))


async def rotate(pool: AsyncConnectionPool, refresh_token: str) -> dict[str, Any]:
    """The next tokens of the presented refresh token's family, or 401 (unknown, expired, revoked, or
    replayed: then the family is revoked too)."""
    replayed: str | None = None
    body: dict[str, Any] | None = None
    async with pool.connection() as conn, conn.transaction():
        cur = await conn.execute(
            """SELECT t.id, t.user_id, t.family_id, t.used_at, t.revoked_at, t.expires_at < now(), u.role
                 FROM refresh_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = %s
                FOR UPDATE OF t""",
            (digest(refresh_token),),
        )
        row = await cur.fetchone()
        if row is not None:
            token_id, user_id, family, used_at, revoked_at, expired, role = row
            family_id = str(family)
            if revoked_at is None and not expired:
                if used_at is not None:
                    await conn.execute(
                        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = %s AND revoked_at IS NULL",
                        (family_id,),
                    )
                    replayed = family_id
                else:
                    await conn.execute("UPDATE refresh_tokens SET used_at = now() WHERE id = %s", (token_id,))
                    nxt = await _issue_refresh(conn, user_id, family_id)
                    body = _tokens(user_id, role, family_id, nxt)
    if replayed:
        await _mark_revoked([replayed])
        log.warning("refresh token replayed: session %s revoked", replayed)
    if body is None:
        raise unauthorized("The refresh token is not valid.")
    return body
