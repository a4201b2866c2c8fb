"""User JSON: the C447/GR field set, keys only ever for the caller themselves."""

from __future__ import annotations

from typing import Any

from desktop_app.model.security import User
from desktop_app.server.auth import Caller
from desktop_app.server.secret import user_keys
from desktop_app.server.wire import ms_str

USER_CLASS = "be.cytomine.domain.security.User"


def shows_email(viewer: Caller | None, user: User) -> bool:
    """E-mail addresses are personal data: only their owner and administrators see them."""
    return viewer is not None and (viewer.is_admin or viewer.pk == user.pk)


def user_json(user: User, viewer: Caller | None = None) -> dict[str, Any]:
    """The user as ``viewer`` may see them (``email`` null unless ``shows_email``)."""
    return {
        "class": USER_CLASS,
        "id": user.pk,
        "created": ms_str(user.created),
        "updated": ms_str(user.updated),
        "username": user.username,
        "name": user.full_name,
        "fullName": user.full_name,
        "firstname": user.firstname,
        "lastname": user.lastname,
        "email": user.email if shows_email(viewer, user) else None,
        "origin": user.origin,
        "algo": user.algo,
        "language": user.language,
        "isDeveloper": user.is_developer,
        "enabled": user.enabled,
        "color": user.color,
        "user": None,
    }


def current_user_json(caller: Caller) -> dict[str, Any]:
    out = user_json(caller.user, caller)
    admin = caller.is_admin
    public, private = user_keys(caller.user)
    out.update(
        {
            "publicKey": public,
            "privateKey": private,
            "passwordExpired": caller.user.password_expired,
            "admin": admin,
            "user": not caller.is_guest and not admin,
            "guest": caller.is_guest,
            "adminByNow": admin,
            "userByNow": not caller.is_guest,
            "guestByNow": True,
            "isSwitched": False,
        }
    )
    return out
