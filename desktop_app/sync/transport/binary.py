"""Signed binary requests (tiles, file download, multipart upload) for a CytomineClient.

``CytomineClient.request`` speaks JSON only; pixels and files need raw bodies and
streaming, so this module sends them signed by the client's ``CytomineAuth`` (path,
query and ``Content-MD5`` of in-memory bodies covered) and maps failures onto the same
typed errors (``Offline``, ``AuthError``, ``ServerError``, ``ClientError``).  Messages
carry the method, the path and the server's error text only - never a key, a signature
or a header.
"""

from __future__ import annotations

import threading
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from desktop_app.sync.transport.http import (
    UNTRUSTED_TLS,
    AuthError,
    ClientError,
    CytomineClient,
    Offline,
    ServerError,
)

_local = threading.local()


def tile_session() -> requests.Session:
    """One keep-alive session per thread for tile fetches (loader threads fetch in
    parallel; the sync engine's session stays untouched)."""
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        session.mount("http://", HTTPAdapter(pool_connections=4, pool_maxsize=4))
        session.mount("https://", HTTPAdapter(pool_connections=4, pool_maxsize=4))
        _local.session = session
    return session


def _error_text(resp: requests.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        return str(body.get("errors") or body.get("message") or "")[:300]
    return ""


def raise_for_status(resp: requests.Response, where: str) -> None:
    """Turn an HTTP error status into the sync client's typed errors."""
    status = resp.status_code
    if status < 400:
        return
    message = _error_text(resp)
    if status in (401, 407):
        raise AuthError(f"{where}: not authenticated ({status}) {message}".strip(), status)
    if status == 429 or status >= 500:
        raise ServerError(f"{where}: server error {status} {message}".strip(), status)
    body: Any = None
    try:
        body = resp.json()
    except ValueError:
        body = None
    raise ClientError(f"{where}: refused ({status}) {message}".strip(), status, body)


def send(
    client: CytomineClient,
    method: str,
    path: str,
    *,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    data: Any = None,
    content_type: str = "",
    stream: bool = False,
    session: requests.Session | None = None,
    timeout: tuple[float, float] | None = None,
) -> requests.Response:
    """One signed request; the response is returned only for a non-error status."""
    h = {"accept": "*/*", **(headers or {})}
    if content_type:
        h["content-type"] = content_type
    where = f"{method} {path}"
    try:
        resp = (session or client.session).request(
            method,
            client.base_url + path,
            params=params,
            headers=h,
            data=data,
            stream=stream,
            timeout=timeout or client.timeout,
            auth=client.auth,
        )
    except requests.exceptions.SSLError:
        raise Offline(f"{where}: {UNTRUSTED_TLS}", maybe_applied=False) from None
    except requests.ConnectionError as exc:
        text = str(exc).lower()
        refused = "refused" in text or "name or service" in text or "resolve" in text
        raise Offline(f"{where}: cannot reach the server", maybe_applied=not refused) from None
    except requests.Timeout:
        raise Offline(f"{where}: the server did not answer in time", maybe_applied=True) from None
    except requests.RequestException as exc:
        raise Offline(f"{where}: {type(exc).__name__}", maybe_applied=True) from None
    try:
        raise_for_status(resp, where)
    except BaseException:
        resp.close()
        raise
    return resp
