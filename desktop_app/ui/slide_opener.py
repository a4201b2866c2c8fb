"""Opens slides off the UI thread (on a :class:`Lane`) and reports back through signals.

``open_slide`` parses the file's directory and pyramid (tens of milliseconds, more on
a network drive), and opening a cached image (``open_image``, usually
``ImageOpener.open``) may read its first tile from the server; either would visibly
freeze the window.  Opens are "latest wins": a slow open that finishes after a newer
one is discarded (its source closed), and two workers let a newer open start while
an older one is stuck on a slow drive.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop_app.slide.source import SlideError, SlideSource
from desktop_app.ui.lanes import Lane

OpenSlideFn = Callable[[Path], SlideSource]
OpenImageFn = Callable[[int], SlideSource]


def open_error(exc: BaseException) -> str:
    """The user's message for a failed open (the lane logs unexpected errors in full)."""
    if isinstance(exc, SlideError):
        return str(exc) or "cannot open this slide"
    return f"unexpected error: {exc}"


def _release(source: SlideSource) -> None:
    source.close()


class SlideOpener(QObject):
    """``open(path)`` or ``open_image(image_pk, label)`` -> ``opened(label, source)`` or
    ``failed(label, message)``; ``label`` is the file path, or the image's name as a Path."""

    opened = Signal(object, object)
    failed = Signal(object, str)

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
        self.lane = Lane(
            "slide-open", self, workers=2, user_errors=(SlideError,), abandon_at_exit=True
        )

    def open(self, path: Path) -> None:
        self._start(path, partial(self._open_slide, path))

    def open_image(self, image_pk: int, label: Path) -> None:
        """Open a cached image by pk (its file, or streamed from the server)."""
        opener = self._open_image
        if opener is None:
            raise RuntimeError("this window opens files only (no open_image given)")
        self._start(label, partial(opener, image_pk))

    def _start(self, label: Path, make: Callable[[], SlideSource]) -> None:
        self.lane.submit(
            make,
            key="open",
            on_done=lambda source: self.opened.emit(label, source),
            on_error=lambda exc: self.failed.emit(label, open_error(exc)),
            on_dropped=_release,
        )
