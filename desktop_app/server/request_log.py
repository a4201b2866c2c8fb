"""Requests that went wrong, in the server's log, with the request they belong to.

An administrator reading the log after "my sync fails with 401" needs the method, the
path and the status, nothing more: never a header (the ``authorization`` signature),
a query string or a body (keys travel in none of the logged fields).  Server errors
(5xx) are logged at ERROR, refused credentials or rights (401/403) at WARNING; other
refusals (404, 409 of a stale edit...) are ordinary traffic and appear only in the
access log (``workstation server --access-log``).
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

#: Statuses logged below 500: the ones an administrator is asked about.
AUTH_STATUSES = frozenset({401, 403, 407})


class RequestErrorLog:
    """ASGI middleware: one log line per failed request (``STATUS METHOD PATH (ms)``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            code = status[0]
            if code >= 500 or code in AUTH_STATUSES:
                took = (time.perf_counter() - started) * 1000
                level = logging.ERROR if code >= 500 else logging.WARNING
                method, path = scope.get("method", "?"), scope.get("path", "?")
                log.log(level, "%s %s %s (%.0f ms)", code, method, path, took)
