"""Request helpers: the JSON body, typed fields, the client's address and bearer authentication."""
import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from .cache import redis, revoked_session_key
from .problems import Problem, forbidden, invalid, unauthorized
from .tokens import verify_access_token

MAX_BODY_BYTES = 16 * 1024
BEARER = re.compile(r"^Bearer ([A-Za-z0-9._~+/-]+=*)$")


async def body(request: Request) -> dict[str, Any]:
    """The body as a JSON object: 400 when it is not JSON, 422 when it is JSON but not an object. An empty
    body is an empty object (its fields are then missing: 422)."""
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise Problem(413, "The request body is too large.")
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Problem(400, "The request body is not valid JSON.") from None
    if not isinstance(value, dict):
        raise invalid("The request body must be a JSON object.")
    return value


def string_field(b: dict[str, Any], name: str, max_len: int = 1024) -> str:
    v = b.get(name)
    if not isinstance(v, str) or len(v) == 0 or len(v) > max_len:
        raise invalid(f"{name} must be a non-empty string.")
    return v


def client_ip(request: Request) -> str:
    """The last X-Forwarded-For entry (written by the proxy in front of the service), else the peer's."""
    xff = request.headers.get("x-forwarded-for")
    if xff:
        last = xff.split(",")[-1].strip()
        if last:
            return last[:64]
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True)
class Auth:
    """The caller of an authenticated request."""

    user_id: int
    role: str
    session_id: str


async def authenticate(request: Request) -> Auth:
    """Bearer authentication (RFC 6750): a valid access token whose session was not revoked; 401 otherwise."""
    m = BEARER.match(request.headers.get("authorization", ""))
    if not m:
        raise unauthorized()
    claims = verify_access_token(m.group(1))
    if claims is None or not claims["sub"].isdigit():
        raise unauthorized()
    if await redis.exists(revoked_session_key(claims["sid"])):
        raise unauthorized()
    return Auth(int(claims["sub"]), str(claims.get("role")), claims["sid"])


def require_admin(auth: Auth) -> None:
    if auth.role != "admin":
        raise forbidden("This endpoint is for administrators.")
