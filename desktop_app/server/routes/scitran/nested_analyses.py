"""Analyses addressed through their parent, as SciTran routes them.

``GET|PUT|DELETE /api/{kind}/{id}/analyses/{aid}``, ``POST …/analyses/{aid}/notes`` and
``DELETE …/analyses/{aid}/notes/{nid}`` act on the analysis ``aid`` exactly as the flat
``/api/analyses/{aid}`` routes do, once the analysis is known to belong to that parent
(another parent's analysis is 404, as in SciTran, whose query includes the parent).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from desktop_app.model.scitran import Analysis, ContainerType, Note
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.containers import AnalysisBody
from desktop_app.protocol.scitran.sub import NoteBody
from desktop_app.server import scitran_feed, scitran_write
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import not_found
from desktop_app.server.routes.scitran.containers import render
from desktop_app.server.scitran_access import parse_id, require_container
from desktop_app.server.wire import body_doc, parse_body, request_json

router = APIRouter()
Json = dict[str, Any]
ANALYSIS = ContainerType.ANALYSIS


def _analysis(
    db: Session, caller: Caller, ctype: ContainerType, cid: str, aid: str, level: Access
) -> Analysis:
    pk = parse_id(aid, "analysis")
    row = db.get(Analysis, pk)
    if row is None or row.container_type != ctype or row.container_pk != parse_id(cid, "id"):
        raise not_found("Analysis", aid)
    return require_container(db, caller, ANALYSIS, pk, level)


def _register(segment: str, ctype: ContainerType) -> None:
    def get_one(
        cid: str, aid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Json:
        return render(db, caller, ANALYSIS, _analysis(db, caller, ctype, cid, aid, Access.RO), True)

    def update(
        cid: str,
        aid: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        row = _analysis(db, caller, ctype, cid, aid, Access.RW)
        return scitran_write.update(db, request, caller, ANALYSIS, row, payload)

    def delete(
        cid: str, aid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> Json:
        row = _analysis(db, caller, ctype, cid, aid, Access.RW)
        return scitran_write.remove(db, caller, ANALYSIS, row)

    def add_note(
        cid: str,
        aid: str,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        row = _analysis(db, caller, ctype, cid, aid, Access.RW)
        text = parse_body(NoteBody, payload).text
        note = Note(container_type=ANALYSIS, container_pk=row.pk, user_pk=caller.pk, text=text)
        db.add(note)
        scitran_feed.touch(db, caller, ANALYSIS, row)
        db.commit()
        return {"modified": 1, "_id": str(note.pk)}

    def delete_note(
        cid: str,
        aid: str,
        nid: str,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Json:
        row = _analysis(db, caller, ctype, cid, aid, Access.RW)
        note = db.get(Note, parse_id(nid, "note"))
        if note is None or note.container_type != ANALYSIS or note.container_pk != row.pk:
            raise not_found("Note", nid)
        db.delete(note)
        scitran_feed.touch(db, caller, ANALYSIS, row)
        db.commit()
        return {"modified": 1}

    base = f"/api/{segment}/{{cid}}/analyses/{{aid}}"
    for method, path, fn, doc in (
        ("GET", base, get_one, None),
        ("PUT", base, update, body_doc(AnalysisBody)),
        ("DELETE", base, delete, None),
        ("POST", f"{base}/notes", add_note, body_doc(NoteBody)),
        ("DELETE", f"{base}/notes/{{nid}}", delete_note, None),
    ):
        name = f"scitran_{segment}_analysis_{method.lower()}{'_note' if 'notes' in path else ''}"
        router.add_api_route(path, fn, methods=[method], name=name, openapi_extra=doc)


for _segment, _ctype in (
    ("projects", ContainerType.PROJECT),
    ("sessions", ContainerType.SESSION),
    ("acquisitions", ContainerType.ACQUISITION),
    ("collections", ContainerType.COLLECTION),
):
    _register(_segment, _ctype)
