"""Starts the service on 0.0.0.0:$PORT (the Procfile's `web:` process): waits for the database, creates the
indexes, then serves with one uvicorn worker (the pod gives the service one CPU; password hashing runs in
threads, outside the event loop)."""
import os

import uvicorn

from .db import ensure_indexes


def main() -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "JWT_SECRET"):
        if not os.environ.get(name):
            raise SystemExit(f"{name} is not set")
    ensure_indexes(os.environ["DATABASE_URL"])
    uvicorn.run(
        "auth_service.app:asgi",
        host="0.0.0.0",
        port=int(os.environ.get("PORT", "8080")),
        loop="uvloop",
        http="httptools",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    main()
