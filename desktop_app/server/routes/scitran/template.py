"""``POST|DELETE /api/projects/{id}/template``: a project's session template (SciTran).

Setting or removing it needs admin on the project and answers ``{"modified": 1}``;
a session of the project then shows ``project_has_template`` and ``satisfies_template``
(``scitran_template``), and project stats count ``noncompliant_session_count``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from desktop_app.model.scitran import ContainerType
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.edits import TemplateBody
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.scitran_access import parse_id, require_container
from desktop_app.server.scitran_feed import touch
from desktop_app.server.scitran_template import check_template
from desktop_app.server.wire import body_doc, request_json

router = APIRouter()
PROJECT = ContainerType.PROJECT


@router.post("/api/projects/{cid}/template", openapi_extra=body_doc(TemplateBody))
def set_template(
    cid: str,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, int]:
    p = require_container(db, caller, PROJECT, parse_id(cid, "project"), Access.ADMIN)
    p.template = check_template(payload)
    touch(db, caller, PROJECT, p)
    db.commit()
    return {"modified": 1}


@router.delete("/api/projects/{cid}/template")
def delete_template(
    cid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, int]:
    p = require_container(db, caller, PROJECT, parse_id(cid, "project"), Access.ADMIN)
    had = p.template is not None
    p.template = None
    touch(db, caller, PROJECT, p)
    db.commit()
    return {"modified": int(had)}
