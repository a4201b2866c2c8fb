"""Background tile decoding with "latest view wins" scheduling.

Why not ``executor.submit`` per tile: when the user pans quickly, hundreds of queued
tiles become useless before a worker reaches them.  Here each ``request`` *replaces* the
wanted list (visible tiles centre-out, then prefetch), so stale work is dropped before
it is decoded; a generation counter records each replacement.  A tile being decoded is
never queued again (in-flight de-duplication), so one tile is never decoded twice at
the same time.  Workers call ``on_ready`` after the tile is in the cache, on the worker
thread - the UI marshals that to its own thread (e.g. a queued Qt signal).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Sequence

from desktop_app.slide.cache import TileCache
from desktop_app.slide.source import SlideSource, TileKey

log = logging.getLogger(__name__)

ReadyCallback = Callable[[TileKey], None]
ErrorCallback = Callable[[TileKey, BaseException], None]


class TileLoader:
    """Decodes requested tiles of one ``SlideSource`` into a ``TileCache`` on worker
    threads.  Tiles already cached are skipped (the caller draws those directly); a tile
    that failed is not retried until ``clear_failures()``."""

    def __init__(
        self,
        source: SlideSource,
        cache: TileCache,
        on_ready: ReadyCallback,
        workers: int = 4,
        on_error: ErrorCallback | None = None,
        nice: int = 0,
        idle: bool = False,
    ) -> None:
        """``nice`` > 0 lowers the workers' OS scheduling priority (Linux: per thread),
        so a UI thread in the same process gets a core first when one becomes free:
        the workers use the idle time, and the UI never waits behind a decode in the
        run queue.  A worker holding the GIL is still scheduled (only de-prioritised),
        and it drops the GIL within ``sys.getswitchinterval()`` when another thread
        asks, so the UI thread is not starved through the GIL either.

        ``idle`` puts the workers in the OS's idle scheduling class (Linux
        ``SCHED_IDLE``, allowed without privileges, and one-way: a thread cannot leave
        it): a worker then runs only on a core no normal thread wants, so a waking UI
        thread never queues behind it -- but on a machine with more runnable threads
        than cores a worker holding the GIL may not run for hundreds of milliseconds,
        and the UI thread waits for the GIL that long (docs/performance-history.md).
        Off by default; ``viewer_bench.py --loader-idle`` measures it."""
        if workers < 1:
            raise ValueError("workers must be >= 1")
        self._source = source
        self._cache = cache
        self._on_ready = on_ready
        self._on_error = on_error
        self._nice = nice
        self._idle = idle
        self._cond = threading.Condition()
        self._queue: deque[TileKey] = deque()
        self._in_flight: set[TileKey] = set()
        self._failed: set[TileKey] = set()
        self._generation = 0
        self._stopping = False
        self.decoded = 0  # tiles read from the source
        self.dropped = 0  # queued tiles discarded by a newer request
        self.errors = 0
        self._threads = [
            threading.Thread(target=self._run, name=f"tile-loader-{i}", daemon=True)
            for i in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    @property
    def generation(self) -> int:
        """Incremented by every ``request``; queued work from older generations is gone."""
        with self._cond:
            return self._generation

    @property
    def pending(self) -> int:
        """Tiles queued or being decoded."""
        with self._cond:
            return len(self._queue) + len(self._in_flight)

    def request(self, visible: Sequence[TileKey], prefetch: Sequence[TileKey] = ()) -> None:
        """Replace the wanted tiles: ``visible`` in the given (centre-out) order first,
        then ``prefetch`` (ring, neighbouring level).  Cached, in-flight and failed tiles
        are skipped; queued tiles not in the new request are dropped."""
        wanted: list[TileKey] = []
        seen: set[TileKey] = set()
        for key in (*visible, *prefetch):
            if key in seen:
                continue
            seen.add(key)
            if self._cache.contains(key):
                continue
            wanted.append(key)
        with self._cond:
            if self._stopping:
                return
            self._generation += 1
            self.dropped += sum(1 for key in self._queue if key not in seen)
            self._queue = deque(
                key for key in wanted if key not in self._in_flight and key not in self._failed
            )
            self._cond.notify_all()

    def cancel(self) -> None:
        """Drop everything queued (tiles being decoded still finish)."""
        self.request(())

    def clear_failures(self) -> None:
        """Allow tiles that failed before to be requested again."""
        with self._cond:
            self._failed.clear()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is queued or in flight (for tests and benchmarks)."""
        with self._cond:
            return self._cond.wait_for(
                lambda: not self._queue and not self._in_flight, timeout=timeout
            )

    def shutdown(self, wait: bool = True) -> None:
        """Stop the workers; queued tiles are dropped, decodes in progress finish."""
        with self._cond:
            self._stopping = True
            self._queue.clear()
            self._cond.notify_all()
        if wait:
            for thread in self._threads:
                if thread is not threading.current_thread():
                    thread.join()

    def _next(self) -> TileKey | None:
        with self._cond:
            while True:
                if self._stopping:
                    return None
                while self._queue:
                    key = self._queue.popleft()
                    if key in self._in_flight or key in self._failed:
                        continue
                    self._in_flight.add(key)
                    return key
                self._cond.wait()

    def _lower_priority(self) -> None:
        tid = threading.get_native_id()
        if self._idle and hasattr(os, "SCHED_IDLE"):
            try:  # on Linux, a thread id as "pid" sets that thread's policy only
                os.sched_setscheduler(tid, os.SCHED_IDLE, os.sched_param(0))
            except OSError as exc:  # not permitted somewhere: the niceness below only
                log.debug("cannot put the loader in the idle class: %s", exc)
        if self._nice <= 0 or not hasattr(os, "setpriority"):
            return
        try:  # on Linux, a thread id as "process" sets that thread's niceness only
            os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + self._nice)
        except OSError as exc:  # not permitted somewhere: run at normal priority
            log.debug("cannot lower the loader's priority: %s", exc)

    def _run(self) -> None:
        self._lower_priority()
        while (key := self._next()) is not None:
            try:
                if not self._cache.contains(key):
                    tile = self._source.read_tile(key)
                    with self._cond:
                        self.decoded += 1
                    self._cache.put(key, tile)
            except Exception as exc:  # reported, never kills the worker
                with self._cond:
                    self.errors += 1
                    self._failed.add(key)
                    self._in_flight.discard(key)
                    self._cond.notify_all()
                self._report_error(key, exc)
                continue
            try:
                self._on_ready(key)
            except Exception:
                log.exception("on_ready callback failed for %s", key)
            finally:  # after the callback, so wait_idle() means "all callbacks done"
                with self._cond:
                    self._in_flight.discard(key)
                    self._cond.notify_all()

    def _report_error(self, key: TileKey, exc: BaseException) -> None:
        if self._on_error is None:
            log.warning("tile %s failed: %s", key, exc)
            return
        try:
            self._on_error(key, exc)
        except Exception:
            log.exception("on_error callback failed for %s", key)

    def __enter__(self) -> TileLoader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
