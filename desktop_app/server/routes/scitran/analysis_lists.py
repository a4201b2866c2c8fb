"""Analyses created on and listed under their parent, as SciTran routes them.

* ``POST /api/{projects|sessions|acquisitions|collections}/{id}/analyses``: an analysis
  whose parent is that container, from JSON (the body of ``POST /api/analyses`` minus
  ``parent``) or, as SciTran's clients send it, multipart: the analysis fields in the
  ``metadata`` part and its files (``inputs`` named there included) as file parts, all
  in one request and one transaction.
* ``GET /api/{groups|projects|sessions|acquisitions}/{id}/analyses``: the container's own
  analyses; ``GET …/{id}/{projects|sessions|acquisitions|all}/analyses``: those of its
  descendants of that level (``all``: every level, itself included); a level above the
  container is 400.  Readers of the container; lists leave ``info`` out.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project
from desktop_app.model.scitran import Acquisition, Analysis, ContainerType
from desktop_app.model.scitran import Session as ScSession
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.containers import AnalysisBody
from desktop_app.server import scitran_write
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request
from desktop_app.server.rights import require_writer
from desktop_app.server.routes.scitran.containers import render
from desktop_app.server.scitran_access import (
    access_to,
    get_container,
    parse_id,
    require_container,
    require_group,
)
from desktop_app.server.scitran_feed import touch
from desktop_app.server.scitran_upload import Received, attach, discard, receive
from desktop_app.server.wire import body_doc, json_body

router = APIRouter()
Json = dict[str, Any]
ANALYSIS = ContainerType.ANALYSIS
#: SciTran's levels, top down; a list may ask for a level below its container only.
LEVELS = ("groups", "projects", "sessions", "acquisitions")


async def analysis_input(
    request: Request, db: Session = Depends(get_db)
) -> tuple[Any, list[Received]]:
    """(the analysis fields, the received files): JSON, or multipart with ``metadata``.

    A multipart body ends ``db``'s transaction (the caller lookup's) before it is
    awaited; the route checks rights afterwards, in the transaction that writes."""
    if request.headers.get("content-type", "").startswith("multipart/"):
        root = request.app.state.settings.storage_dir / "container_files"
        received, meta = await receive(request, db, root)
        return meta, received
    return await json_body(request), []


def _create(segment: str, ctype: ContainerType) -> None:
    def add_analysis(
        cid: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        given: tuple[Any, list[Received]] = Depends(analysis_input),
    ) -> Json:
        payload, received = given
        try:
            require_writer(caller)
            if not isinstance(payload, dict):
                raise bad_request("Expected a JSON object")
            body = {**payload, "parent": {"type": ctype.value, "id": cid}}
            made = scitran_write.create(db, request, caller, ANALYSIS, body)
            if received:
                row = get_container(db, ANALYSIS, int(made["_id"]))
                entries = {
                    str(e.get("name")): e
                    for key in ("inputs", "files")
                    for e in payload.get(key) or []
                    if isinstance(e, dict)
                }
                attach(db, caller, ANALYSIS, row.pk, received, lambda n: entries.get(n, {}))
                touch(db, caller, ANALYSIS, row)
                db.commit()
        except BaseException:
            db.rollback()
            discard([r.folder for r in received])
            raise
        return made

    router.add_api_route(
        f"/api/{segment}/{{cid}}/analyses",
        add_analysis,
        methods=["POST"],
        name=f"scitran_{segment}_add_analysis",
        summary="Create an analysis on this container (JSON, or multipart with its files)",
        openapi_extra=body_doc(AnalysisBody),
    )


def _below(db: Session, segment: str, pk: int, level: str) -> list[tuple[ContainerType, int]]:
    """(type, pk) of the containers ``level`` below container ``pk`` of ``segment``."""
    out: dict[str, list[int]] = {segment: [pk]}
    if segment == "groups":
        out["projects"] = list(db.scalars(select(Project.pk).where(Project.group_pk == pk)))
    if "projects" in out:
        out["sessions"] = list(
            db.scalars(select(ScSession.pk).where(ScSession.project_pk.in_(out["projects"])))
        )
    if "sessions" in out:
        out["acquisitions"] = list(
            db.scalars(select(Acquisition.pk).where(Acquisition.session_pk.in_(out["sessions"])))
        )
    kinds = {
        "projects": ContainerType.PROJECT,
        "sessions": ContainerType.SESSION,
        "acquisitions": ContainerType.ACQUISITION,
    }
    wanted = [k for k in kinds if k in out] if level == "all" else [level]
    return [(kinds[k], p) for k in wanted for p in out.get(k, [])]


def _analyses_of(
    db: Session, caller: Caller, segment: str, cid: str, sub: str | None
) -> list[Json]:
    """The readable analyses of container ``cid`` (``sub``: of its descendants)."""
    if segment == "groups":
        pk = require_group(db, caller, cid).pk
    else:
        ctype = ContainerType(segment[:-1])
        pk = require_container(db, caller, ctype, parse_id(cid, ctype.value), Access.RO).pk
    if sub is None:
        parents = [] if segment == "groups" else [(ContainerType(segment[:-1]), pk)]
    elif sub != "all" and (sub not in LEVELS or LEVELS.index(sub) <= LEVELS.index(segment)):
        raise bad_request(f"{sub} not a child of {segment} or 'all'")
    else:
        parents = _below(db, segment, pk, sub)
    out = []
    for ptype in {t for t, _ in parents}:
        pks = [p for t, p in parents if t is ptype]
        rows = db.scalars(
            select(Analysis).where(Analysis.container_type == ptype, Analysis.container_pk.in_(pks))
        )
        out += [a for a in rows if access_to(db, caller, ANALYSIS, a) is not None]
    return [render(db, caller, ANALYSIS, a, False) for a in sorted(out, key=lambda a: a.pk)]


def _list(segment: str) -> None:
    def analyses(
        cid: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> list[Json]:
        return _analyses_of(db, caller, segment, cid, None)

    def sub_analyses(
        cid: str, sub: str, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
    ) -> list[Json]:
        return _analyses_of(db, caller, segment, cid, sub)

    for path, fn, name, summary in (
        ("analyses", analyses, "analyses", "The analyses of this container"),
        (
            "{sub}/analyses",
            sub_analyses,
            "sub_analyses",
            "The analyses of this container's descendants of one level (or all)",
        ),
    ):
        router.add_api_route(
            f"/api/{segment}/{{cid}}/{path}",
            fn,
            methods=["GET"],
            name=f"scitran_{segment}_{name}",
            summary=summary,
        )


for _segment, _ctype in (
    ("projects", ContainerType.PROJECT),
    ("sessions", ContainerType.SESSION),
    ("acquisitions", ContainerType.ACQUISITION),
    ("collections", ContainerType.COLLECTION),
):
    _create(_segment, _ctype)
for _segment in LEVELS:
    _list(_segment)
