"""Image thumbnails for the browser: from the local slide or the server, cached on disk.

A thumbnail is read once (the slide's coarsest level, or the server's
``/api/imageinstance/{id}/thumb.jpg?maxSize=N``) and written to
``<thumb_dir>/<image uid>-<N>.png|jpg``, so browsing a project again, or offline,
needs neither the slide nor the network.  Called on worker threads only.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from desktop_app.slide.disk_cache import atomic_write
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.source import SlideError
from desktop_app.sync.transport import credentials
from desktop_app.sync.transport.binary import send
from desktop_app.sync.transport.http import CytomineClient, SyncHttpError

ClientFactory = Callable[[], CytomineClient]


class Thumbnails:
    """Encoded thumbnail bytes (PNG or JPEG) of cached images, or ``None``."""

    def __init__(
        self, thumb_dir: Path, client_factory: ClientFactory | None, size: int = 256
    ) -> None:
        self.thumb_dir = Path(thumb_dir)
        self.size = size
        self._client_factory = client_factory
        self._client: CytomineClient | None = None

    def _cached(self, uid: str) -> Path | None:
        for ext in ("png", "jpg"):
            path = self.thumb_dir / f"{uid}-{self.size}.{ext}"
            if path.is_file():
                return path
        return None

    def get(self, uid: str, path: str | None, server_id: int | None) -> bytes | None:
        """The thumbnail of one image: disk cache, then local file, then the server."""
        cached = self._cached(uid)
        if cached is not None:
            return cached.read_bytes()
        data: bytes | None = None
        ext = "png"
        if path and Path(path).is_file():
            data = self._from_slide(Path(path))
        if data is None and server_id is not None:
            data, ext = self._from_server(server_id), "jpg"
        if data:
            atomic_write(self.thumb_dir / f"{uid}-{self.size}.{ext}", data)
        return data

    def _from_slide(self, path: Path) -> bytes | None:
        try:
            with open_slide(path) as source:
                info = source.info
                level = info.level_count - 1
                w, h = info.level_dimensions[level]
                pixels = source.read_region(level, 0, 0, w, h)
        except (SlideError, OSError):
            return None
        image = Image.fromarray(np.ascontiguousarray(pixels[:, :, :3]))
        image.thumbnail((self.size, self.size))
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()

    def _from_server(self, server_id: int) -> bytes | None:
        if self._client_factory is None:
            return None
        try:
            if self._client is None:
                self._client = self._client_factory()
            resp = send(
                self._client,
                "GET",
                f"/api/imageinstance/{int(server_id)}/thumb.jpg",
                params={"maxSize": self.size},
            )
            with resp:
                return resp.content or None
        except (SyncHttpError, OSError, credentials.CredentialError):  # no thumbnail
            return None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
