"""HTTP to a Cytomine-compatible server: HMAC signing, timeouts and typed errors.

The engine must tell apart "the network is gone" (retry later, nothing is lost),
"the keys are wrong" (stop, ask the user), "the server is sick" (retry later) and
"the server refused this request" (surface it).  Every failure is therefore one of
the exception classes below, and none of their messages ever contains a key, a
signature or an ``Authorization`` header: messages are built from the method, the
path and the server's error text only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from email.utils import formatdate
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, TypeAdapter, ValidationError

from desktop_app.protocol.cytomine.answer_base import (
    LIST_PAGE,
    AnswerError,
    parse,
    unexpected,
)
from desktop_app.protocol.cytomine.answers_project import (
    CURRENT_USER,
    PING,
    PingJson,
)

__all__ = [
    "AuthError",
    "ClientError",
    "CytomineClient",
    "MalformedResponse",
    "Offline",
    "ServerError",
    "SyncHttpError",
    "parse_answer",
    "parse_as",
]

_M = TypeVar("_M", bound=BaseModel)
_T = TypeVar("_T")


class SyncHttpError(Exception):
    """Base of every error the client raises; ``status`` is the HTTP status if any."""

    def __init__(self, message: str, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class Offline(SyncHttpError):
    """No answer: connection refused or dropped, DNS failure, timeout.

    ``maybe_applied`` is True when the request may have reached the server (the
    connection broke after sending): the caller must reconcile before assuming failure.
    """

    def __init__(self, message: str, *, maybe_applied: bool) -> None:
        super().__init__(message)
        self.maybe_applied = maybe_applied


class AuthError(SyncHttpError):
    """401, or 403 on the identity check: the keys are wrong, disabled or lack rights."""


class ServerError(SyncHttpError):
    """5xx or 429: the server could not answer now; retry later with the same request."""


class ClientError(SyncHttpError):
    """Another 4xx: the server refused this request; ``body`` holds its JSON error."""


class MalformedResponse(SyncHttpError):
    """The server answered something that is not the JSON we expect (a proxy page, ...)."""


def sign(private_key: str, string_to_sign: str) -> str:
    """base64(HMAC-SHA1(private key, string)), as the official Cytomine clients compute it."""
    digest = hmac.new(private_key.encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


#: What to tell the user when the server's certificate is not trusted (nothing was sent).
UNTRUSTED_TLS = (
    "the server's TLS certificate is not trusted; if it uses a private CA, point "
    "REQUESTS_CA_BUNDLE at the CA's PEM file"
)


def content_md5(body: bytes) -> str:
    """``Content-MD5`` of a body as RFC 1864 writes it (base64 of the 16-byte digest)."""
    return base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode("ascii")


class CytomineAuth(requests.auth.AuthBase):
    """Signs every request with the layout that covers the path and the body.

    String to sign: ``METHOD\nCONTENT-MD5\nCONTENT-TYPE\nDATE\n/path?query`` (the
    Cytomine <= 5.2 layout, which our server and stock Cytomine accept).  An in-memory
    body (JSON, a multipart attachment, none at all) gets its ``Content-MD5``, which
    the server checks against the bytes: a captured signature then only works for
    this route, this body and, on our server, within the allowed clock skew.  A body
    streamed from a file (slide upload) is signed without MD5, as hashing it would
    mean reading the slide twice.
    """

    def __init__(self, public_key: str, private_key: str) -> None:
        self.public_key = public_key
        self._private_key = private_key

    def __repr__(self) -> str:  # never show the private key
        return f"CytomineAuth(public_key={self.public_key!r})"

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        date = formatdate(usegmt=True)
        body = r.body
        md5 = ""
        if body is None or isinstance(body, bytes | str):
            raw = body.encode("utf-8") if isinstance(body, str) else (body or b"")
            md5 = content_md5(raw)
            r.headers["Content-MD5"] = md5
        ctype = r.headers.get("content-type", "")
        token = f"{r.method}\n{md5}\n{ctype}\n{date}\n{r.path_url}"
        r.headers["date"] = date
        r.headers["authorization"] = f"CYTOMINE {self.public_key}:{sign(self._private_key, token)}"
        return r


def parse_answer(model: type[_M], obj: Any, what: str) -> _M:
    """An answer of our sync extensions as its ``desktop_app.protocol`` model; otherwise a
    clear MalformedResponse naming the first field that does not fit, never KeyError."""
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        raise MalformedResponse(unexpected(exc, what)) from exc


def parse_as(adapter: TypeAdapter[_T], obj: Any, what: str) -> _T:
    """A Cytomine answer through its ``desktop_app.protocol.cytomine`` schema; otherwise a
    clear MalformedResponse naming the first field that does not fit."""
    try:
        return parse(adapter, obj, what)
    except AnswerError as exc:
        raise MalformedResponse(str(exc)) from exc


class CytomineClient:
    """A signing client on one ``requests.Session`` (keep-alive across a whole sync).

    ``use_feed=False`` makes the engine behave as against a stock Cytomine (no change
    feed, no batched push), which is how that fallback is tested against our server.
    """

    def __init__(
        self,
        base_url: str,
        public_key: str,
        private_key: str,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        use_feed: bool = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.public_key = public_key
        self.auth = CytomineAuth(public_key, private_key)
        self.timeout = (connect_timeout, timeout)
        self.use_feed = use_feed
        self.session = requests.Session()
        self.user_id: int | None = None  # the server user, once known (current_user)
        self.username: str | None = None
        self.requests_sent = 0
        self.writes_sent = 0

    def __repr__(self) -> str:  # never show the private key
        return f"CytomineClient({self.base_url!r}, public_key={self.public_key!r})"

    def close(self) -> None:
        self.session.close()

    # --- raw request ---------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: dict[str, Any] | None = None,
        auth: bool = True,
    ) -> Any:
        """Send one signed request and return its decoded JSON (``None`` for an empty body)."""
        headers = {"accept": "application/json"}
        data: bytes | None = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers["content-type"] = "application/json"
        where = f"{method} {path}"
        self.requests_sent += 1
        if method != "GET":
            self.writes_sent += 1
        try:
            resp = self.session.request(
                method,
                self.base_url + path,
                data=data,
                params=params,
                headers=headers,
                timeout=self.timeout,
                auth=self.auth if auth else None,
            )
        except requests.exceptions.SSLError:
            raise Offline(f"{where}: {UNTRUSTED_TLS}", maybe_applied=False) from None
        except requests.ConnectionError as exc:
            # A refused/unreachable connection never reached the server; anything else
            # (reset, remote closed mid-answer) may have been applied.
            text = str(exc).lower()
            refused = "refused" in text or "name or service" in text or "resolve" in text
            raise Offline(f"{where}: cannot reach the server", maybe_applied=not refused) from None
        except requests.Timeout:
            raise Offline(
                f"{where}: the server did not answer in time", maybe_applied=True
            ) from None
        except requests.RequestException as exc:
            raise Offline(f"{where}: {type(exc).__name__}", maybe_applied=True) from None
        return self._decode(resp, where)

    @staticmethod
    def _decode(resp: requests.Response, where: str) -> Any:
        status = resp.status_code
        try:
            payload = resp.json() if resp.content else None
            parsed = True
        except ValueError:
            payload, parsed = None, False
        message = ""
        if isinstance(payload, dict):
            message = str(payload.get("errors") or payload.get("message") or "")[:300]
        if status in (401, 407):
            raise AuthError(f"{where}: not authenticated ({status}) {message}".strip(), status)
        if status == 429 or status >= 500:
            raise ServerError(f"{where}: server error {status} {message}".strip(), status)
        if status >= 400:
            raise ClientError(f"{where}: refused ({status}) {message}".strip(), status, payload)
        if not parsed:
            raise MalformedResponse(f"{where}: the server answered {status} with non-JSON")
        return payload

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params or None)

    def post(self, path: str, body: Any = None, **params: Any) -> Any:
        return self.request("POST", path, body, params=params or None)

    def put(self, path: str, body: Any = None) -> Any:
        return self.request("PUT", path, body)

    def delete(self, path: str, **params: Any) -> Any:
        return self.request("DELETE", path, params=params or None)

    # --- identity ------------------------------------------------------------------
    def ping(self) -> PingJson:
        """``GET /server/ping``: the server's identity (no auth), for restore detection."""
        return parse_as(PING, self.request("GET", "/server/ping", auth=False), "ping answer")

    def current_user(self) -> dict[str, Any]:
        """Who the keys belong to (parsed as ``CurrentUserJson``, handed on as the plain
        object the credentials store keeps); a 403 here means the keys are refused."""
        try:
            user = self.get("/api/user/current.json")
        except ClientError as exc:
            if exc.status == 403:
                raise AuthError(str(exc), 403) from None
            raise
        me = parse_as(CURRENT_USER, user, "current user")
        self.user_id = me["id"]
        self.username = me["username"]
        return dict(me)

    def collection(self, path: str, page: int = 5000, **params: Any) -> list[dict[str, Any]]:
        """Every item of a Cytomine list, paged with ``max``/``offset``."""
        out: list[dict[str, Any]] = []
        offset = 0
        while True:
            body = parse_as(LIST_PAGE, self.get(path, max=page, offset=offset, **params), "list")
            items = body["collection"]
            out.extend(i for i in items if isinstance(i, dict))
            offset += len(items)
            if len(items) < page:
                return out

    def collection_as(
        self, adapter: TypeAdapter[list[_T]], path: str, what: str, **params: Any
    ) -> list[_T]:
        """Every item of a Cytomine list, each parsed through its schema (``adapter``:
        a list of them)."""
        return parse_as(adapter, self.collection(path, **params), what)
