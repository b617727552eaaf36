"""Login throttling in Redis (OWASP Authentication Cheat Sheet, "Login Throttling"): failed logins are
counted per account (the normalized e-mail, known or not) and per client address in fixed 15-minute windows
that expire on their own. 5 failures lock the account's logins, 20 the client's, until the window ends: a 429
with Retry-After. A successful login clears the account's count."""
import hashlib

from .cache import redis
from .problems import Problem

WINDOW_S = 900
ACCOUNT_LIMIT = 5
CLIENT_LIMIT = 20


def _account_key(email: str) -> str:
    return "login-fail:acct:" + hashlib.sha256(email.encode("utf-8")).hexdigest()


def _client_key(ip: str) -> str:
    return f"login-fail:ip:{ip}"


async def assert_not_throttled(email: str, ip: str) -> None:
    async with redis.pipeline(transaction=True) as p:
        p.get(_account_key(email)).get(_client_key(ip)).ttl(_account_key(email)).ttl(_client_key(ip))
        a, c, ta, tc = await p.execute()
    blocked = []
    if int(a or 0) >= ACCOUNT_LIMIT:
        blocked.append(ta)
    if int(c or 0) >= CLIENT_LIMIT:
        blocked.append(tc)
    if blocked:
        retry_after = max(1, *(t if t > 0 else WINDOW_S for t in blocked))
        raise Problem(429, "Too many failed logins; try again later.", {"Retry-After": str(retry_after)})


async def record_failure(email: str, ip: str) -> None:
    async with redis.pipeline(transaction=True) as p:
        p.incr(_account_key(email)).expire(_account_key(email), WINDOW_S, nx=True)
        p.incr(_client_key(ip)).expire(_client_key(ip), WINDOW_S, nx=True)
        await p.execute()


async def clear_account(email: str) -> None:
    await redis.delete(_account_key(email))
