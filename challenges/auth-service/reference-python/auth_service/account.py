"""The caller's own account: profile, password change, password reset (OWASP Forgot Password Cheat Sheet:
the same answer whether or not the e-mail is registered; a random single-use token that expires after 30
minutes, stored as a digest; the "e-mail" is a row of the outbox table)."""
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .auth import normalize_email
from .passwords import check_policy, hash_password, verify_password
from .problems import Problem, not_found
from .request import authenticate, body, string_field
from .sessions import revoke_all_of
from .tokens import digest, random_token
from .users_json import to_user

log = logging.getLogger("auth_service")


async def me(request: Request) -> Response:
    auth = await authenticate(request)
    async with request.app.state.pool.connection() as conn:
        cur = await conn.execute("SELECT id, email, role, created_at FROM users WHERE id = %s", (auth.user_id,))
        row = await cur.fetchone()
    if row is None:
        raise not_found("The account no longer exists.")
    return JSONResponse(to_user(row))


async def change_password(request: Request) -> Response:
    auth = await authenticate(request)
    b = await body(request)
    current = string_field(b, "current_password")
    new = check_policy(b.get("new_password"), "new_password")
    pool = request.app.state.pool
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT password_hash FROM users WHERE id = %s", (auth.user_id,))
        row = await cur.fetchone()
    if row is None or not await verify_password(row[0], current):
        raise Problem(403, "The current password is not correct.")
    hash_ = await hash_password(new)
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE users SET password_hash = %s, password_changed_at = now() WHERE id = %s", (hash_, auth.user_id)
        )
    log.info("user %s changed their password", auth.user_id)
    return Response(status_code=204)


async def request_reset(request: Request) -> Response:
    email = normalize_email(string_field(await body(request), "email", 254))
    pool = request.app.state.pool
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT id, email FROM users WHERE lower(email) = %s", (email,))
        row = await cur.fetchone()
        if row is not None:
            token = random_token()
            async with conn.transaction():
                await conn.execute(
                    """INSERT INTO password_resets (user_id, token_hash, expires_at)
                       VALUES (%s, %s, now() + interval '30 minutes')""",
                    (row[0], digest(token)),
                )
                await conn.execute(
                    """INSERT INTO outbox (recipient, template, payload)
                       VALUES (%s, 'password_reset', jsonb_build_object('token', %s::text))""",
                    (row[1], token),
                )
    return JSONResponse({"status": "accepted"}, status_code=202)


async def confirm_reset(request: Request) -> Response:
    b = await body(request)
    token = string_field(b, "token")
    new = check_policy(b.get("new_password"), "new_password")
    hash_ = await hash_password(new)
    pool = request.app.state.pool
    user_id = None
    async with pool.connection() as conn, conn.transaction():
        cur = await conn.execute(
            """UPDATE password_resets SET used_at = now()
                WHERE token_hash = %s AND used_at IS NULL AND expires_at > now()
                RETURNING user_id""",
            (digest(token),),
        )
        row = await cur.fetchone()
        if row is not None:
            user_id = int(row[0])
            await conn.execute(
                "UPDATE users SET password_hash = %s, password_changed_at = now() WHERE id = %s", (hash_, user_id)
            )
    if user_id is None:
        raise Problem(400, "The reset token is not valid or has expired.")
    await revoke_all_of(pool, user_id)
    log.info("user %s reset their password", user_id)
    return Response(status_code=204)
