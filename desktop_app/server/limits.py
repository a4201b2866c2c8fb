"""Request-size limit as a plain ASGI middleware: 413 before the body is buffered.

It checks ``Content-Length`` up front and also counts streamed (chunked) bodies, so a
client cannot bypass the limit by omitting the header.  Multipart bodies sent to the
upload routes (Cytomine's and SciTran's file uploads) get their own, larger limit
because slides are big; the routes stream those parts to disk.  Every other body, on
any path, is held in memory by ``get_db`` before the caller is known, so it keeps the
small limit: a JSON body to ``/upload`` is not a slide.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_PATHS = ("/upload", "/api/attachedfile", "/api/upload")
#: SciTran's multipart file uploads: ``/api/{containers}/{id}/files`` and an analysis
#: created with its files (``/api/{containers}/{id}/analyses``).
SCITRAN_UPLOADS = re.compile(r"/api/[a-z]+/[^/]+/(files|analyses)/?")


def is_upload(path: str, content_type: bytes | str) -> bool:
    """Whether a request may carry a slide-sized body: multipart to an upload route."""
    ctype = content_type.decode("latin-1") if isinstance(content_type, bytes) else content_type
    if not ctype.lower().lstrip().startswith("multipart/"):
        return False
    return path.startswith(UPLOAD_PATHS) or SCITRAN_UPLOADS.fullmatch(path) is not None


class BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuse bodies over ``max_body`` (``max_upload`` for uploads, ``is_upload``) with 413."""

    def __init__(self, app: ASGIApp, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        headers = dict(scope.get("headers") or [])
        upload = is_upload(path, headers.get(b"content-type", b""))
        limit = self.max_upload if upload else self.max_body
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = False
            if too_big:
                await _send_413(send, limit)
                return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _send_413(send, limit)


async def _send_413(send: Send, limit: int) -> None:
    body: dict[str, Any] = {
        "success": False,
        "errors": f"Request body too large (limit {limit} bytes)",
        "errorValues": None,
    }
    raw = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})
