"""Registration, login, refresh, logout."""
import logging
import re

from psycopg.errors import UniqueViolation
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .passwords import check_policy, hash_password, verify_against_nothing, verify_password
from .problems import Problem, conflict, invalid
from .rate_limit import assert_not_throttled, clear_account, record_failure
from .request import authenticate, body, client_ip, string_field
from .sessions import revoke_all_of, revoke_family, rotate, start_session
from .users_json import to_user

log = logging.getLogger("auth_service")
EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def invalid_credentials() -> Problem:
    """One answer for every failed login, whether the e-mail is unknown or the password wrong."""
    return Problem(
        401, "The e-mail or password is not correct.", type_="https://auth.example/problems/invalid-credentials"
    )


async def register(request: Request) -> Response:
    b = await body(request)
    email = string_field(b, "email", 254).strip()
    if not EMAIL.match(email):
        raise invalid("email must be an e-mail address.")
    password = check_policy(b.get("password"))
    hash_ = await hash_password(password)
    try:
        async with request.app.state.pool.connection() as conn:
            cur = await conn.execute(
                "INSERT INTO users (email, password_hash) VALUES (%s, %s) RETURNING id, email, role, created_at",
                (email, hash_),
            )
            user = to_user(await cur.fetchone())
    except UniqueViolation:
        raise conflict("An account with this e-mail already exists.") from None
    log.info("user %s registered", user["id"])
    return JSONResponse(user, status_code=201, headers={"Location": f"/users/{user['id']}"})


async def login(request: Request) -> Response:
    b = await body(request)
    email = normalize_email(string_field(b, "email", 254))
    password = string_field(b, "password", 1024)
    ip = client_ip(request)
    await assert_not_throttled(email, ip)
    pool = request.app.state.pool
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT id, role, password_hash FROM users WHERE lower(email) = %s", (email,))
        user = await cur.fetchone()
    ok = await verify_password(user[2], password) if user else await verify_against_nothing(password)
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO login_audit (user_id, email, success, client_ip) VALUES (%s, %s, %s, %s)",
            (user[0] if user else None, email, ok, ip),
        )
    if not ok or user is None:
        await record_failure(email, ip)
        raise invalid_credentials()
    await clear_account(email)
    log.info("user %s logged in from %s", user[0], ip)
    return JSONResponse(await start_session(pool, int(user[0]), user[1]))


async def refresh(request: Request) -> Response:
    token = string_field(await body(request), "refresh_token")
    return JSONResponse(await rotate(request.app.state.pool, token))


async def logout(request: Request) -> Response:
    auth = await authenticate(request)
    await revoke_family(request.app.state.pool, auth.session_id)
    return Response(status_code=204)


async def logout_all(request: Request) -> Response:
    auth = await authenticate(request)
    await revoke_all_of(request.app.state.pool, auth.user_id)
    await revoke_family(request.app.state.pool, auth.session_id)
    return Response(status_code=204)
