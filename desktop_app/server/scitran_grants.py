"""SciTran permissions by login, on groups, projects and collections.

SciTran names a permission holder by its user ``_id``, which is the login
(``admin@user.com``).  Here a login with an account is a row of that account
(``group_permission``, ``project_member``, ``container_permission``); a login without
one is a ``pending_permission`` row, listed as SciTran lists any permission and
turned into the account's permission when ``add-user`` creates it
(:func:`grant_pending`).  Until then it grants nothing: no caller is ever that login.

Project memberships are Cytomine's too: an account's project permission is changed by
:func:`membership.set_member`, which also writes the project's change feed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import ProjectMember
from desktop_app.model.scitran import (
    ContainerPermission,
    ContainerType,
    GroupPermission,
    PendingPermission,
)
from desktop_app.model.security import Access, User
from desktop_app.server import membership
from desktop_app.server.db import transaction_note
from desktop_app.server.errors import bad_request, not_found

#: Longest login kept (``sec_user.username`` and ``pending_permission.login``).
LOGIN_MAX = 255


class Kind(enum.StrEnum):
    """What holds SciTran permissions of its own (sessions and below inherit a project's)."""

    GROUP = "group"
    PROJECT = "project"
    COLLECTION = "collection"


@dataclass(frozen=True)
class Target:
    kind: Kind
    pk: int


@dataclass(frozen=True)
class Holder:
    """A permission holder: a login, and its account when there is one."""

    login: str
    user_pk: int | None


def valid_login(raw: Any, name: str = "_id") -> str:
    """A login as a body names a user: a non-empty string without spaces or slashes."""
    if (
        not isinstance(raw, str)
        or not raw
        or len(raw) > LOGIN_MAX
        or any(c.isspace() or c in "/\\" or not c.isprintable() for c in raw)
    ):
        raise bad_request(f"{name} must be a user id (a login)")
    return raw


def account_pk(db: Session, login: str) -> int | None:
    """The (human) account whose login is ``login``."""
    return db.scalar(select(User.pk).where(User.username == login, User.algo.is_(False)))


def holder(db: Session, login: str) -> Holder:
    """The holder a path names (``…/permissions/{_id}``)."""
    return Holder(login, account_pk(db, login))


def body_holder(db: Session, login: str) -> Holder:
    """The holder a body's ``_id`` names: an account's login, or a well-formed login of
    no account yet (400 otherwise)."""
    pk = account_pk(db, login)
    return Holder(login, pk) if pk is not None else Holder(valid_login(login), None)


def require_account(db: Session, login: str) -> int:
    """The account of a login in a path (``/api/users/{_id}``): 404 when there is none."""
    pk = account_pk(db, login)
    if pk is None:
        raise not_found("User", login[:80])
    return pk


def login_of(db: Session, user_pk: int | None) -> str | None:
    """The SciTran user ``_id`` of an account (its login).

    A listing names the same few users on every note, file and analysis: each login is
    read once per transaction (a rename commits, so the next transaction reads it anew).
    """
    if user_pk is None:
        return None
    known = transaction_note(db, "scitran_logins")
    if user_pk not in known:
        known[user_pk] = db.scalar(select(User.username).where(User.pk == user_pk))
    login: str | None = known[user_pk]
    return login


def _real(db: Session, t: Target, user_pk: int) -> Any:
    if t.kind is Kind.GROUP:
        return db.get(GroupPermission, (t.pk, user_pk))
    if t.kind is Kind.PROJECT:
        return db.get(ProjectMember, (t.pk, user_pk))
    return db.get(ContainerPermission, (ContainerType.COLLECTION, t.pk, user_pk))


def _target_column(t: Target) -> Any:
    return {
        Kind.GROUP: PendingPermission.group_pk,
        Kind.PROJECT: PendingPermission.project_pk,
        Kind.COLLECTION: PendingPermission.collection_pk,
    }[t.kind]


def _pending(db: Session, t: Target, login: str) -> PendingPermission | None:
    return db.scalars(
        select(PendingPermission).where(_target_column(t) == t.pk, PendingPermission.login == login)
    ).first()


def get(db: Session, t: Target, h: Holder) -> Access | None:
    """The access ``h`` holds on ``t`` (pending or not), ``None`` when it holds none."""
    row = _real(db, t, h.user_pk) if h.user_pk is not None else _pending(db, t, h.login)
    return None if row is None else row.access


def _new_real(t: Target, user_pk: int, access: Access) -> Any:
    if t.kind is Kind.GROUP:
        return GroupPermission(group_pk=t.pk, user_pk=user_pk, access=access)
    return ContainerPermission(
        container_type=ContainerType.COLLECTION, container_pk=t.pk, user_pk=user_pk, access=access
    )


def put(db: Session, t: Target, h: Holder, access: Access | None, by_pk: int | None) -> str:
    """Set (``access``) or remove (``None``) ``h``'s permission on ``t``; no commit.

    Returns what happened (``created``/``updated``/``deleted``); removing a permission
    that is not there is 404, as SciTran answers.
    """
    if t.kind is Kind.PROJECT and h.user_pk is not None:
        done = membership.set_member(db, t.pk, h.user_pk, access, by_pk)
        if done is None:
            raise not_found("Permission", h.login[:80])
        db.flush()
        return done
    if h.user_pk is None:
        current: Any = _pending(db, t, h.login)
    else:
        current = _real(db, t, h.user_pk)
    if access is None:
        if current is None:
            raise not_found("Permission", h.login[:80])
        db.delete(current)
        action = "deleted"
    elif current is not None:
        current.access = access
        action = "updated"
    elif h.user_pk is None:
        column = _target_column(t).key
        db.add(
            PendingPermission(login=h.login, access=access, granted_by_pk=by_pk, **{column: t.pk})
        )
        action = "created"
    else:
        db.add(_new_real(t, h.user_pk, access))
        action = "created"
    db.flush()
    return action


def listed(db: Session, t: Target) -> list[tuple[str, Access]]:
    """Every (login, access) on ``t``: accounts' permissions, then pending grants."""
    if t.kind is Kind.GROUP:
        real: Any = select(User.username, GroupPermission.access).where(
            GroupPermission.group_pk == t.pk, GroupPermission.user_pk == User.pk
        )
    elif t.kind is Kind.PROJECT:
        real = select(User.username, ProjectMember.access).where(
            ProjectMember.project_pk == t.pk, ProjectMember.user_pk == User.pk
        )
    else:
        real = select(User.username, ContainerPermission.access).where(
            ContainerPermission.container_type == ContainerType.COLLECTION,
            ContainerPermission.container_pk == t.pk,
            ContainerPermission.user_pk == User.pk,
        )
    out = [(login, access) for login, access in db.execute(real.order_by(User.pk))]
    pending = db.execute(
        select(PendingPermission.login, PendingPermission.access)
        .where(_target_column(t) == t.pk)
        .order_by(PendingPermission.pk)
    )
    return out + [(login, access) for login, access in pending]


def grant_pending(db: Session, user: User) -> int:
    """Turn the pending grants of ``user``'s login into its permissions; how many."""
    rows = list(
        db.scalars(select(PendingPermission).where(PendingPermission.login == user.username))
    )
    for p in rows:
        if p.group_pk is not None:
            t = Target(Kind.GROUP, p.group_pk)
        elif p.project_pk is not None:
            t = Target(Kind.PROJECT, p.project_pk)
        else:
            assert p.collection_pk is not None  # the one_target CHECK
            t = Target(Kind.COLLECTION, p.collection_pk)
        access, by_pk = p.access, p.granted_by_pk
        db.delete(p)
        db.flush()
        put(db, t, Holder(user.username, user.pk), access, by_pk)
    return len(rows)
