"""Cytomine's ``Authorization: CYTOMINE pub:sig`` scheme (cytomine-api.md section 1.1).

Pure functions, no I/O: the string to sign exists in two incompatible layouts (with the
path for Grails/Spring <= 5.2 and the 3.x clients, without it for the 4.x clients), and
Cytomine retries with an empty content type because its own wrapper rewrites it.  We
accept any of these four combinations.  Comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(private_key: str, string_to_sign: str) -> str:
    """base64(HMAC-SHA1(private_key, string_to_sign)), as every Cytomine client computes it."""
    digest = hmac.new(
        private_key.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def strings_to_sign(
    method: str,
    content_md5: str,
    content_type: str,
    date: str,
    path_and_query: str,
    *,
    require_path: bool = False,
) -> list[str]:
    """The candidate strings, most common first (4.x layout, then legacy, then no type).

    ``require_path`` keeps only the layout that covers the path and query, so a
    captured signature is bound to its route (``--require-path-signature``).
    """
    out: list[str] = []
    for ctype in (content_type, ""):
        head = f"{method}\n{content_md5}\n{ctype}\n{date}"
        layouts = (
            (f"{head}\n{path_and_query}",) if require_path else (head, f"{head}\n{path_and_query}")
        )
        for candidate in layouts:
            if candidate not in out:
                out.append(candidate)
    return out


def parse_authorization(header: str) -> tuple[str, str] | None:
    """``CYTOMINE pub:sig`` -> ``(pub, sig)``; ``None`` if the header is not that scheme."""
    if not header.startswith("CYTOMINE ") or ":" not in header:
        return None
    creds = header[len("CYTOMINE ") :].strip()
    public_key, _, signature = creds.partition(":")
    if not public_key or not signature:
        return None
    return public_key, signature


def verify(
    private_key: str,
    signature: str,
    method: str,
    content_md5: str,
    content_type: str,
    date: str,
    path_and_query: str,
    *,
    require_path: bool = False,
) -> bool:
    """True if ``signature`` matches any accepted layout."""
    for candidate in strings_to_sign(
        method, content_md5, content_type, date, path_and_query, require_path=require_path
    ):
        if hmac.compare_digest(sign(private_key, candidate), signature):
            return True
    return False
