"""Slides for offline work: stream tiles, download files or tiles, choose a source.

The viewer only sees a ``SlideSource``.  :func:`source_for_image` picks the local file
when there is one that opens (a downloaded or locally opened slide), else a
``RemoteSlideSource`` whose tiles come from the server and stay on disk, so what was
seen or downloaded once keeps working with the network unplugged.  Building a source
never touches the network: the image's size and calibration come from the cache, and
the first tile request is the first request.

:func:`download_for_offline` makes an image fully usable offline, either as the
original file (mode ``"file"``: resumable with HTTP Range, size-checked, atomically
renamed; the image then opens through OpenSlide) or as tiles down to a chosen
downsample (mode ``"tiles"``: bounded concurrency, resumable, pinned against eviction).
Uploading locally opened slides lives in :mod:`desktop_app.sync.slides.upload`.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from sqlalchemy import select

from desktop_app.model.image import AbstractImage, ImageInstance, SliceInstance
from desktop_app.slide.disk_cache import DiskTileCache
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.remote_source import (
    Fetch,
    OfflineError,
    RemoteSlideSource,
    level_for_magnification,
    remote_info,
)
from desktop_app.slide.source import SlideError, SlideSource
from desktop_app.slide.tiling import best_level
from desktop_app.store.uow import Store
from desktop_app.sync.slides.download import DownloadCancelled, download_file, safe_name
from desktop_app.sync.slides.upload import (
    UploadError,
    UploadResult,
    default_storage,
    images_to_upload,
    upload_local_slide,
)
from desktop_app.sync.transport.binary import send, tile_session
from desktop_app.sync.transport.http import (
    ClientError,
    CytomineClient,
    Offline,
    ServerError,
    SyncHttpError,
)

log = logging.getLogger(__name__)

__all__ = [
    "DownloadCancelled",
    "OfflineResult",
    "UploadError",
    "UploadResult",
    "default_storage",
    "download_for_offline",
    "images_to_upload",
    "make_fetch",
    "remote_slide_id",
    "source_for_image",
    "upload_local_slide",
]

Progress = Callable[[int, int], None]
ClientFactory = Callable[[], CytomineClient]


@dataclass(frozen=True, slots=True)
class OfflineResult:
    """What :func:`download_for_offline` did (``path`` for files, counts for tiles)."""

    mode: str
    path: Path | None = None
    fetched: int = 0
    skipped: int = 0
    total: int = 0
    complete: bool = True


@dataclass(frozen=True, slots=True)
class _ImageRef:
    """The cached facts about one image that the slide code needs (read once)."""

    name: str
    instance_sid: int | None
    abstract_pk: int
    abstract_sid: int | None
    slice_sid: int | None
    path: str | None
    width: int
    height: int
    mpp_x: float | None
    mpp_y: float | None
    magnification: float | None


def _image_ref(store: Store, image_pk: int) -> _ImageRef:
    with store.read() as s:
        inst = s.get(ImageInstance, image_pk)
        if inst is None:
            raise SlideError(f"image {image_pk} is not in the local cache")
        a = inst.base_image
        slice_sid = s.scalar(
            select(SliceInstance.server_id)
            .where(SliceInstance.image_pk == image_pk, SliceInstance.server_id.is_not(None))
            .order_by(SliceInstance.pk)
            .limit(1)
        )
        name = inst.instance_filename or a.original_filename or a.filename or f"image-{inst.pk}"
        return _ImageRef(
            name=Path(name).name,
            instance_sid=inst.server_id,
            abstract_pk=a.pk,
            abstract_sid=a.server_id,
            slice_sid=slice_sid,
            path=a.path,
            width=a.width,
            height=a.height,
            mpp_x=inst.physical_size_x or a.physical_size_x,
            mpp_y=inst.physical_size_y or a.physical_size_y,
            magnification=inst.magnification or a.magnification,
        )


# --- tiles over HTTP -------------------------------------------------------------------
def _get_bytes(client: CytomineClient, path: str) -> bytes:
    """Body of a signed GET; network trouble and 5xx become ``OfflineError`` (serve from
    the disk cache), refusals become ``SlideError`` with the server's message."""
    try:
        resp = send(client, "GET", path, session=tile_session())
        try:
            return resp.content
        finally:
            resp.close()
    except (Offline, ServerError) as exc:
        raise OfflineError(str(exc)) from None
    except requests.RequestException as exc:  # dropped while reading the body
        raise OfflineError(f"GET {path}: {type(exc).__name__}") from None
    except SyncHttpError as exc:
        raise SlideError(str(exc)) from None


