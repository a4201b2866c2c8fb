"""Editing a container's note (``PUT /api/{containers}/{cid}/notes/{nid}``), as SciTran.

Adding and deleting notes live with the other sub-resources in ``extras.py``; editing
is here so that the workstation can sync a note changed offline.  The author may edit
their note with rw access; an admin of the container may edit anyone's.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from desktop_app.model.scitran import ContainerType, Note
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.sub import NoteBody
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.scitran_access import KINDS, access_to, parse_id, require_container
from desktop_app.server.scitran_feed import touch
from desktop_app.server.scitran_fields import refuse_unknown
from desktop_app.server.wire import body_doc, parse_body, request_json

router = APIRouter()


def _register(segment: str, ctype: ContainerType) -> None:
    def edit_note(
        cid: str,
        nid: str,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> dict[str, Any]:
        row = require_container(db, caller, ctype, parse_id(cid, ctype.value), Access.RW)
        note = db.get(Note, parse_id(nid, "note"))
        if note is None or note.container_type != ctype or note.container_pk != row.pk:
            raise not_found("Note", nid)
        admin = access_to(db, caller, ctype, row) is Access.ADMIN
        if note.user_pk != caller.pk and not admin:
            raise ApiError(403, "only the note's author or an admin may edit it")
        if not isinstance(payload, dict):
            raise bad_request("Expected a JSON object")
        refuse_unknown(payload, frozenset({"text"}))  # SciTran's note-input schema
        note.text = parse_body(NoteBody, payload).text
        touch(db, caller, ctype, row)
        db.commit()
        return {"modified": 1}

    router.add_api_route(
        f"/api/{segment}/{{cid}}/notes/{{nid}}",
        edit_note,
        methods=["PUT"],
        name=f"scitran_{segment}_edit_note",
        summary="Edit a note (its author, or an admin of the container)",
        openapi_extra=body_doc(NoteBody),
    )


for _segment, _ctype in KINDS.items():
    _register(_segment, _ctype)
