"""Annotation crops as Cytomine serves them: ``crop``, ``mask`` and ``alphamask``.

``GET /api/{userannotation|annotation|algoannotation|reviewedannotation}/{id}/crop.{png|jpg}``
is the slide region under the annotation's bounding box; ``mask`` is the same box with
the geometry white on black; ``alphamask`` (PNG) is the crop with everything outside the
geometry transparent.  Parameters as Cytomine: ``maxSize`` (longest side), ``zoom``
(downsample by 2^zoom), ``increaseArea`` (grow the box around its centre).  Output is at
most 4096 px on a side.  Reading needs read access to the annotation's project.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from PIL import Image, ImageDraw
from shapely import wkb
from shapely.affinity import affine_transform
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.model.image import ImageInstance
from desktop_app.protocol.cytomine.activity import CropQuery
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, not_found
from desktop_app.server.rights import require_project
from desktop_app.server.routes.tiles import slide_cache, slide_path
from desktop_app.server.slides import MEDIA, encode
from desktop_app.server.wire import parse_body
from desktop_app.slide.pixel_budget import TooManyPixels

router = APIRouter()

#: Longest side of any crop we render.
MAX_SIDE = 4096
KINDS = ("userannotation", "annotation", "algoannotation", "reviewedannotation")
WHAT = ("crop", "mask", "alphamask")


def crop_box(a: Annotation, width: int, height: int, increase: float) -> tuple[int, int, int, int]:
    """The level-0 box (x, y, w, h; y down) around the annotation, grown and clipped."""
    cx, cy = (a.min_x + a.max_x) / 2, (a.min_y + a.max_y) / 2
    w = max(a.max_x - a.min_x, 1.0) * increase
    h = max(a.max_y - a.min_y, 1.0) * increase
    x0, y0 = max(0, int(cx - w / 2)), max(0, int(cy - h / 2))
    x1, y1 = min(width, int(cx + w / 2 + 0.999)), min(height, int(cy + h / 2 + 0.999))
    return x0, y0, max(1, x1 - x0), max(1, y1 - y0)


def draw_mask(geom: BaseGeometry, size: tuple[int, int]) -> Image.Image:
    """``geom`` (already in output pixels) white on black."""
    mask = Image.new("L", size, 0)
    pen = ImageDraw.Draw(mask)

    def paint(g: Any) -> None:
        kind = g.geom_type
        if kind == "Polygon":
            pen.polygon(list(g.exterior.coords), fill=255)
            for hole in g.interiors:
                pen.polygon(list(hole.coords), fill=0)
        elif kind in ("LineString", "LinearRing"):
            pen.line(list(g.coords), fill=255, width=1)
        elif kind == "Point":
            pen.point((g.x, g.y), fill=255)
        elif hasattr(g, "geoms"):
            for part in g.geoms:
                paint(part)

    paint(geom)
    return mask


def render(
    request: Request, db: Session, a: Annotation, what: str, params: dict[str, Any]
) -> Image.Image:
    image = db.get(ImageInstance, a.image_pk)
    if image is None:
        raise not_found("ImageInstance", a.image_pk)
    base = image.base_image
    options = parse_body(CropQuery, params)
    increase = options.increaseArea or 1.0
    if not 1.0 <= increase <= 100.0:
        raise bad_request("increaseArea must be between 1 and 100")
    x, y, w, h = crop_box(a, base.width, base.height, increase)
    scale = 1.0
    zoom = options.zoom
    if zoom is not None:
        if zoom > 30:
            raise bad_request("zoom out of range")
        scale = 1.0 / 2**zoom
    max_size = options.maxSize
    if max_size is not None:
        if max_size < 1:
            raise bad_request("maxSize must be positive")
        scale = min(scale, max_size / max(w, h))
    scale = min(scale, MAX_SIDE / max(w, h))
    out_w, out_h = max(1, round(w * scale)), max(1, round(h * scale))
    if what == "mask":
        crop = None
    else:
        try:
            crop = slide_cache(request).region(slide_path(request, base), x, y, w, h, out_w, out_h)
        except TooManyPixels as exc:  # the pixel budget (desktop_app.slide.pixel_budget)
            raise bad_request(str(exc)) from exc
    if what == "crop":
        assert crop is not None
        return crop
    sx, sy = out_w / w, out_h / h
    geom = affine_transform(wkb.loads(a.location), [sx, 0, 0, sy, -x * sx, -y * sy])
    mask = draw_mask(geom, (out_w, out_h))
    if what == "mask":
        return mask
    assert crop is not None
    rgba = crop.convert("RGBA")
    rgba.putalpha(mask)
    return rgba


def _route(kind: str, what: str) -> None:
    @router.get(
        f"/api/{kind}/{{pk}}/{what}.{{fmt}}",
        response_class=Response,
        name=f"{kind}_{what}",
    )
    def crop(
        pk: int,
        fmt: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Response:
        fmt = fmt.lower()
        if fmt not in ("png", "jpg"):
            raise bad_request("format must be png or jpg")
        if what == "alphamask":
            fmt = "png"  # transparency needs PNG, as Cytomine answers
        a = db.get(Annotation, pk)
        if a is None:
            raise not_found("Annotation", pk)
        require_project(db, caller, a.project_pk)
        img = render(request, db, a, what, dict(request.query_params))
        return Response(encode(img, fmt), media_type=MEDIA[fmt])


for _kind in KINDS:
    for _what in WHAT:
        _route(_kind, _what)
