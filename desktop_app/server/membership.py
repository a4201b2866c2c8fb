"""One project membership change, the way every writer of ``project_member`` makes it.

Project members are Cytomine's and SciTran's at once (a SciTran project permission is a
member row), and each change goes to the project's change feed so a syncing client
sees it.  The Cytomine member routes, SciTran's permission routes and the ``server``
CLI all change memberships here, so the row and its feed record cannot drift apart.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop_app.model.project import ProjectMember
from desktop_app.model.security import Access
from desktop_app.server.feed import record_change
from desktop_app.server.wire import ms, now


def set_member(
    db: Session, project_pk: int, user_pk: int, access: Access | None, by_pk: int | None
) -> str | None:
    """Give ``user_pk`` ``access`` to a project (``None``: remove them); no commit.

    Returns what happened (``created``/``updated``/``deleted``), or ``None`` when asked
    to remove a user who is no member (each caller answers that in its own words).
    """
    member = db.get(ProjectMember, (project_pk, user_pk))
    if access is None:
        if member is None:
            return None
        db.delete(member)
        action = "deleted"
    elif member is None:
        db.add(ProjectMember(project_pk=project_pk, user_pk=user_pk, access=access))
        action = "created"
    else:
        member.access = access
        action = "updated"
    record_change(db, [project_pk], "projectmember", user_pk, None, action, ms(now()), by_pk)
    return action
