"""SciTran's second authentication scheme: ``Authorization: scitran-user <key>``.

SciTran clients (and scitran/core's own integration tests) authenticate with the
personal API key ``GET /api/users/self`` shows.  The key is a bearer secret: unlike the
Cytomine HMAC it signs nothing, so anyone who captures it can replay it — it is
accepted only on the SciTran routes, never when the operator asked for path-signed
requests (``--require-path-signature``), and belongs behind TLS (docs/api.md §8).

Keys are self-identifying, ``"<user pk>.<random>"``: the stored key is sealed with the
server secret (a dump does not give it away), so it cannot be looked up by value; the
pk in front says which one row to open and compare in constant time.  A key of the
older form (no pk) is never accepted; ``GET /api/users/self`` replaces it once.
"""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy.orm import Session

from desktop_app.model.security import User
from desktop_app.server.errors import ApiError
from desktop_app.server.secret import secret_of

SCHEME = "scitran-user"

#: Path prefixes of SciTran's container API (no ``.json``), where the key is accepted.
SCITRAN_PREFIXES = (
    "/api/users",
    "/api/groups",
    "/api/projects",
    "/api/sessions",
    "/api/acquisitions",
    "/api/analyses",
    "/api/collections",
)


def new_key(user_pk: int) -> str:
    """A fresh API key for the user ``user_pk`` (clear text, to be sealed for storage)."""
    return f"{user_pk}.{secrets.token_urlsafe(32)}"


def is_current_form(key: str | None, user_pk: int) -> bool:
    return bool(key) and str(key).startswith(f"{user_pk}.")


def parse_header(header: str) -> str | None:
    """The key of a ``scitran-user <key>`` header, else ``None``."""
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != SCHEME:
        return None
    key = key.strip()
    return key or None


def applies_to(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in SCITRAN_PREFIXES)


def anonymous_error(path: str) -> ApiError:
    """What SciTran answers a request without credentials: it treats the caller as the
    public, so a protected resource is 403, and ``/users/self`` 400 (no user)."""
    if path == "/api/users/self" or path.startswith("/api/users/self/"):
        return ApiError(400, "No user is logged in")
    return ApiError(403, "This resource needs an authenticated user")


def user_of_key(db: Session, key: str) -> User | None:
    """The enabled human user whose API key is ``key``, else ``None``."""
    pk_text, dot, _ = key.partition(".")
    if not dot or not pk_text.isdigit() or len(pk_text) > 18:
        return None
    user = db.get(User, int(pk_text))
    if user is None or not user.enabled or user.algo or not user.api_key:
        return None
    stored = secret_of(db).open(user.api_key) or ""
    if not hmac.compare_digest(stored.encode("utf-8"), key.encode("utf-8")):
        return None
    return user
