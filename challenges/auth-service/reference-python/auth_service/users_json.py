"""The user as the API shows it: never its password hash."""
from datetime import datetime, timezone
from typing import Any


def iso(ts: datetime) -> str:
    """A timestamp as ISO 8601 in UTC with milliseconds, `2026-12-06T03:23:27.123Z`."""
    return ts.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_user(row: tuple[Any, ...]) -> dict[str, Any]:
    """A `(id, email, role, created_at)` row as a user."""
    return {"id": int(row[0]), "email": row[1], "role": row[2], "created_at": iso(row[3])}
