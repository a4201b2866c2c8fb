"""User positions, project connections and the command history (3.9, 3.10, 4.3).

Positions arrive as Cytomine sends them (viewport corners, y up) and are stored y down
like annotations.  The command history is the change log a client falls back on
against a stock Cytomine; we serve the same shape so that path can be tested here.
Recording a position or a connection is a write, and writes need rw on the project
(docs/api.md section 4): ro members and guests view without leaving a trace.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import shapely
from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.activity import LastUserPosition, ProjectConnection, UserPosition
from desktop_app.model.history import Command, CommandHistory
from desktop_app.model.image import ImageInstance, SliceInstance
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.activity import (
    ActivityFilter,
    ConnectionBody,
    HistoryQuery,
    PositionBody,
)
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request
from desktop_app.server.geom import to_wire
from desktop_app.server.rights import require_project, visible_project_pks
from desktop_app.server.routes.image import get_instance
from desktop_app.server.serial import base
from desktop_app.server.wire import (
    body_doc,
    ms_str,
    now,
    page,
    parse_body,
    query_model,
    request_json,
)

router = APIRouter(tags=["activity"])
Json = dict[str, Any]
ONLINE_WINDOW = timedelta(seconds=60)


def position_json(p: UserPosition | LastUserPosition, height: float) -> Json:
    out = base("userposition", p)
    out.update(
        {
            "user": p.user_pk,
            "image": p.image_pk,
            "slice": p.slice_pk,
            "project": p.project_pk,
            "zoom": p.zoom,
            "rotation": p.rotation,
            "broadcast": p.broadcast,
            "x": p.x,
            "y": height - p.y,
            "location": to_wire(p.location, height) if p.location else None,
        }
    )
    return out


def image_height(i: ImageInstance) -> float:
    return float(i.base_image.height if i.base_image else 0)


@router.post("/api/imageinstance/{image_id}/position.json", openapi_extra=body_doc(PositionBody))
def add_position(
    image_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    """Body: the four viewport corners (``topLeftX`` … y up), ``zoom``, ``rotation``,
    ``broadcast``; or just ``x``, ``y``, ``zoom``."""
    # Where a reader looked is their own activity, not project data: like Cytomine,
    # any user who may see the image records positions (reviewers are often ro).
    image = get_instance(db, caller, image_id, Access.RO)
    body = parse_body(PositionBody, payload)
    h = image_height(image)
    zoom = body.zoom
    if zoom is None:
        raise bad_request("zoom is required")
    corners = body.corners()
    location = None
    given = [(x, y) for x, y in corners if x is not None and y is not None]
    if len(given) == len(corners):
        poly = shapely.Polygon([(x, h - y) for x, y in given])
        if poly.is_empty or not poly.is_valid:
            raise bad_request("The viewport corners do not make a polygon")
        cx, cy = poly.centroid.x, poly.centroid.y
        location = shapely.to_wkb(poly)
        bounds = poly.bounds
    else:
        x, y = body.x, body.y
        if x is None or y is None:
            raise bad_request("Send the viewport corners (topLeftX…) or x and y")
        cx, cy = x, h - y
        bounds = (cx, cy, cx, cy)
    slice_pk = body.slice
    if slice_pk is not None:
        s = db.get(SliceInstance, slice_pk)
        if s is None or s.image_pk != image.pk:
            raise bad_request(f"Slice {slice_pk} is not a slice of image {image.pk}")
    values = {
        "user_pk": caller.pk,
        "image_pk": image.pk,
        "slice_pk": slice_pk,
        "project_pk": image.project_pk,
        "x": cx,
        "y": cy,
        "zoom": zoom,
        "rotation": body.rotation or 0.0,
        "broadcast": body.broadcast,
        "location": location,
        "min_x": bounds[0],
        "min_y": bounds[1],
        "max_x": bounds[2],
        "max_y": bounds[3],
    }
    row = UserPosition(**values)
    db.add(row)
    last = db.scalars(
        select(LastUserPosition).where(
            LastUserPosition.user_pk == caller.pk, LastUserPosition.image_pk == image.pk
        )
    ).first()
    if last is None:
        db.add(LastUserPosition(**values))
    else:
        for k, v in values.items():
            setattr(last, k, v)
        last.updated = now()
    db.commit()
    return position_json(row, h)


def _last(db: Session, image: ImageInstance, user_pk: int) -> Json:
    last = db.scalars(
        select(LastUserPosition).where(
            LastUserPosition.user_pk == user_pk, LastUserPosition.image_pk == image.pk
        )
    ).first()
    return {} if last is None else position_json(last, image_height(image))


@router.get("/api/imageinstance/{image_id}/position.json")
def my_position(
    image_id: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    """The caller's last position on the image (``{}`` if none, as Cytomine)."""
    return _last(db, get_instance(db, caller, image_id), caller.pk)


