"""Per-app memory of recent *granted* project rights, for the hottest routes.

Why: ``rights.require_project`` loads the Project row with its ``selectin`` members and
the caller's membership: two statements and ORM objects, ~0.5-1 ms of a 3 ms viewport
query or annotation save, repeated by a viewer every few hundred milliseconds.  The
annotation listing and create paths ask here instead; a grant is remembered for
``ACCESS_TTL_S`` in ``ServerState.grants`` (as the identity and tile-access caches in
``auth`` and ``routes.tiles``):

* only grants are kept: a refusal (403/404) is re-checked on every request;
* a change made through this server to users, roles, job identities, memberships,
  ACLs or projects (mode, closing, deletion) empties the cache (``access_cache``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop_app.model.security import Access
from desktop_app.server.auth import Caller
from desktop_app.server.rights import require_project
from desktop_app.server.state import state_of


def require_project_access(
    db: Session, caller: Caller, project_pk: int, level: Access = Access.RO
) -> None:
    """``rights.require_project`` without returning the row, remembering grants briefly."""
    grants = state_of(db).grants
    key = (project_pk, level, caller.pk, caller.rights_pk, caller.authorities)
    if grants.get(key):
        return
    epoch = grants.epoch
    require_project(db, caller, project_pk, level)  # raises on a refusal
    grants.put(key, True, epoch)
