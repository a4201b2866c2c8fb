"""Thumbnails for the image grid, loaded on a worker lane and kept in a bounded LRU.

``get`` never blocks: it returns the decoded image when it is in memory, else ``None``
and queues its load (disk cache, local slide or server: ``sync.thumbnails``), and
``ready(image_pk)`` fires on the UI thread when it arrives.  Only items being painted
ask, so scrolling 20,000 images loads what is on screen, never the whole project.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QImage

from desktop_app.core.lru import ByteLRU
from desktop_app.services.projects import ImageRow
from desktop_app.sync.slides.thumbnails import Thumbnails
from desktop_app.ui.lanes import Lane

#: Thumbnails kept decoded: ~600 of 160 x 120 RGB32.
MAX_IN_MEMORY_BYTES = 48 * 1024 * 1024


def _decode(thumbs: Thumbnails, row: ImageRow, size: int) -> tuple[int, QImage | None]:
    """Worker side: bytes from the thumbnail store, decoded and scaled (QImage is safe
    off the UI thread; QPixmap is not)."""
    data = thumbs.get(row.uid, row.path, row.server_id)
    if not data:
        return row.pk, None
    image = QImage.fromData(data)
    if image.isNull():
        return row.pk, None
    return row.pk, image.scaled(
        size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def _image_bytes(image: QImage | None) -> int:
    return 1 if image is None else image.sizeInBytes()


class ThumbnailLoader(QObject):
    """In-memory LRU in front of the on-disk thumbnail store."""

    ready = Signal(int)

    def __init__(self, thumbs: Thumbnails, size: int = 160, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thumbs = thumbs
        self._size = size
        self._lane = Lane("thumbnails", self)
        # A failed thumbnail is remembered as None (counted as one byte).
        self._images: ByteLRU[int, QImage | None] = ByteLRU(MAX_IN_MEMORY_BYTES, _image_bytes)
        self._pending: set[int] = set()
        self._blank: QImage | None = None

    @property
    def busy(self) -> bool:
        return self._lane.busy

    def get(self, row: ImageRow) -> QImage | None:
        """The thumbnail when loaded, else ``None`` (and its load is queued)."""
        if row.pk in self._images:
            return self._images.get(row.pk)
        if row.pk not in self._pending:
            self._pending.add(row.pk)
            self._lane.submit(_decode, self._thumbs, row, self._size, on_done=self._arrived)
        return None

    def icon(self, row: ImageRow) -> QImage:
        """What the grid paints: the thumbnail, or a full-size placeholder until it
        arrives (so every grid cell has its final size from the first paint)."""
        image = self.get(row)
        return image if image is not None else self._placeholder

    @property
    def _placeholder(self) -> QImage:
        if self._blank is None:
            self._blank = QImage(self._size, self._size * 3 // 4, QImage.Format.Format_RGB32)
            self._blank.fill(QColor("#E0E0E0"))
        return self._blank

    def _arrived(self, result: tuple[int, QImage | None]) -> None:
        pk, image = result
        self._pending.discard(pk)
        self._images.put(pk, image)
        self.ready.emit(pk)

    def forget(self, image_pk: int) -> None:
        self._images.pop(image_pk)

    def shutdown(self) -> None:
        self._lane.shutdown()
        self._thumbs.close()