def make_fetch(
    client: CytomineClient, slice_server_id: int, *, kind: str = "sliceinstance", fmt: str = "jpg"
) -> Fetch:
    """``fetch(zoom, tx, ty) -> bytes`` on the server's normalized-tile route of a slice
    (``kind`` may also be ``imageinstance``/``abstractimage``/``abstractslice``)."""
    base = f"/api/{kind}/{int(slice_server_id)}/normalized-tile/zoom"

    def fetch(zoom: int, tx: int, ty: int) -> bytes:
        return _get_bytes(client, f"{base}/{int(zoom)}/tx/{int(tx)}/ty/{int(ty)}.{fmt}")

    return fetch


class _LazyFetch:
    """Resolves the slice to ask for at the first tile, not when the viewer opens the
    image (opening must work offline).  Prefers the SliceInstance route (what stock
    Cytomine serves); falls back to the ImageInstance route our server also offers."""

    def __init__(self, client: CytomineClient, ref: _ImageRef) -> None:
        self._client = client
        self._ref = ref
        self._lock = threading.Lock()
        self._fetch: Fetch | None = (
            make_fetch(client, ref.slice_sid) if ref.slice_sid is not None else None
        )

    def _resolve(self) -> Fetch:
        with self._lock:
            if self._fetch is not None:
                return self._fetch
            sid = self._ref.instance_sid
            try:
                ref = self._client.get(f"/api/imageinstance/{sid}/sliceinstance/reference.json")
                fetch = make_fetch(self._client, int(ref["id"]))
            except (Offline, ServerError) as exc:
                raise OfflineError(str(exc)) from None
            except (ClientError, KeyError, TypeError, ValueError, SyncHttpError):
                fetch = make_fetch(self._client, int(sid or 0), kind="imageinstance")
            self._fetch = fetch
            return fetch

    def __call__(self, zoom: int, tx: int, ty: int) -> bytes:
        return self._resolve()(zoom, tx, ty)

    def thumbnail(self, name: str) -> bytes:
        if name != "thumbnail":
            raise SlideError(f"no {name} image on the server")
        return _get_bytes(self._client, f"/api/imageinstance/{self._ref.instance_sid}/thumb.jpg")


def remote_slide_id(base_url: str, ref_kind: str, server_id: int) -> str:
    """Disk-cache folder of a server image: host + abstract image id, so projects that
    share a slide share its tiles and two servers never mix theirs."""
    host = re.sub(r"[^A-Za-z0-9.-]", "_", urlsplit(base_url).netloc or "server")
    return f"{host}-{ref_kind}{int(server_id)}"


def _remote_source(
    client: CytomineClient, ref: _ImageRef, tiles: DiskTileCache
) -> RemoteSlideSource:
    if ref.instance_sid is None:
        raise SlideError(f"{ref.name}: the slide file is not here and the image is not on a server")
    if ref.abstract_sid is not None:
        slide_id = remote_slide_id(client.base_url, "a", ref.abstract_sid)
    else:
        slide_id = remote_slide_id(client.base_url, "i", ref.instance_sid)
    info = remote_info(
        ref.width,
        ref.height,
        mpp_x=ref.mpp_x,
        mpp_y=ref.mpp_y,
        magnification=ref.magnification,
        associated=("thumbnail",),
    )
    fetch = _LazyFetch(client, ref)
    return RemoteSlideSource(
        info,
        slide_id,
        fetch,
        tiles,
        associated=fetch.thumbnail,
        name=ref.name,
        offline_hint=(
            f"keep its tiles for offline work: workstation download {ref.instance_sid} --tiles"
        ),
    )


