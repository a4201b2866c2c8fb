"""``Content-MD5``: when a request sends one, its body must match it.

The Cytomine signature covers the ``Content-MD5`` header, not the body; only this
check ties a signed request to the bytes it carried, so a captured signature cannot
create an object with another body.  A plain ASGI middleware: the digest is computed
as the body streams in, and a mismatch is detected when its last chunk arrives, that
is before any route has the whole body (JSON is read before the database session
opens; uploads are checked before their rows are written).  A mismatch is a 400.

The header may be base64 (RFC 1864, what Cytomine clients send) or hex.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyMismatch(Exception):
    pass


def parse_md5(value: str) -> bytes | None:
    """The 16-byte digest a ``Content-MD5`` header states, ``None`` if unreadable."""
    value = value.strip()
    if len(value) == 32:
        try:
            return bytes.fromhex(value)
        except ValueError:
            return None
    try:
        digest = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return digest if len(digest) == 16 else None


class ContentMD5Middleware:
    """Refuse a request whose body does not hash to its ``Content-MD5`` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        stated: bytes | None = None
        for name, value in scope.get("headers") or ():
            if name == b"content-md5":
                stated = parse_md5(value.decode("latin-1"))
                if stated is None:
                    await _send_400(send, "Unreadable Content-MD5 header")
                    return
        if stated is None:
            await self.app(scope, receive, send)
            return
        digest = hashlib.md5(usedforsecurity=False)
        started = False

        async def checked_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                digest.update(message.get("body", b""))
                if not message.get("more_body", False) and digest.digest() != stated:
                    raise BodyMismatch
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, checked_receive, tracking_send)
        except BodyMismatch:
            if not started:
                await _send_400(send, "The body does not match its Content-MD5 header")


async def _send_400(send: Send, message: str) -> None:
    raw = json.dumps({"success": False, "errors": message, "errorValues": None}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})
