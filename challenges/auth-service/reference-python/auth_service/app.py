"""The ASGI application: routes (a known path with another method answers 405 with Allow), problem+json for
every error, the headers every answer carries, and the database pool opened at start-up."""
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import account, auth, users
from .cache import redis
from .db import create_pool
from .problems import Problem, problem_response

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
logging.getLogger("psycopg.pool").setLevel(logging.WARNING)
log = logging.getLogger("auth_service")

Handler = Callable[[Request], Awaitable[Response]]


async def health(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


# path -> method -> handler
ROUTES: dict[str, dict[str, Handler]] = {
    "/health": {"GET": health},
    "/register": {"POST": auth.register},
    "/login": {"POST": auth.login},
    "/token/refresh": {"POST": auth.refresh},
    "/logout": {"POST": auth.logout},
    "/logout-all": {"POST": auth.logout_all},
    "/me": {"GET": account.me},
    "/me/password": {"POST": account.change_password},
    "/password-reset": {"POST": account.request_reset},
    "/password-reset/confirm": {"POST": account.confirm_reset},
    "/users": {"GET": users.list_users},
    "/users/{id}": {"GET": users.get_user, "PATCH": users.update_user},
}
ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"]


def endpoint(methods: dict[str, Handler]) -> Handler:
    """One handler for every method of a path: the path's own, HEAD as GET, OPTIONS 204 and others 405,
    both with Allow."""
    allow = ", ".join(m for name in methods for m in ((name, "HEAD") if name == "GET" else (name,)))

    async def dispatch(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        handler = methods.get(method)
        if handler is not None:
            return await handler(request)
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": allow})
        return problem_response(405, f"{request.method} is not allowed on this resource.", {"Allow": allow})

    return dispatch


async def on_problem(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return problem_response(exc.status, exc.detail, exc.headers, exc.type)


async def on_http(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return problem_response(exc.status_code, "No such endpoint." if exc.status_code == 404 else None)


async def on_unexpected(request: Request, exc: Exception) -> Response:
    # Never the body: it may hold a password or a token.
    log.error("%s %s failed: %s", request.method, request.url.path, type(exc).__name__)
    return problem_response(500, "The request could not be completed.")


class SecurityHeaders:
    """Adds X-Content-Type-Options: nosniff and Cache-Control: no-store to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-content-type-options", b"nosniff"),
                    (b"cache-control", b"no-store"),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Opens the pool (waiting up to 45 s for its connections); closes it and Redis at exit."""
    pool = create_pool(os.environ["DATABASE_URL"])
    await pool.open(wait=True, timeout=45)
    app.state.pool = pool
    log.info("auth-service listening")
    try:
        yield
    finally:
        await pool.close()
        await redis.aclose()


app = Starlette(
    routes=[Route(path, endpoint(methods), methods=ANY_METHOD) for path, methods in ROUTES.items()],
    exception_handlers={Problem: on_problem, HTTPException: on_http, Exception: on_unexpected},
    lifespan=lifespan,
)
app.router.redirect_slashes = False
asgi = SecurityHeaders(app)
