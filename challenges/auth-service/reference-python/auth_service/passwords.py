"""Password hashing with argon2id at the OWASP Password Storage Cheat Sheet's parameters (m = 19 MiB, t = 2,
p = 1), and the password policy of NIST SP 800-63B section 5.1.1.2: at least 8 characters, at most 128, not in
the breached-password list, no composition rules. Hashing runs in a worker thread (argon2-cffi releases the
GIL), so the event loop keeps serving."""
import secrets
from pathlib import Path

import anyio.to_thread
from argon2 import PasswordHasher, Type
from argon2.exceptions import Argon2Error, InvalidHashError

from .problems import invalid

HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, type=Type.ID)

BREACHED = frozenset(
    line.strip().lower()
    for line in (Path(__file__).resolve().parent.parent / "data" / "breached-passwords.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
)


def check_policy(password: object, field: str = "password") -> str:
    """The password when it follows the policy; a 422 problem otherwise."""
    if not isinstance(password, str):
        raise invalid(f"{field} must be a string.")
    if len(password) < 8:
        raise invalid(f"{field} must be at least 8 characters long.")
    if len(password) > 128:
        raise invalid(f"{field} must be at most 128 characters long.")
    if password.lower() in BREACHED:
        raise invalid(f"{field} is in a list of breached passwords.")
    return password


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(HASHER.hash, password)


def _verify(hash_: str, password: str) -> bool:
    try:
        return HASHER.verify(hash_, password)
    except (Argon2Error, InvalidHashError):
        return False


async def verify_password(hash_: str, password: str) -> bool:
    return await anyio.to_thread.run_sync(_verify, hash_, password)


# A hash of a random secret: verified against when the e-mail is unknown, so that a login costs the same
# whether or not the account exists.
DUMMY_HASH = HASHER.hash(secrets.token_hex(16))


async def verify_against_nothing(password: str) -> bool:
    await verify_password(DUMMY_HASH, password)
    return False
