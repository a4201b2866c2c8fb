"""SciTran ``info`` edits and file metadata (scitran/core's ``modify_info``).

``POST /api/{kind}/{id}/info``, ``POST /api/{kind}/{id}/files/{name}/info`` and
``POST /api/sessions/{id}/subject/info`` take exactly one of ``{"set": {…}}`` (merge
keys), ``{"replace": {…}}`` (the whole object) or ``{"delete": [keys]}``; anything else
is 400.  ``PUT /api/{kind}/{id}/files/{name}`` changes a file's ``type``, ``modality``,
``measurements`` and ``tags`` (empty body or any other field: 400);
``GET …/files/{name}/info`` reads the file entry with its ``info``.  All need write access to the
container (rw) and answer ``{"modified": 1}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from desktop_app.model.scitran import ContainerType
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.edits import InfoUpdate
from desktop_app.protocol.scitran.sub import FileUpdateBody
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, not_found
from desktop_app.server.routes.scitran.extras import file_named
from desktop_app.server.scitran_access import KINDS, parse_id, require_container
from desktop_app.server.scitran_feed import touch
from desktop_app.server.serial_scitran import file_json
from desktop_app.server.wire import body_doc, parse_body, parse_value, request_json

router = APIRouter()
Json = dict[str, Any]
#: What ``PUT …/files/{name}`` may change: SciTran's file-update fields, and our ``tags``.
FILE_FIELDS = frozenset({"type", "modality", "measurements", "tags"})


def modified_info(current: dict[str, Any] | None, payload: Any) -> dict[str, Any]:
    """The ``info`` object after one SciTran info operation (400 on a malformed one)."""
    return parse_value(InfoUpdate, payload).applied(current)


def _register(segment: str, ctype: ContainerType) -> None:
    noun = ctype.value

    def container_info(
        cid: str,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        row = require_container(db, caller, ctype, parse_id(cid, noun), Access.RW)
        row.info = modified_info(row.info, payload)
        touch(db, caller, ctype, row)
        db.commit()
        return {"modified": 1}

    def file_info(
        cid: str,
        name: str,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        row = require_container(db, caller, ctype, parse_id(cid, noun), Access.RW)
        f = file_named(db, ctype, row.pk, name)
        f.info = modified_info(f.info, payload)
        touch(db, caller, ctype, row)
        db.commit()
        return {"modified": 1}

    def edit_file(
        cid: str,
        name: str,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        row = require_container(db, caller, ctype, parse_id(cid, noun), Access.RW)
        f = file_named(db, ctype, row.pk, name)
        if not isinstance(payload, dict) or not payload:
            raise bad_request("Empty update: give type, modality, measurements or tags")
        extra = sorted(set(payload) - FILE_FIELDS)
        if extra:  # SciTran's file-update schema: info goes through …/files/{name}/info
            raise bad_request(f"Additional properties are not allowed: {', '.join(extra)}")
        body = parse_body(FileUpdateBody, payload)
        for field in ("type", "modality", "measurements", "tags"):
            if body.sent(field):
                setattr(f, field, getattr(body, field))
        touch(db, caller, ctype, row)
        db.commit()
        return {"modified": 1}

    def get_file_info(
        cid: str, name: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Json:
        """SciTran's ``get_info``: the file entry with its ``info``."""
        row = require_container(db, caller, ctype, parse_id(cid, noun))
        return file_json(db, file_named(db, ctype, row.pk, name), True)

    base = f"/api/{segment}/{{cid}}"
    router.add_api_route(
        f"{base}/files/{{name}}/info",
        get_file_info,
        methods=["GET"],
        name=f"sc_{segment}_get_file_info",
    )
    router.add_api_route(
        f"{base}/info",
        container_info,
        methods=["POST"],
        name=f"sc_{segment}_info",
        openapi_extra=body_doc(InfoUpdate),
    )
    router.add_api_route(
        f"{base}/files/{{name}}/info",
        file_info,
        methods=["POST"],
        name=f"sc_{segment}_file_info",
        openapi_extra=body_doc(InfoUpdate),
    )
    router.add_api_route(
        f"{base}/files/{{name}}",
        edit_file,
        methods=["PUT"],
        name=f"sc_{segment}_edit_file",
        openapi_extra=body_doc(FileUpdateBody),
    )


for _segment, _ctype in KINDS.items():
    _register(_segment, _ctype)


def _no_subject(segment: str, ctype: ContainerType) -> Any:
    def subject_info_elsewhere(
        cid: str,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        """Only sessions have a subject: 400, as SciTran answers on other containers
        (to a caller who could write the container; others get its 403 first)."""
        require_container(db, caller, ctype, parse_id(cid, ctype.value), Access.RW)
        raise bad_request(f"Subject info can only be modified on sessions, not on {segment}")

    return subject_info_elsewhere


for _segment, _ctype in KINDS.items():
    if _ctype is not ContainerType.SESSION:
        router.add_api_route(
            f"/api/{_segment}/{{cid}}/subject/info",
            _no_subject(_segment, _ctype),
            methods=["POST"],
            name=f"sc_{_segment}_subject_info",
            summary="Subject info exists on sessions only (400)",
            openapi_extra=body_doc(InfoUpdate),
        )


@router.post("/api/sessions/{cid}/subject/info", openapi_extra=body_doc(InfoUpdate))
def subject_info(
    cid: str,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    s = require_container(db, caller, ContainerType.SESSION, parse_id(cid, "session"), Access.RW)
    if s.subject is None:
        raise not_found("Subject", f"session={cid}")
    s.subject.info = modified_info(s.subject.info, payload)
    touch(db, caller, ContainerType.SESSION, s)
    db.commit()
    return {"modified": 1}
