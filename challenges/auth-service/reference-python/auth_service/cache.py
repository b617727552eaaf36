"""Redis: the process's client (login throttling, revoked sessions)."""
import os

from redis.asyncio import Redis

redis: Redis = Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379"), decode_responses=True)


def revoked_session_key(sid: str) -> str:
    return f"revoked-session:{sid}"
