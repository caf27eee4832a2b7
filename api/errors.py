"""The one error shape every route answers with, and the handlers that produce it.

    {"error": {"status": 400, "code": "bad_query", "message": "SPARQL syntax error: ..."}}

`status` repeats the HTTP status, `code` is a stable machine-readable word, `message`
says what is wrong and what to do. 4xx means the client can fix it (400 only for the
client's own bad query or parameter); 5xx means the server could not answer.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from govgraph.errors import QueryError, StoreError

log = logging.getLogger("govgraph.api")


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str


class ErrorResponse(BaseModel):
    """Every error, from every route."""

    error: ErrorBody


class ApiError(Exception):
    """Raised by routes; turned into the error shape with this status."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"status": status, "code": code, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


_HTTP_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
}


def _describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{loc or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) + " — see /docs for the parameters this route takes"


def index_methods(app: FastAPI, routers: list) -> None:
    """Remember which methods each route path serves, for the Allow header of a 405
    (Starlette names only the first matching route's, and /sparql has two)."""
    index = [(route.path_regex, set(route.methods)) for r in routers for route in r.routes
             if getattr(route, "methods", None)]
    index += [(route.path_regex, set(route.methods)) for route in app.router.routes
              if getattr(route, "methods", None) and hasattr(route, "path_regex")]
    app.state.allow_index = index


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for regex, allowed in getattr(request.app.state, "allow_index", []):
        if regex.match(request.url.path):
            methods |= allowed
    return sorted(methods) or ["GET"]


EXPECTED = (ApiError, QueryError, StoreError)


def response_for(exc: ApiError | QueryError | StoreError) -> JSONResponse:
    """The answer to an error a route raises on purpose (or the store raises for it)."""
    if isinstance(exc, ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.headers)
    if isinstance(exc, QueryError):
        return error_response(400, "bad_query", str(exc))
    log.error("store error: %s", exc)
    return error_response(503, "store_unavailable", str(exc), {"Retry-After": "5"})


def install(app: FastAPI) -> None:
    """Route every failure through the one shape."""
    for kind in EXPECTED:
        app.add_exception_handler(kind, lambda _, exc: response_for(exc))

    @app.exception_handler(RequestValidationError)
    def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(400, "bad_parameter", _describe_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 404 and message == "Not Found":
            message = "no such resource — see /docs for the routes this server offers"
        if exc.status_code == 405:
            allowed = _allowed_methods(request)
            headers["Allow"] = ", ".join(allowed)
            message = f"{request.method} is not supported here — use {' or '.join(allowed)}"
        return error_response(exc.status_code, code, message, headers)

    @app.exception_handler(Exception)
    def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        return unexpected()


def unexpected() -> JSONResponse:
    """The answer to a failure nobody meant (logged with its traceback): a bug."""
    log.exception("unexpected error")
    return error_response(500, "internal_error", "the server failed to answer — this is a bug; please report it")


# OpenAPI fragments: which errors a route can answer with.
def responses(*statuses: int) -> dict:
    text = {
        400: "Bad query or parameter",
        403: "Refused (updates are not allowed)",
        404: "Unknown resource",
        406: "No acceptable media type",
        415: "Unsupported request body type",
        503: "Time limit exceeded or store unavailable",
    }
    return {s: {"model": ErrorResponse, "description": text.get(s, "Error")} for s in statuses}