@router.get("/api/imageinstance/{image_id}/position/{user_id}.json")
def user_position(
    image_id: int,
    user_id: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    return _last(db, get_instance(db, caller, image_id), user_id)


@router.get("/api/imageinstance/{image_id}/positions.json")
def positions(
    image_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    """History; filters ``user``, ``afterThan``, ``beforeThan`` (epoch ms), paged."""
    image = get_instance(db, caller, image_id)
    q = select(UserPosition).where(UserPosition.image_pk == image.pk)
    f = query_model(ActivityFilter, request)
    if f.user is not None:
        q = q.where(UserPosition.user_pk == f.user)
    if f.afterThan is not None:
        q = q.where(UserPosition.created > _from_ms(f.afterThan))
    if f.beforeThan is not None:
        q = q.where(UserPosition.created < _from_ms(f.beforeThan))
    rows = db.scalars(q.order_by(UserPosition.created.desc(), UserPosition.pk.desc()))
    h = image_height(image)
    return page([position_json(p, h) for p in rows], request)


@router.get("/api/imageinstance/{image_id}/online.json")
def online(
    image_id: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    """Users whose last position on the image is under a minute old."""
    image = get_instance(db, caller, image_id)
    since = now() - ONLINE_WINDOW
    rows = db.scalars(select(LastUserPosition).where(LastUserPosition.image_pk == image.pk))
    users = sorted({r.user_pk for r in rows if (r.updated or r.created) >= since})
    return {"users": users}


def _from_ms(value: int) -> datetime:
    try:
        return datetime.fromtimestamp(value / 1000, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise bad_request("dates must be epoch milliseconds") from exc


def connection_json(c: ProjectConnection) -> Json:
    out = base("projectconnection", c)
    out.update(
        {
            "user": c.user_pk,
            "project": c.project_pk,
            "time": c.time,
            "os": c.os,
            "browser": c.browser,
            "browserVersion": c.browser_version,
            "countViewedImages": c.count_viewed_images,
            "countCreatedAnnotations": c.count_created_annotations,
        }
    )
    return out


@router.post(
    "/api/project/{project_id}/userconnection.json", openapi_extra=body_doc(ConnectionBody)
)
def add_connection(
    project_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_project(db, caller, project_id, Access.RO)  # the caller's own activity
    body = parse_body(ConnectionBody, payload)
    c = ProjectConnection(
        user_pk=caller.pk,
        project_pk=project_id,
        os=body.os,
        browser=body.browser,
        browser_version=body.browserVersion,
    )
    db.add(c)
    db.commit()
    return connection_json(c)


def _connections(db: Session, request: Request, project_id: int, user: int | None) -> Json:
    q = select(ProjectConnection).where(ProjectConnection.project_pk == project_id)
    if user is not None:
        q = q.where(ProjectConnection.user_pk == user)
    rows = db.scalars(q.order_by(ProjectConnection.created.desc(), ProjectConnection.pk.desc()))
    return page([connection_json(c) for c in rows], request)


@router.get("/api/project/{project_id}/userconnection.json")
def list_connections(
    project_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    require_project(db, caller, project_id)
    return _connections(db, request, project_id, query_model(ActivityFilter, request).user)


@router.get("/api/project/{project_id}/userconnection/{user_id}.json")
def user_connections(
    project_id: int,
    user_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    require_project(db, caller, project_id)
    return _connections(db, request, project_id, user_id)


@router.get("/api/project/{project_id}/lastConnection.json")
def last_connections(
    project_id: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> list[Json]:
    """The most recent connection of each user of the project, newest first."""
    require_project(db, caller, project_id)
    seen: dict[int, Json] = {}
    rows = db.scalars(
        select(ProjectConnection)
        .where(ProjectConnection.project_pk == project_id)
        .order_by(ProjectConnection.created.desc(), ProjectConnection.pk.desc())
    )
    for c in rows:
        seen.setdefault(
            c.user_pk, {"user": c.user_pk, "project": project_id, "created": ms_str(c.created)}
        )
    return list(seen.values())


def _history(db: Session, request: Request, projects: list[int] | None) -> list[Json]:
    """Cytomine's command history rows, newest first, as a plain array (4.3)."""
    p = query_model(HistoryQuery, request)
    q = select(CommandHistory, Command).join(Command, Command.pk == CommandHistory.command_pk)
    if projects is not None:
        q = q.where(CommandHistory.project_pk.in_(projects))
    start, end = p.startDate, p.endDate
    if start is not None:
        q = q.where(CommandHistory.created >= _from_ms(start))
    if end is not None:
        q = q.where(CommandHistory.created <= _from_ms(end))
    if p.user is not None:
        q = q.where(CommandHistory.user_pk == p.user)
    max_, offset = p.max or 0, p.offset or 0
    q = q.order_by(CommandHistory.created.desc(), CommandHistory.pk.desc()).offset(offset)
    if max_:
        q = q.limit(max_)
    full = p.fullData
    out = []
    for h, cmd in db.execute(q).tuples():
        row: Json = {
            "class": "be.cytomine.domain.command.CommandHistory",
            "id": h.pk,
            "created": ms_str(h.created),
            "message": h.message,
            "prefix": h.prefix_action,
            "prefixAction": h.prefix_action,
            "user": h.user_pk,
            "project": h.project_pk,
            "command": h.command_pk,
        }
        if full:
            row.update(
                {
                    "data": json.dumps(cmd.data),
                    "serviceName": cmd.service_name,
                    "className": cmd.command_class,
                    "action": cmd.action_message,
                }
            )
        out.append(row)
    return out


@router.get("/api/project/{project_id}/commandhistory.json")
def project_history(
    project_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> list[Json]:
    """Filters ``startDate``/``endDate`` (epoch ms, inclusive), ``user``, ``fullData``."""
    require_project(db, caller, project_id)
    return _history(db, request, [project_id])


@router.get("/api/commandhistory.json")
def all_history(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> list[Json]:
    """The history of every project the caller reads (admins: everything)."""
    return _history(db, request, visible_project_pks(db, caller))


__all__ = ["router"]
