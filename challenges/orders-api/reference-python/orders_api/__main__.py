"""Starts the service on 0.0.0.0:$PORT (the Procfile's `web:` process): creates the indexes once, then
serves with two uvicorn worker processes (each with its own event loop and pool), so that one worker's
Python time overlaps the other's waits on the database."""
import os

import uvicorn

from .db import ensure_indexes

WORKERS = 2


def main() -> None:
    ensure_indexes(os.environ["DATABASE_URL"])
    uvicorn.run(
        "orders_api.app:app",
        host="0.0.0.0",
        port=int(os.environ.get("PORT", "8080")),
        workers=WORKERS,
        loop="uvloop",
        http="httptools",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    main()
