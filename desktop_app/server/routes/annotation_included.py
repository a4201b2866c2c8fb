"""``GET /api/imageinstance/{id}/annotation/included.json``: annotations inside a region.

The region is another annotation (``annotation=ID``) or a WKT ``geometry`` (y up, as
every Cytomine coordinate); the other listing parameters (``terms``, ``users``,
``reviewed``, ``show…``) apply as in ``GET /api/annotation.json``.  Needs read access
to the image's project.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import autocommit_reads, get_db
from desktop_app.server.errors import bad_request
from desktop_app.server.geom import parse_bbox
from desktop_app.server.listing import list_annotations
from desktop_app.server.routes.image import get_instance

router = APIRouter()


@router.get("/api/imageinstance/{pk}/annotation/included.json")
def included(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Response:
    image = get_instance(db, caller, pk)
    q = request.query_params
    region = None
    if not q.get("annotation"):
        raw = q.get("geometry")
        if not raw or not raw.lstrip()[:1].isalpha():
            raise bad_request("Give the region as annotation=ID or geometry=WKT")
        region = parse_bbox(raw, image.base_image.height)
    autocommit_reads(db)
    body = list_annotations(
        db, caller, request, extra={"image": str(pk), "images": str(pk)}, region=region
    )
    return Response(body, media_type="application/json")
