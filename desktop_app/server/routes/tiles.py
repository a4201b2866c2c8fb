"""Pixels: normalized-pyramid tiles, thumbnails, windows and the original file (section 6).

The DB is only touched to check rights and find the file; decoding and encoding run in
the thread pool with OpenSlide handles and recent tiles cached in ``SlideCache``.

Tiles: the app remembers for ``ACCESS_TTL_S`` (5 s, as the identity cache in ``auth``;
``ServerState.tile_access``) that a caller may read an image and where its file is, so
a viewer's burst of tile requests costs one rights check, not one per tile.  A
membership revoked or an image deleted empties that cache in every server process
(``access_cache``: at once on this host, within 0.25 s on the others).  Every tile has
an ``ETag`` (file identity + tile address + encoder version), answered with 304 on
``If-None-Match`` after authentication and that rights check.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from desktop_app.model.image import AbstractImage, AbstractSlice, ImageInstance
from desktop_app.model.project import Project
from desktop_app.model.security import Access
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, forbidden, not_found
from desktop_app.server.rights import project_access
from desktop_app.server.routes.image import (
    can_use_abstract,
    get_abstract,
    get_instance,
    get_slice,
)
from desktop_app.server.slides import MEDIA, NotASlide, SlideCache, encode
from desktop_app.server.state import ServerState
from desktop_app.slide.pixel_budget import TooManyPixels

router = APIRouter()

#: Browsers and the desktop cache may keep tiles: slide pixels never change.
CACHE = {"Cache-Control": "private, max-age=86400"}
#: Part of every ETag: bump when the tile encoding changes.
TILE_VERSION = "t2"


def slide_cache(request: Request) -> SlideCache:
    cache: SlideCache = request.app.state.slide_cache
    return cache


def slide_path(request: Request, a: AbstractImage) -> str:
    if not a.path:
        raise not_found("Image file", a.pk)
    root = request.app.state.settings.upload_dir.resolve()
    path = (root / a.path).resolve()
    if root not in path.parents or not path.is_file():
        raise not_found("Image file", a.pk)
    return str(path)


def _fmt(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in MEDIA:
        raise bad_request("format must be jpg, png or webp")
    return fmt


def _resolve(db: Session, caller: Caller, kind: str, pk: int) -> AbstractImage:
    if kind == "sliceinstance":
        s = get_slice(db, caller, pk)
        return get_abstract_of_slice(db, s.base_slice_pk)
    if kind == "imageinstance":
        return get_instance(db, caller, pk).base_image
    if kind == "abstractslice":
        a_slice = db.get(AbstractSlice, pk)
        if a_slice is None:
            raise not_found("AbstractSlice", pk)
        return get_abstract(db, caller, a_slice.image_pk)
    if kind == "abstractimage":
        return get_abstract(db, caller, pk)
    raise not_found("Resource", kind)


def get_abstract_of_slice(db: Session, slice_pk: int) -> AbstractImage:
    a_slice = db.get(AbstractSlice, slice_pk)
    a = db.get(AbstractImage, a_slice.image_pk) if a_slice else None
    if a is None:
        raise not_found("AbstractImage", slice_pk)
    return a


def _access_hit(
    request: Request, caller: Caller, kind: str, pk: int
) -> tuple[int, str, int, int, str] | None:
    state: ServerState = request.app.state.server
    return state.tile_access.get((kind, pk, caller.pk, caller.rights_pk, caller.authorities))


def _tile_source(
    request: Request, db: Session, caller: Caller, kind: str, pk: int
) -> tuple[int, str, int, int, str]:
    """(abstract pk, file, width, height, file tag) after the rights check, cached briefly."""
    hit = _access_hit(request, caller, kind, pk)
    if hit is not None:
        return hit
    key = (kind, pk, caller.pk, caller.rights_pk, caller.authorities)
    memo = request.app.state.server.tile_access
    epoch = memo.epoch
    a = _resolve(db, caller, kind, pk)
    path = slide_path(request, a)
    st = os.stat(path)
    tag = f"{a.pk}-{st.st_mtime_ns:x}-{st.st_size:x}"
    entry = (a.pk, path, int(a.width), int(a.height), tag)
    memo.put(key, entry, epoch)
    return entry


def _etag(tag: str, zoom: int, tx: int, ty: int, fmt: str) -> str:
    raw = f"{tag}/{zoom}/{tx}/{ty}/{fmt}/{TILE_VERSION}".encode()
    return '"' + hashlib.blake2b(raw, digest_size=12).hexdigest() + '"'


def _not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


async def _tile(
    kind: str,
    pk: int,
    zoom: int,
    tx: int,
    ty: int,
    fmt: str,
    request: Request,
    db: Session,
    caller: Caller,
) -> Response:
    """Async: a tile that needs no SQL and no decoding (access cached, stored JPEG or
    LRU hit, or a 304) is answered on the event loop without a thread-pool hop; the
    rights check and decoding run in the thread pool."""
    fmt = _fmt(fmt)
    src = _access_hit(request, caller, kind, pk)
    if src is None:
        src = await run_in_threadpool(_tile_source, request, db, caller, kind, pk)
    a_pk, path, width, height, tag = src
    db.close()
    etag = _etag(tag, zoom, tx, ty, fmt)
    headers = {**CACHE, "ETag": etag}
    cache = slide_cache(request)
    try:
        if _not_modified(request, etag):
            cache.check_tile(width, height, zoom, tx, ty)
            return Response(status_code=304, headers=headers)
        data = cache.quick_tile(path, width, height, zoom, tx, ty, fmt)
        if data is None:
            data = await run_in_threadpool(cache.tile, path, width, height, zoom, tx, ty, fmt)
    except ValueError as exc:
        raise bad_request(str(exc)) from exc
    except NotASlide as exc:
        raise not_found("Image file", f"{a_pk}: {exc}") from exc
    return Response(data, media_type=MEDIA[fmt], headers=headers)


def _scaled(
    request: Request, a: AbstractImage, x: int, y: int, w: int, h: int, max_size: int, fmt: str
) -> Response:
    if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > a.width or y + h > a.height:
        raise bad_request("The region must lie inside the image")
    if not 1 <= max_size <= 4096:
        raise bad_request("maxSize must be between 1 and 4096")
    scale = min(1.0, max_size / max(w, h))
    out_w, out_h = max(1, round(w * scale)), max(1, round(h * scale))
    path = slide_path(request, a)
    try:
        img = slide_cache(request).region(path, x, y, w, h, out_w, out_h)
    except TooManyPixels as exc:
        raise bad_request(str(exc)) from exc
    except NotASlide as exc:
        raise not_found("Image file", f"{a.pk}: {exc}") from exc
    return Response(encode(img, fmt), media_type=MEDIA[fmt], headers=CACHE)


def _require_download(db: Session, caller: Caller, kind: str, pk: int, a: AbstractImage) -> None:
    """The original file, as Cytomine: a project that sets ``areImagesDownloadable``
    false lets only its admins download (viewing tiles stays allowed); an abstract
    image, its owner, administrators, or a reader through such a project."""
    if caller.is_admin or can_use_abstract(db, caller, a):
        return
    if kind in ("imageinstance", "sliceinstance"):
        project_pks = [
            get_slice(db, caller, pk).project_pk
            if kind == "sliceinstance"
            else get_instance(db, caller, pk).project_pk
        ]
    else:
        project_pks = list(
            db.scalars(select(ImageInstance.project_pk).where(ImageInstance.base_image_pk == a.pk))
        )
    for project_pk in project_pks:
        project = db.get(Project, project_pk)
        access = project_access(db, caller, project_pk)
        if project is None or project.deleted is not None or access is None:
            continue
        if project.are_images_downloadable or access is Access.ADMIN:
            return
    raise forbidden("Images of this project cannot be downloaded (areImagesDownloadable is off)")


def _routes(kind: str) -> None:
    """The pixel routes of one image kind (explicit paths: no catch-all ``/api/{kind}``)."""

    @router.get(
        f"/api/{kind}/{{pk}}/normalized-tile/zoom/{{zoom}}/tx/{{tx}}/ty/{{ty}}.{{fmt}}",
        response_class=Response,
        name=f"{kind}_tile",
    )
    async def tile(
        pk: int,
        zoom: int,
        tx: int,
        ty: int,
        fmt: str,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Response:
        return await _tile(kind, pk, zoom, tx, ty, fmt, request, db, caller)

    @router.get(f"/api/{kind}/{{pk}}/thumb.{{fmt}}", response_class=Response, name=f"{kind}_thumb")
    @router.get(
        f"/api/{kind}/{{pk}}/preview.{{fmt}}", response_class=Response, name=f"{kind}_preview"
    )
    def thumb(
        pk: int,
        fmt: str,
        request: Request,
        maxSize: int = 512,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Response:
        """A whole-image thumbnail whose longer side is ``maxSize`` (default 512)."""
        fmt = _fmt(fmt)
        a = _resolve(db, caller, kind, pk)
        return _scaled(request, a, 0, 0, a.width, a.height, maxSize, fmt)

    @router.get(
        f"/api/{kind}/{{pk}}/window-{{x}}-{{y}}-{{w}}-{{h}}.{{fmt}}",
        response_class=Response,
        name=f"{kind}_window",
    )
    def window(
        pk: int,
        x: int,
        y: int,
        w: int,
        h: int,
        fmt: str,
        request: Request,
        maxSize: int = 1024,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Response:
        """A level-0 region, ``y`` from the TOP (as Cytomine's window), scaled to ``maxSize``."""
        fmt = _fmt(fmt)
        a = _resolve(db, caller, kind, pk)
        return _scaled(request, a, x, y, w, h, maxSize, fmt)

    @router.get(f"/api/{kind}/{{pk}}/download", response_class=FileResponse, name=f"{kind}_dl")
    def download(
        pk: int,
        request: Request,
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> FileResponse:
        a = _resolve(db, caller, kind, pk)
        _require_download(db, caller, kind, pk, a)
        path = slide_path(request, a)
        return FileResponse(path, filename=a.original_filename or Path(path).name)


for _kind in ("sliceinstance", "abstractslice", "imageinstance", "abstractimage"):
    _routes(_kind)
