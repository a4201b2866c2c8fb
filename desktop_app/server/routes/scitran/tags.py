"""Single tags of groups and containers, as scitran/core's ``TagsListHandler`` answers.

``GET /api/{groups|projects|sessions|acquisitions|analyses|collections}/{id}/tags/{value}``
is the tag itself (a JSON string) or 404; ``PUT …/tags/{value}`` with ``{"value"}``
renames it (404 if the tag is absent or the new value already there, as SciTran).  A
tag is 1 to 32 characters (400 otherwise); adding one twice is 409.  Reading needs read
access, renaming the same write access as adding (group: rw; container: rw).  A
group tag renamed or deleted is renamed or deleted in the group's hierarchy too.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from desktop_app.model.scitran import ContainerType
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.edits import TagBody
from desktop_app.server import scitran_propagate
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, not_found
from desktop_app.server.scitran_access import KINDS, parse_id, require_container, require_group
from desktop_app.server.scitran_feed import touch
from desktop_app.server.wire import body_doc, now, parse_value, request_json

router = APIRouter()

Json = dict[str, Any]


def duplicate(value: str) -> ApiError:
    return ApiError(409, f"Tag {value!r} already exists")


def _rename(row: Any, old: str, payload: Any) -> None:
    new = parse_value(TagBody, payload).value
    tags = list(row.tags or [])
    if old not in tags or (new != old and new in tags):
        raise not_found("Tag", old if old not in tags else new)
    row.tags = [new if t == old else t for t in tags]


@router.get("/api/groups/{gid}/tags/{value}")
def get_group_tag(
    gid: str, value: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> str:
    g = require_group(db, caller, gid)
    if value not in (g.tags or []):
        raise not_found("Tag", value)
    return value


@router.put("/api/groups/{gid}/tags/{value}", openapi_extra=body_doc(TagBody))
def rename_group_tag(
    gid: str,
    value: str,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    g = require_group(db, caller, gid, Access.RW)
    _rename(g, value, payload)
    for ctype, row in scitran_propagate.group_tag(
        db, g.pk, value, parse_value(TagBody, payload).value
    ):
        touch(db, caller, ctype, row)
    g.updated = now()
    db.commit()
    return {"modified": 1}


def _register(segment: str, ctype: ContainerType) -> None:
    def get_tag(
        cid: str,
        value: str,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> str:
        row = require_container(db, caller, ctype, parse_id(cid, ctype.value))
        if value not in (row.tags or []):
            raise not_found("Tag", value)
        return value

    def rename_tag(
        cid: str,
        value: str,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        row = require_container(db, caller, ctype, parse_id(cid, ctype.value), Access.RW)
        _rename(row, value, payload)
        touch(db, caller, ctype, row)
        db.commit()
        return {"modified": 1}

    path = f"/api/{segment}/{{cid}}/tags/{{value}}"
    router.add_api_route(path, get_tag, methods=["GET"], name=f"scitran_{segment}_get_tag")
    router.add_api_route(
        path,
        rename_tag,
        methods=["PUT"],
        name=f"scitran_{segment}_rename_tag",
        openapi_extra=body_doc(TagBody),
    )


for _segment, _ctype in KINDS.items():
    _register(_segment, _ctype)
