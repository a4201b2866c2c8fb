"""Per-worker memory of recent *granted* project rights, for the hottest routes.

Why: ``rights.require_project`` loads the Project row with its ``selectin`` members and
the caller's membership: two statements and ORM objects, ~0.5-1 ms of a 3 ms viewport
query or annotation save, repeated by a viewer every few hundred milliseconds.  The
annotation listing and create paths ask here instead; a grant is remembered for
``TTL_S`` (as the identity and tile-access caches in ``auth`` and ``routes.tiles``):

* only grants are kept: a refusal (403/404) is re-checked on every request;
* a change made through this server to users, roles, job identities, memberships,
  ACLs or projects (mode, closing, deletion) empties the cache in every worker at once
  (``access_cache``); a change made elsewhere (another host, manual SQL) within
  ``TTL_S``.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy.orm import Session

from desktop_app.model.security import Access
from desktop_app.server import access_cache
from desktop_app.server.auth import Caller
from desktop_app.server.rights import require_project

#: Seconds a granted (project, caller, level) is trusted without asking the database.
TTL_S = 5.0
_MAX = 50_000

_granted: dict[tuple[object, ...], float] = {}
_lock = threading.Lock()
access_cache.on_change(_granted.clear)


def require_project_access(
    db: Session, caller: Caller, project_pk: int, level: Access = Access.RO
) -> None:
    """``rights.require_project`` without returning the row, remembering grants briefly."""
    key = (project_pk, level, caller.pk, caller.rights_pk, caller.authorities)
    now = time.monotonic()
    expires = _granted.get(key)
    if expires is not None and expires > now:
        return
    require_project(db, caller, project_pk, level)  # raises on a refusal
    with _lock:
        if len(_granted) >= _MAX:
            _granted.clear()
        _granted[key] = now + TTL_S
