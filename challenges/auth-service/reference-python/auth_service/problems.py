"""Problem details (RFC 9457): every error answer is application/problem+json with type, title, status and
a detail written here, never an exception's message, a stack trace or SQL."""
import json
from http import HTTPStatus

from starlette.responses import Response


class Problem(Exception):
    """An error answer: its HTTP status, a human-readable detail, extra headers and a problem type."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
        type_: str = "about:blank",
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.type = type_


def unauthorized(detail: str = "A valid bearer token is required.") -> Problem:
    return Problem(401, detail, {"WWW-Authenticate": 'Bearer error="invalid_token"'})


def forbidden(detail: str = "You may not do this.") -> Problem:
    return Problem(403, detail)


def not_found(detail: str = "The resource does not exist.") -> Problem:
    return Problem(404, detail)


def conflict(detail: str) -> Problem:
    return Problem(409, detail)


def invalid(detail: str) -> Problem:
    return Problem(422, detail)


def problem_response(
    status: int, detail: str | None = None, headers: dict[str, str] | None = None, type_: str = "about:blank"
) -> Response:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, object] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return Response(json.dumps(body), status_code=status, headers=headers, media_type="application/problem+json")
