"""One place that turns a cached image into a slide source: its file, or the server's tiles.

The CLI (``workstation open``, ``--screenshot``) and the GUI (``MainWindow.open_image``,
the project browser's double-click) both call :meth:`ImageOpener.open`, so an image
pulled from a server opens the same way everywhere: from its downloaded or locally
opened file when that opens, else streamed through the server's normalized-tile
endpoint into the disk tile cache (``<data dir>/tiles``), which keeps what was seen.

Opening a streamed image reads its coarsest tile first (one small request, cached on
disk).  When that fails because the server cannot be reached and the tile is not on
disk, :class:`ImageUnavailable` says which images *are* available offline and how
to make one so, instead of a viewer full of failed tiles.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.slide.disk_cache import DiskTileCache
from desktop_app.slide.remote_source import RemoteSlideSource
from desktop_app.slide.source import SlideError, SlideSource, TileKey, WrappedSource
from desktop_app.store.uow import Store
from desktop_app.sync.slides.sources import remote_slide_id, source_for_image
from desktop_app.sync.transport import credentials
from desktop_app.sync.transport.http import CytomineClient

ClientFactory = Callable[[], CytomineClient]
TILE_DIR = "tiles"
MAKE_OFFLINE_HINT = (
    "To keep an image for offline work, run `workstation download IMAGE` while online "
    "(or view it once online: the tiles seen stay on disk)"
)


class ImageUnavailable(SlideError):
    """The image is neither on disk nor reachable on the server; the message says what is."""


@dataclass(frozen=True, slots=True)
class OfflineImage:
    """An image of the cache that opens without a network, and how (``file``/``tiles``)."""

    pk: int
    server_id: int | None
    name: str
    how: str

    def label(self) -> str:
        sid = f", server id {self.server_id}" if self.server_id is not None else ""
        return f"{self.pk} {self.name} ({self.how}{sid})"


class ImageSource(WrappedSource):
    """A slide source that knows which cached image it shows, so the annotation layer
    follows the image (not a file path, which a streamed image does not have)."""

    def __init__(self, inner: SlideSource, image_pk: int, name: str) -> None:
        super().__init__(inner)
        self.image_pk = image_pk
        self.name = name

    @property
    def remote(self) -> bool:
        return isinstance(self.inner, RemoteSlideSource)

    @property
    def path(self) -> Path | None:
        """The local slide file, ``None`` when streamed."""
        raw = getattr(self.inner, "path", None)
        return Path(raw) if raw else None

    def close(self) -> None:
        """The wrapper owns its inner source (made by :meth:`ImageOpener.open`)."""
        self.inner.close()


class ImageOpener:
    """Opens cached images for one data dir (its cache, tile folder and login)."""

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        *,
        tiles: DiskTileCache | None = None,
        client_factory: ClientFactory | None = None,
    ) -> None:
        """``tiles``: the data dir's tile cache, given by the owner that also hands it to
        the other writers of that folder (downloads, removals); without it the opener
        makes and owns one (a command that only opens images)."""
        self._store = store
        self._data_dir = Path(data_dir)
        self._tiles = tiles if tiles is not None else DiskTileCache(self._data_dir / TILE_DIR)
        self._client_factory = client_factory or self._stored_client

    @property
    def tiles(self) -> DiskTileCache:
        return self._tiles

    def _stored_client(self) -> CytomineClient:
        """A client from this data dir's login (reads files and the keyring, no network)."""
        creds = credentials.load(self._data_dir)
        return CytomineClient(creds.server_url, creds.public_key, creds.private_key)

    def open(self, image_pk: int, *, probe: bool = True) -> ImageSource:
        """The image's slide source (blocking: call it off the UI thread).

        ``probe`` reads the coarsest tile of a streamed image so "offline and not on
        disk" is one clear :class:`ImageUnavailable` instead of failing tiles.
        """
        name = self._name(image_pk)
        try:
            source = source_for_image(
                self._store,
                image_pk,
                tiles=self._tiles,
                client_factory=self._client_factory,
            )
        except SlideError as exc:
            if "not signed in" in str(exc):
                raise ImageUnavailable(
                    f"{exc}; run `workstation login` first. {self.offline_summary()}"
                ) from None
            raise
        if probe and isinstance(source, RemoteSlideSource):
            try:
                self._probe(source)
            except SlideError as exc:
                source.close()
                if source.offline:
                    raise ImageUnavailable(
                        f"{name} is not available offline and the server cannot be reached. "
                        f"{self.offline_summary()}"
                    ) from None
                raise SlideError(f"{name}: {exc}") from None
        return ImageSource(source, image_pk, name)

    @staticmethod
    def _probe(source: RemoteSlideSource) -> None:
        level = source.info.level_count - 1
        source.read_tile(TileKey(source.slide_id, level, 0, 0))

    def _name(self, image_pk: int) -> str:
        with self._store.read() as s:
            row = s.execute(
                select(
                    ImageInstance.instance_filename,
                    AbstractImage.original_filename,
                    AbstractImage.filename,
                )
                .join(AbstractImage, ImageInstance.base_image_pk == AbstractImage.pk)
                .where(ImageInstance.pk == image_pk)
            ).first()
        if row is None:
            raise SlideError(f"image {image_pk} is not in the local cache")
        return Path(next((n for n in row if n), f"image-{image_pk}")).name

    # --- what works offline ----------------------------------------------------------
    def offline_images(self) -> list[OfflineImage]:
        """Images that open without the server: a slide file on disk, or tiles in the
        disk cache (``tiles``: kept for offline; ``tiles seen``: only what was viewed)."""
        base_url = _server_url(self._data_dir)
        cache = self._tiles
        found: list[OfflineImage] = []
        with self._store.read() as s:
            rows = s.execute(
                select(ImageInstance, AbstractImage)
                .join(AbstractImage, ImageInstance.base_image_pk == AbstractImage.pk)
                .where(ImageInstance.local_deleted.is_(False))
                .order_by(ImageInstance.pk)
            ).all()
            for inst, abstract in rows:
                name = Path(
                    inst.instance_filename or abstract.original_filename or abstract.filename or ""
                ).name
                how = _offline_how(cache, base_url, inst, abstract)
                if how:
                    found.append(OfflineImage(inst.pk, inst.server_id, name, how))
        return found

    def offline_summary(self) -> str:
        images = self.offline_images()
        listed = "; ".join(i.label() for i in images) if images else "none"
        return f"Available offline: {listed}. {MAKE_OFFLINE_HINT}."


def _offline_how(
    cache: DiskTileCache, base_url: str | None, inst: ImageInstance, abstract: AbstractImage
) -> str:
    if abstract.path and Path(abstract.path).is_file():
        return "file"
    if base_url is None:
        return ""
    if abstract.server_id is not None:
        slide_id = remote_slide_id(base_url, "a", abstract.server_id)
    elif inst.server_id is not None:
        slide_id = remote_slide_id(base_url, "i", inst.server_id)
    else:
        return ""
    pinned = cache.pin_info(slide_id)
    if pinned and pinned.get("complete"):
        return "tiles"
    folder = cache.slide_dir(slide_id)
    if folder.is_dir() and any(folder.rglob("*.jpg")):
        return "tiles seen"
    return ""


def _server_url(data_dir: Path) -> str | None:
    """The logged-in server's URL from the login file (no keyring needed)."""
    try:
        info = json.loads((data_dir / credentials.CONFIG_NAME).read_text())
        return str(info["server_url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


__all__ = ["ImageOpener", "ImageSource", "ImageUnavailable", "OfflineImage"]
