"""Starts the service on 0.0.0.0:$PORT (the Procfile's `web:` process)."""
import os

import uvicorn


def main() -> None:
    uvicorn.run(
        "orders_api.app:app",
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
