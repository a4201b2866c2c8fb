"""Seed data every server needs (the four Cytomine roles) and user creation.

``add_user`` is shared by the CLI's ``server add-user`` and the tests, so a user made
either way has the same roles, keys and personal storage.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from desktop_app.model.image import Storage
from desktop_app.model.ontology import PARENT_RELATION, Relation
from desktop_app.model.project import Project
from desktop_app.model.security import Access, Authority, Role, RoleName, User, UserRole
from desktop_app.server import membership
from desktop_app.server.scitran_grants import grant_pending
from desktop_app.server.scitran_key import new_key as new_api_key
from desktop_app.server.secret import secret_of

#: The roles implied by each Cytomine group (a superadmin is also an admin and a user).
ROLE_CHAIN: dict[RoleName, tuple[Authority, ...]] = {
    RoleName.SUPERADMIN: (
        Authority.ROLE_SUPER_ADMIN,
        Authority.ROLE_ADMIN,
        Authority.ROLE_USER,
    ),
    RoleName.ADMIN: (Authority.ROLE_ADMIN, Authority.ROLE_USER),
    RoleName.USER: (Authority.ROLE_USER,),
    RoleName.GUEST: (Authority.ROLE_GUEST,),
}


def ensure_roles(engine: Engine) -> None:
    """Insert any missing ``sec_role`` rows and the built-in "parent" relation."""
    with Session(engine) as db:
        have = set(db.scalars(select(Role.authority)))
        for authority in Authority:
            if authority not in have:
                db.add(Role(authority=authority))
        if db.scalars(select(Relation).where(Relation.name == PARENT_RELATION)).first() is None:
            db.add(Relation(name=PARENT_RELATION))
        db.commit()


def add_user(db: Session, username: str, role: RoleName) -> dict[str, Any]:
    """Create an enabled user with fresh HMAC keys, its roles and a personal storage.

    The keys are stored sealed with the server secret (``db.info``); the clear private
    key is in the answer, once.  SciTran permissions granted to this login before the
    account existed (``pending_permission``) become its permissions; ``grants`` in the
    answer counts them.
    """
    if db.scalars(select(User).where(User.username == username)).first() is not None:
        raise ValueError(f"user {username!r} already exists")
    secret = secret_of(db)
    private_key = str(uuid.uuid4())
    user = User(
        username=username,
        firstname=username,
        lastname="",
        email=f"{username}@localhost",
        public_key=str(uuid.uuid4()),
        private_key=secret.seal(private_key),
        origin="workstation",
        root=role is RoleName.SUPERADMIN,
    )
    db.add(user)
    db.flush()
    user.api_key = secret.seal(new_api_key(user.pk))
    roles = {r.authority: r.pk for r in db.scalars(select(Role))}
    for authority in ROLE_CHAIN[role]:
        db.add(UserRole(sec_user_pk=user.pk, sec_role_pk=roles[authority]))
    _add_storage(db, user)
    db.flush()
    granted = grant_pending(db, user)
    return {
        "id": user.pk,
        "username": user.username,
        "publicKey": user.public_key,
        "privateKey": private_key,
        "grants": granted,
    }


def _add_storage(db: Session, user: User) -> None:
    db.add(Storage(name=f"{user.username} storage", user_pk=user.pk))


def set_member(
    db: Session, project_pk: int, username: str, access: Access | None
) -> dict[str, Any]:
    """Give ``username`` ``access`` to a project (``None``: remove them), recorded in the
    project's change feed as the API's member routes do; raises ``ValueError`` with a
    message for the administrator."""
    project = db.get(Project, project_pk)
    if project is None or getattr(project, "deleted", None):
        raise ValueError(f"no project {project_pk} on this server")
    user = db.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise ValueError(f"no user {username!r} on this server (add it with `server add-user`)")
    action = membership.set_member(db, project_pk, user.pk, access, None)
    if action is None:
        raise ValueError(f"{username} is not a member of project {project_pk}")
    return {
        "project": project_pk,
        "projectName": project.name,
        "user": user.pk,
        "username": user.username,
        "role": access.value if access is not None else None,
        "action": action,
    }
