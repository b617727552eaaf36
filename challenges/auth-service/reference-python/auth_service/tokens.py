"""Access tokens: JWTs signed with HS256 (RFC 7518 section 3.2) under JWT_SECRET, 15 minutes long, made and
checked by PyJWT with HS256 as the only algorithm (RFC 8725 section 3.1: the header's `alg` never chooses).
Opaque tokens (refresh, reset): 32 random bytes, base64url; stored as their SHA-256 digest."""
import hashlib
import os
import secrets
import time
import uuid
from typing import Any

import jwt

ACCESS_TTL_S = 900
KEY = os.environ.get("JWT_SECRET", "")


def sign_access_token(user_id: int, role: str, session_id: str) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "role": role,
        "sid": session_id,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "exp": now + ACCESS_TTL_S,
    }
    return jwt.encode(claims, KEY, algorithm="HS256", headers={"typ": "JWT"})


def verify_access_token(token: str) -> dict[str, Any] | None:
    """The claims of a valid token, or None: HS256 only, a matching signature, exp present and in the
    future, nbf (if any) not in the future, string sub and sid."""
    try:
        claims = jwt.decode(token, KEY, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    except jwt.InvalidTokenError:
        return None
    if not isinstance(claims.get("sub"), str) or not isinstance(claims.get("sid"), str):
        return None
    return claims


def random_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
