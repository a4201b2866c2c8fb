"""Errors as Cytomine shapes them, so clients that read ``errors`` keep working.

Every refusal the server makes is an :class:`ApiError`; the handlers below turn it,
FastAPI's validation errors and anything unexpected into ``{"success": false,
"errors": "..."}`` with the right status (cytomine-api.md section 7).  Unexpected
exceptions are logged without request headers, so no signature ever reaches a log.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic_core import ErrorDetails
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from desktop_app.protocol.cytomine.fields import ERROR_TYPE

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A refusal with an HTTP status and a human message; ``extra`` is merged in the body."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(kind: str, ident: object) -> ApiError:
    return ApiError(404, f"{kind} not found with filters : {{id={ident}}}")


def forbidden(message: str = "You do not have the right to do this") -> ApiError:
    return ApiError(403, message)


def conflict(message: str, **extra: Any) -> ApiError:
    return ApiError(409, message, **extra)


def error_body(message: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"success": False, "errors": message, "errorValues": None}
    body.update(extra)
    return body


def error_message(err: ErrorDetails) -> str:
    """One validation error as a 400's text: a ``cytomine`` field error is its own message
    ("project must be an integer"), a missing field "<name> is required", any other
    "<where>: <what>"."""
    loc = [str(p) for p in err["loc"]]
    if err["type"] == ERROR_TYPE:
        return err["msg"]
    if err["type"] == "missing" and loc:
        return f"{loc[-1]} is required"
    return f"{'.'.join(loc) or 'body'}: {err['msg']}"


def _is_range_error(exc: DataError) -> bool:
    """PostgreSQL's "out of range" (SQLSTATE 22003) for a bound parameter."""
    return getattr(exc.orig, "sqlstate", None) == "22003" or "out of range" in str(exc.orig)


def install_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the one JSON shape."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.message, **exc.extra), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [error_message(err) for err in exc.errors()[:5]]
        return JSONResponse(error_body("; ".join(parts) or "invalid request"), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(error_body(str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
        # An id or number beyond what the database column holds (path ids are unbounded
        # ints for FastAPI): the client's input is wrong, not the server.
        if isinstance(exc, DataError) and not _is_range_error(exc):
            return await _unexpected(request, exc)
        return JSONResponse(error_body("A number in the request is out of range"), status_code=400)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body("internal server error"), status_code=500)
