"""Problem details (RFC 9457): every error is application/problem+json with type, title, status and a
detail written here, never an exception's message, a stack trace or SQL."""
import logging
from collections.abc import Sequence
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match, Route

log = logging.getLogger("orders_api")


class Problem(Exception):
    """An error answer: its HTTP status, a human-readable detail and extra headers."""

    def __init__(self, status: int, detail: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def not_found(detail: str = "The resource does not exist.") -> Problem:
    return Problem(404, detail)


def invalid(detail: str) -> Problem:
    return Problem(422, detail)


def conflict(detail: str) -> Problem:
    return Problem(409, detail)


def unauthorized() -> Problem:
    return Problem(401, "A valid bearer token is required.", {"WWW-Authenticate": "Bearer"})


def problem_response(status: int, detail: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, headers=headers, media_type="application/problem+json")


def _validation_detail(exc: RequestValidationError) -> tuple[int, str]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "The request body is not valid JSON."
    first = errors[0] if errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "query"))
    return 422, f"{where or 'input'}: {first.get('msg', 'invalid')}."


def allowed_methods(routes: Sequence[BaseRoute], request: Request) -> list[str]:
    """Every method of every route on the request's path (Starlette's 405 names only the first route's),
    HEAD included where GET is (RFC 9110 section 9.3.2)."""
    methods: set[str] = set()
    for route in routes:
        if isinstance(route, Route) and route.methods and route.matches(request.scope)[0] != Match.NONE:
            methods |= route.methods
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def install(app: FastAPI, routes: Sequence[BaseRoute]) -> None:
    """Makes every error of `app` a problem: ours, routing's (404, and 405 with the Allow of `routes`),
    validation's, and any other exception as a bare 500 (logged)."""

    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.detail, exc.headers)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 405:
            allow = ", ".join(allowed_methods(routes, request))
            return problem_response(405, f"{request.method} is not allowed on this resource.", {"Allow": allow})
        return problem_response(exc.status_code, "No such endpoint." if exc.status_code == 404 else None, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(*_validation_detail(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return problem_response(500, "The request could not be completed.")
