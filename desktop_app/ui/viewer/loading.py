"""The seam between the Qt view and the slide layer's thread-based ``TileLoader``.

The loader calls back on its worker threads; ``TileEvents`` turns those calls into Qt
signals that the view receives on the UI thread (queued connections), so no widget is
ever touched from a worker.  Arrivals are *batched*: a worker first runs ``prepare`` (the
view's per-tile work that can run anywhere -- today only the brightness/contrast LUT, as
tiles are cached in display order already -- so its GIL time stays off the UI thread),
appends ``(key, prepared)`` to a list, and only the append that makes the list non-empty
posts a queued ``batch_ready``; the UI thread ``take``s everything that arrived meanwhile
in one call.  While the UI thread is busy painting, tiles pile up instead of queueing one
Python slot invocation each.  ``LoaderFactory`` lets tests and benchmarks wrap or replace
the loader without the view knowing.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.slide.cache import TileCache
from desktop_app.slide.loader import TileLoader
from desktop_app.slide.source import SlideSource, TileKey

ReadyCallback = Callable[[TileKey], None]
ErrorCallback = Callable[[TileKey, BaseException], None]
LoaderFactory = Callable[[SlideSource, TileCache, ReadyCallback, ErrorCallback], TileLoader]
#: Decoding threads: one core is left to the UI thread.  With as many decoders as
#: cores, the UI thread waited for a core and for the GIL behind them even at nice +5:
#: on 2 cores the event loop's longest stall over the bench's tour was 17-56 ms with 2
#: decoders (median of 8 runs 37 ms) and 15-51 ms with 1 (median 20), while one delivers
#: 1.1-2.4x the tiles/s of raw ``read_region`` at the same thread count
#: (docs/performance-history.md, viewer round 4).  More threads than cores only add GIL
#: contention.
DEFAULT_WORKERS = max(1, min(4, (os.cpu_count() or 2) - 1))
#: How much nicer than the UI thread the decoding threads run: not at all.  A nicer
#: decoder does leave a free core to the UI thread sooner, but on a busy machine the
#: OS also runs it far behind every other process, and when it is descheduled while
#: holding the GIL the UI thread waits for it: with +5, 3 of 4 bench phases (one CPU
#: hog beside the bench, load 13-20) had 24-91 ms event-loop stalls that were neither
#: run-queue wait nor UI work, and the decoder lost CPU to the hog (CPU per delivered
#: tile 0.89-1.71x raw OpenSlide's, 50-79 tiles/s); at 0, none in 4 phases, 0.53-0.84x,
#: 79-128 tiles/s (docs/performance.md, issue 16).
LOADER_NICE = 0


def default_loader(
    source: SlideSource,
    cache: TileCache,
    on_ready: ReadyCallback,
    on_error: ErrorCallback,
    workers: int = DEFAULT_WORKERS,
    idle: bool = False,
) -> TileLoader:
    """The view's loader; ``idle``: decoders in the OS's idle class (see ``TileLoader``),
    for benchmarks to compare, not the app's default."""
    return TileLoader(
        source, cache, on_ready, workers=workers, on_error=on_error, nice=LOADER_NICE, idle=idle
    )


PrepareCallback = Callable[[TileKey], Any]


class TileEvents(QObject):
    """Loader callbacks (any thread) re-emitted as signals (delivered on the UI thread).

    ``batch_ready`` means "call ``take()``"; ``failed(key, message)`` is per tile.
    """

    batch_ready = Signal()
    failed = Signal(object, str)

    def __init__(self, parent: QObject | None = None, prepare: PrepareCallback | None = None):
        super().__init__(parent)
        self._prepare = prepare
        self._lock = threading.Lock()
        self._pending: list[tuple[TileKey, Any]] = []

    def on_ready(self, key: TileKey) -> None:
        """Worker thread: prepare the tile for display, then queue it for the UI."""
        prepared = None
        if self._prepare is not None:
            try:
                prepared = self._prepare(key)
            except Exception:  # the UI converts lazily instead
                prepared = None
        with self._lock:
            first = not self._pending
            self._pending.append((key, prepared))
        if first:
            with contextlib.suppress(RuntimeError):  # the view was deleted mid-flight
                self.batch_ready.emit()

    def take(self) -> list[tuple[TileKey, Any]]:
        """UI thread: every ``(key, prepared)`` delivered since the last call."""
        with self._lock:
            batch, self._pending = self._pending, []
        return batch

    def on_error(self, key: TileKey, exc: BaseException) -> None:
        with contextlib.suppress(RuntimeError):
            self.failed.emit(key, str(exc) or type(exc).__name__)
