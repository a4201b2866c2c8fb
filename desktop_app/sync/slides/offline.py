"""Making a project's images available offline: the plan (with sizes) and the download.

Used by ``workstation checkout`` and the image browser's "Make available offline".
The project's records come from the metadata checkout (``checkout.py``: project,
members, ontology, image rows); the pixels from :func:`slides.download_for_offline`,
either as the original file or as tiles down to a magnification.  Both resume where
an interrupted run stopped, so running the same checkout again finishes the job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.project import Project
from desktop_app.slide.disk_cache import DiskTileCache
from desktop_app.slide.pyramid import TILE, level_for_magnification, remote_info
from desktop_app.store.uow import Store
from desktop_app.sync.pull import checkout
from desktop_app.sync.slides.sources import OfflineResult, download_for_offline, remote_slide_id
from desktop_app.sync.transport.binary import send
from desktop_app.sync.transport.http import CytomineClient, SyncHttpError

#: A rough mean size of one 256-px JPEG tile, for the estimate shown before a download.
TILE_BYTES_ESTIMATE = 12_000

Progress = Callable[[int, int], None]


class CheckoutError(ValueError):
    """A checkout that cannot start; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class OfflineItem:
    """One image to make available offline, with what it will cost."""

    image_pk: int
    server_id: int
    name: str
    mode: str  # file | tiles
    magnification: float | None  # tiles: down to this magnification
    tiles: int
    bytes_estimate: int
    exact: bool  # the size comes from the server (file), not an estimate
    #: The server refuses the file (403: the project keeps its images' files on the
    #: server, ``areImagesDownloadable`` off); nothing will download, the tiles will.
    refused: bool = False


def ensure_project(store: Store, client: CytomineClient, ref: str) -> int:
    """The local pk of project ``ref`` (server id, ``local:<pk>``, uid or name); a server
    project not in the cache yet is checked out first (records only, no pixels)."""
    with store.read() as s:
        conditions = [Project.uid == ref, Project.name == ref]
        if ref.startswith("local:") and ref[6:].isdigit():
            conditions = [Project.pk == int(ref[6:])]
        elif ref.isdigit():
            conditions.insert(0, Project.server_id == int(ref))
        for cond in conditions:
            pk = s.scalar(select(Project.pk).where(cond, Project.local_deleted.is_(False)))
            if pk is not None:
                return int(pk)
    if not ref.isdigit():
        raise CheckoutError(f"no project {ref!r} in the cache (give its server id to fetch it)")
    bundle = checkout.fetch_project(client, int(ref))
    return checkout.apply_project(store, bundle)


def select_images(store: Store, project_pk: int, images: str = "all") -> list[int]:
    """Image pks of the project: ``all`` or a comma list of server ids or local ids."""
    with store.read() as s:
        rows = s.execute(
            select(ImageInstance.pk, ImageInstance.server_id).where(
                ImageInstance.project_pk == project_pk, ImageInstance.local_deleted.is_(False)
            )
        ).all()
    if images.strip().lower() == "all":
        return [pk for pk, _ in rows]
    by_server = {sid: pk for pk, sid in rows if sid is not None}
    local = {pk for pk, _ in rows}
    out: list[int] = []
    for raw in (x.strip() for x in images.split(",") if x.strip()):
        if not raw.isdigit():
            raise CheckoutError(f"--images takes 'all' or image ids separated by commas: {raw!r}")
        pk = by_server.get(int(raw)) or (int(raw) if int(raw) in local else None)
        if pk is None:
            raise CheckoutError(f"image {raw} is not in this project")
        out.append(pk)
    return out


def plan(
    store: Store,
    client: CytomineClient,
    image_pks: list[int],
    *,
    mode: str,
    magnification: float | None = None,
) -> list[OfflineItem]:
    """What each image will cost; images without a server copy are left out."""
    items = []
    with store.read() as s:
        rows = s.execute(
            select(ImageInstance, AbstractImage)
            .join(AbstractImage, AbstractImage.pk == ImageInstance.base_image_pk)
            .where(ImageInstance.pk.in_(image_pks))
            .order_by(ImageInstance.pk)
        ).all()
    for inst, abstract in rows:
        if inst.server_id is None:
            continue
        name = Path(inst.instance_filename or abstract.original_filename or "image").name
        mag = inst.magnification or abstract.magnification
        info = remote_info(
            abstract.width,
            abstract.height,
            mpp_x=inst.physical_size_x or abstract.physical_size_x,
            magnification=mag,
        )
        level = level_for_magnification(info, magnification) if magnification else 0
        tiles = sum(-(-w // TILE) * -(-h // TILE) for w, h in info.level_dimensions[level:])
        if mode == "file":
            size, refused = _file_size(client, inst.server_id)
            items.append(
                OfflineItem(
                    inst.pk,
                    inst.server_id,
                    name,
                    mode,
                    None,
                    0,
                    size or 0,
                    size is not None,
                    refused,
                )
            )
        else:
            got = info.objective_power / 2**level if info.objective_power else None
            items.append(
                OfflineItem(
                    inst.pk,
                    inst.server_id,
                    name,
                    mode,
                    got,
                    tiles,
                    tiles * TILE_BYTES_ESTIMATE,
                    False,
                )
            )
    return items


def _file_size(client: CytomineClient, image_sid: int) -> tuple[int | None, bool]:
    """Content-Length of the download, read from the answer's headers only, and whether
    the server refuses the file (403)."""
    try:
        resp = send(client, "GET", f"/api/imageinstance/{image_sid}/download", stream=True)
    except SyncHttpError as exc:  # the size is informative: the download reports errors
        return None, exc.status == 403
    with resp:
        length = resp.headers.get("content-length")
    return (int(length) if length and length.isdigit() else None), False


def make_offline(
    store: Store,
    client: CytomineClient,
    item: OfflineItem,
    *,
    slides_dir: Path,
    tiles: DiskTileCache,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> OfflineResult:
    """Download one planned item (resumable; see ``download_for_offline``)."""
    return download_for_offline(
        client,
        store,
        item.image_pk,
        mode=item.mode,
        slides_dir=slides_dir,
        tiles=tiles,
        magnification=item.magnification,
        progress=progress,
        cancel=cancel,
    )


def remove_offline(
    store: Store, image_pk: int, *, slides_dir: Path, tiles: DiskTileCache, base_url: str | None
) -> bool:
    """Forget an image's offline copy: the downloaded file (only one under ``slides_dir``,
    never a slide the user opened from elsewhere) and its pinned tiles."""
    removed = False
    with store.unit_of_work(undoable=False) as uow:
        inst = uow.session.get(ImageInstance, image_pk)
        if inst is None:
            raise CheckoutError(f"image {image_pk} is not in the cache")
        abstract = inst.base_image
        path = Path(abstract.path) if abstract.path else None
        if path is not None and slides_dir.resolve() in path.resolve().parents:
            if inst.server_id is None:
                raise CheckoutError("this image is not on the server: its file is its only copy")
            path.unlink(missing_ok=True)
            abstract.path = None
            removed = True
        sids = [("a", abstract.server_id), ("i", inst.server_id)]
    if tiles.root.is_dir():
        for kind, sid in sids:
            if sid is None:
                continue
            for slide_dir in tiles.root.glob(f"*-{kind}{sid}"):
                ours = base_url is None or slide_dir.name == remote_slide_id(base_url, kind, sid)
                if ours and tiles.pin_info(slide_dir.name) is not None:
                    tiles.unpin(slide_dir.name)
                    removed = True
    return removed
