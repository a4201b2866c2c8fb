"""Liveness, the current user and the admin-session toggles the official client calls."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from desktop_app import __version__
from desktop_app.protocol.cytomine.answers_project import CurrentUserJson, PingJson
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.serial_user import current_user_json
from desktop_app.server.wire import answer_doc

router = APIRouter()


@router.get("/server/ping", openapi_extra=answer_doc(PingJson))
@router.get("/server/ping.json")
@router.post("/server/ping.json", include_in_schema=False)
def ping(request: Request) -> dict[str, Any]:
    """Unauthenticated liveness probe; ``serverID`` lets a client detect a swapped server."""
    settings = request.app.state.settings
    return {
        "alive": True,
        "version": __version__,
        "serverURL": str(request.base_url).rstrip("/"),
        "serverID": settings.server_id,
    }


@router.get("/api/user/current.json", openapi_extra=answer_doc(CurrentUserJson))
def user_current(caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    """The caller, with the C447-style extras (keys, role flags) older clients read."""
    return current_user_json(caller)


@router.get("/session/admin/open.json")
@router.get("/session/admin/close.json")
@router.get("/session/admin/info.json")
def admin_session(caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    """Admin rights are always "by now" here: there is no separate elevation step."""
    return {"admin": caller.is_admin, "adminByNow": caller.is_admin}
