"""Request bodies of user accounts and their roles (cytomine-api.md 3.5)."""

from __future__ import annotations

from typing import Annotated, Any

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import ReqId, text

#: A name-like field of an account.
Name = Annotated[str | None, text(255)]


class NewUserBody(CytomineBody):
    """``POST /api/user.json`` (or one item of its array): ``role`` is a role name
    (``user`` by default), checked by the route."""

    username: Annotated[str, text(255, required=True)]
    role: Any = None
    firstname: Name = None
    lastname: Name = None
    email: Name = None


class UserEditBody(CytomineBody):
    """``PUT /api/user/{id}.json``: only the fields sent change."""

    username: Name = None
    firstname: Name = None
    lastname: Name = None
    email: Name = None
    language: Name = None
    color: Name = None


class UserRoleBody(CytomineBody):
    """``POST /api/user/{id}/role.json``: the role's id."""

    role: ReqId


__all__ = ["NewUserBody", "UserEditBody", "UserRoleBody"]
