"""Opens slides off the UI thread and reports back through queued signals.

``open_slide`` parses the file's directory and pyramid (tens of milliseconds, more on
a network drive), and opening a cached image (``open_image``, usually
``ImageOpener.open``) may read its first tile from the server; either would visibly
freeze the window.  Each request carries a sequence number so a slow open that
finishes after a newer one is discarded.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from desktop_app.slide.source import SlideError, SlideSource

log = logging.getLogger(__name__)

OpenSlideFn = Callable[[Path], SlideSource]
OpenImageFn = Callable[[int], SlideSource]


class SlideOpener(QObject):
    """``open(path)`` or ``open_image(image_pk, label)`` -> ``opened(label, source)`` or
    ``failed(label, message)``; ``label`` is the file path, or the image's name as a Path."""

    opened = Signal(object, object)
    failed = Signal(object, str)
    _done = Signal(int, object, object, str)

    def __init__(
        self,
        open_slide: OpenSlideFn,
        parent: QObject | None = None,
        *,
        open_image: OpenImageFn | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_slide = open_slide
        self._open_image = open_image
        self._seq = 0
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    def open(self, path: Path) -> None:
        self._start(path, lambda: self._open_slide(path))

    def open_image(self, image_pk: int, label: Path) -> None:
        """Open a cached image by pk (its file, or streamed from the server)."""
        opener = self._open_image
        if opener is None:
            raise RuntimeError("this window opens files only (no open_image given)")
        self._start(label, lambda: opener(image_pk))

    def _start(self, path: Path, make: Callable[[], SlideSource]) -> None:
        self._seq += 1
        seq = self._seq
        threading.Thread(
            target=self._work, args=(seq, path, make), name="slide-open", daemon=True
        ).start()

    def _work(self, seq: int, path: Path, make: Callable[[], SlideSource]) -> None:
        try:
            source = make()
        except SlideError as exc:
            self._done.emit(seq, path, None, str(exc) or "cannot open this slide")
        except Exception as exc:  # never a traceback for the user; keep it in the log
            log.exception("unexpected error opening %s", path)
            self._done.emit(seq, path, None, f"unexpected error: {exc}")
        else:
            self._done.emit(seq, path, source, "")

    def _on_done(self, seq: int, path: Path, source: SlideSource | None, message: str) -> None:
        if seq != self._seq:  # superseded by a newer open
            if source is not None:
                source.close()
            return
        if source is None:
            self.failed.emit(path, message)
        else:
            self.opened.emit(path, source)
