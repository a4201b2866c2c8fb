"""The seam between the Qt view and the slide layer's thread-based ``TileLoader``.

The loader calls back on its worker threads; ``TileEvents`` turns those calls into Qt
signals that the view receives on the UI thread (queued connections), so no widget is
ever touched from a worker.  ``LoaderFactory`` lets tests and benchmarks wrap or replace
the loader without the view knowing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop_app.slide.cache import TileCache
from desktop_app.slide.loader import TileLoader
from desktop_app.slide.source import SlideSource, TileKey

ReadyCallback = Callable[[TileKey], None]
ErrorCallback = Callable[[TileKey, BaseException], None]
LoaderFactory = Callable[[SlideSource, TileCache, ReadyCallback, ErrorCallback], TileLoader]
#: Decoding threads: OpenSlide releases the GIL while decoding, but more threads than
#: cores only add GIL contention with the UI thread (measured on 2 cores).
DEFAULT_WORKERS = max(2, min(4, os.cpu_count() or 2))


def default_loader(
    source: SlideSource, cache: TileCache, on_ready: ReadyCallback, on_error: ErrorCallback
) -> TileLoader:
    return TileLoader(source, cache, on_ready, workers=DEFAULT_WORKERS, on_error=on_error)


class TileEvents(QObject):
    """Loader callbacks (any thread) re-emitted as signals (delivered on the UI thread)."""

    ready = Signal(object)
    failed = Signal(object, str)

    def on_ready(self, key: TileKey) -> None:
        with contextlib.suppress(RuntimeError):  # the view was deleted mid-flight
            self.ready.emit(key)

    def on_error(self, key: TileKey, exc: BaseException) -> None:
        with contextlib.suppress(RuntimeError):
            self.failed.emit(key, str(exc) or type(exc).__name__)