def source_for_image(
    store: Store,
    image_pk: int,
    *,
    tiles: DiskTileCache,
    client_factory: ClientFactory,
) -> SlideSource:
    """The source the viewer should read ``image_pk`` from: the local file if it exists
    and opens, else the server's tiles through the disk cache (works offline for the
    tiles already there).  ``client_factory`` is only called for remote images; it
    must not do network I/O (a ``CytomineClient`` from stored credentials)."""
    ref = _image_ref(store, image_pk)
    local_error: SlideError | None = None
    if ref.path and Path(ref.path).is_file():
        try:
            return open_slide(ref.path)
        except SlideError as exc:
            log.warning("local file of image %s does not open: %s", image_pk, exc)
            local_error = exc
    if ref.instance_sid is None:
        if local_error is not None:
            raise local_error
        raise SlideError(f"{ref.name}: the slide file is missing and the image is not on a server")
    try:
        client = client_factory()
    except Exception as exc:  # no credentials, keyring locked, ...
        raise SlideError(f"{ref.name}: not signed in to the server ({exc})") from None
    return _remote_source(client, ref, tiles)


# --- download for offline --------------------------------------------------------------
def download_for_offline(
    client: CytomineClient,
    store: Store,
    image_pk: int,
    *,
    mode: str = "file",
    slides_dir: Path | None = None,
    tiles: DiskTileCache | None = None,
    max_downsample: float = 1.0,
    magnification: float | None = None,
    workers: int = 4,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> OfflineResult:
    """Make an image usable offline; ``mode="file"`` needs ``slides_dir`` (the file lands
    in ``<slides_dir>/a<abstract id>/<name>``), ``mode="tiles"`` needs ``tiles`` and
    fetches every tile whose downsample is >= ``max_downsample`` (or down to
    ``magnification``).  Resumable after ``Offline``/``DownloadCancelled``."""
    ref = _image_ref(store, image_pk)
    if ref.instance_sid is None:
        raise SlideError(f"{ref.name} is not on the server: nothing to download")
    if mode == "file":
        if slides_dir is None:
            raise ValueError("mode='file' needs slides_dir")
        folder = f"a{ref.abstract_sid}" if ref.abstract_sid is not None else f"i{ref.instance_sid}"
        dest = Path(slides_dir) / folder / safe_name(ref.name, f"image-{ref.instance_sid}")
        url = f"/api/imageinstance/{ref.instance_sid}/download"
        path = download_file(client, url, dest, progress, cancel)
        with store.unit_of_work(undoable=False) as uow:
            a = uow.session.get(AbstractImage, ref.abstract_pk)
            assert a is not None
            a.path = str(path)
        return OfflineResult("file", path=path)
    if mode == "tiles":
        if tiles is None:
            raise ValueError("mode='tiles' needs tiles")
        source = _remote_source(client, ref, tiles)
        info = source.info
        if magnification is not None:
            finest = level_for_magnification(info, magnification)
        else:
            finest = best_level(info, max(1.0, max_downsample))
        total = source.count_tiles_down_to(finest)
        fetched, skipped = source.prefetch(
            finest, workers=workers, progress=progress, cancel=cancel
        )
        complete = fetched + skipped == total
        if not complete and cancel is not None and cancel.is_set():
            raise DownloadCancelled(f"{ref.name}: {fetched + skipped} of {total} tiles kept")
        return OfflineResult("tiles", fetched=fetched, skipped=skipped, total=total)
    raise ValueError(f"unknown mode {mode!r} (file or tiles)")
