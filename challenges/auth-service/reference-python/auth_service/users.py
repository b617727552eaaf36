"""User administration: the list and role changes are for administrators (OWASP API5:2023); a user may read
only their own record (API1:2023), another's is "not found"."""
import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .problems import forbidden, invalid, not_found
from .request import authenticate, body, require_admin
from .users_json import to_user

ID = re.compile(r"^[1-9][0-9]{0,17}$")
MAX_SAFE_INTEGER = 2**53 - 1


def _user_id(raw: str) -> int:
    if not ID.match(raw):
        raise not_found("The user does not exist.")
    return int(raw)


def _int_param(raw: str | None, name: str, low: int, high: int, default: int) -> int:
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]{1,18}", raw):
        raise invalid(f"{name} must be an integer.")
    n = int(raw)
    if n < low or n > high:
        raise invalid(f"{name} must be between {low} and {high}.")
    return n


async def list_users(request: Request) -> Response:
    require_admin(await authenticate(request))
    limit = _int_param(request.query_params.get("limit"), "limit", 1, 100, 20)
    after = _int_param(request.query_params.get("after"), "after", 0, MAX_SAFE_INTEGER, 0)
    async with request.app.state.pool.connection() as conn:
        cur = await conn.execute(
            "SELECT id, email, role, created_at FROM users WHERE id > %s ORDER BY id LIMIT %s", (after, limit)
        )
        items = [to_user(r) for r in await cur.fetchall()]
    return JSONResponse({"items": items, "next_after": items[-1]["id"] if len(items) == limit else None})


async def get_user(request: Request) -> Response:
    auth = await authenticate(request)
    user_id = _user_id(request.path_params["id"])
    if auth.role != "admin" and auth.user_id != user_id:
        raise not_found("The user does not exist.")
    async with request.app.state.pool.connection() as conn:
        cur = await conn.execute("SELECT id, email, role, created_at FROM users WHERE id = %s", (user_id,))
        row = await cur.fetchone()
    if row is None:
        raise not_found("The user does not exist.")
    return JSONResponse(to_user(row))


async def update_user(request: Request) -> Response:
    auth = await authenticate(request)
    b = await body(request)
    if auth.role != "admin":
        raise forbidden("Only administrators may change roles.")
    user_id = _user_id(request.path_params["id"])
    role = b.get("role")
    if role not in ("user", "admin"):
        raise invalid("role must be 'user' or 'admin'.")
    async with request.app.state.pool.connection() as conn:
        cur = await conn.execute(
            "UPDATE users SET role = %s WHERE id = %s RETURNING id, email, role, created_at", (role, user_id)
        )
        row = await cur.fetchone()
    if row is None:
        raise not_found("The user does not exist.")
    return JSONResponse(to_user(row))
