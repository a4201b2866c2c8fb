"""TileLoader against a real OpenSlideSource, observed through thin real wrappers."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Iterator

import numpy as np
import pytest

from desktop_app.slide.cache import TileCache
from desktop_app.slide.loader import TileLoader
from desktop_app.slide.openslide_source import OpenSlideSource
from desktop_app.slide.source import RGBA, SlideError, TileKey, WrappedSource
from desktop_app.slide.tiling import ring_tiles, visible_tiles


class InstrumentedSource(WrappedSource):
    """Delegates to a real source; counts decodes, records their order, tracks
    concurrency per key, can hold reads at a gate and can fail chosen tiles."""

    def __init__(self, inner: OpenSlideSource, delay: float = 0.0) -> None:
        super().__init__(inner)
        self.delay = delay
        self.gate = threading.Event()
        self.gate.set()
        self.started = threading.Event()
        self.fail: set[TileKey] = set()
        self.calls: Counter[TileKey] = Counter()
        self.order: list[TileKey] = []
        self.active: Counter[TileKey] = Counter()
        self.max_active_same_key = 0
        self._lock = threading.Lock()

    def read_tile(self, key: TileKey) -> RGBA:
        with self._lock:
            self.calls[key] += 1
            self.order.append(key)
            self.active[key] += 1
            self.max_active_same_key = max(self.max_active_same_key, self.active[key])
        self.started.set()
        try:
            self.gate.wait(10)
            if self.delay:
                time.sleep(self.delay)
            if key in self.fail:
                raise SlideError(f"tile {key.col},{key.row} is damaged")
            return self.inner.read_tile(key)
        finally:
            with self._lock:
                self.active[key] -= 1

    def close(self) -> None:
        self.inner.close()


class Recorder:
    def __init__(self) -> None:
        self.ready: list[TileKey] = []
        self.errors: list[tuple[TileKey, BaseException]] = []
        self.threads: set[str] = set()
        self._lock = threading.Lock()

    def on_ready(self, key: TileKey) -> None:
        with self._lock:
            self.ready.append(key)
            self.threads.add(threading.current_thread().name)

    def on_error(self, key: TileKey, exc: BaseException) -> None:
        with self._lock:
            self.errors.append((key, exc))


@pytest.fixture()
def source(svs_source: OpenSlideSource) -> InstrumentedSource:
    return InstrumentedSource(svs_source)


@pytest.fixture()
def cache() -> TileCache:
    return TileCache(64 * 1024 * 1024)


@pytest.fixture()
def recorder() -> Recorder:
    return Recorder()


def make_loader(
    source: InstrumentedSource, cache: TileCache, recorder: Recorder, workers: int
) -> TileLoader:
    return TileLoader(source, cache, recorder.on_ready, workers=workers, on_error=recorder.on_error)


@pytest.fixture()
def loader4(
    source: InstrumentedSource, cache: TileCache, recorder: Recorder
) -> Iterator[TileLoader]:
    loader = make_loader(source, cache, recorder, 4)
    yield loader
    loader.shutdown()


@pytest.fixture()
def loader1(
    source: InstrumentedSource, cache: TileCache, recorder: Recorder
) -> Iterator[TileLoader]:
    loader = make_loader(source, cache, recorder, 1)
    yield loader
    source.gate.set()
    loader.shutdown()


def view_tiles(source: InstrumentedSource, level: int = 0) -> list[TileKey]:
    return visible_tiles(source.info, level, 300, 300, 1800, 1400, slide_id=source.slide_id)


def test_loads_into_cache_and_reports_ready_from_worker_threads(
    loader4: TileLoader, source: InstrumentedSource, cache: TileCache, recorder: Recorder
) -> None:
    keys = view_tiles(source)
    loader4.request(keys)
    assert loader4.wait_idle(10)
    assert sorted(recorder.ready) == sorted(keys)
    assert recorder.threads and all(n.startswith("tile-loader") for n in recorder.threads)
    for key in keys:
        cached = cache.get(key)
        assert cached is not None
        assert np.array_equal(cached, source.inner.read_tile(key))


def test_same_tile_is_never_decoded_twice(
    loader4: TileLoader, source: InstrumentedSource, recorder: Recorder
) -> None:
    source.delay = 0.02
    keys = view_tiles(source)
    for _ in range(6):  # the view "moves" but keeps wanting the same tiles
        loader4.request(keys, prefetch=keys[:3])
        assert source.started.wait(10)  # asked again while decodes are in flight
    assert loader4.wait_idle(10)
    assert set(source.calls) == set(keys)
    assert max(source.calls.values()) == 1
    assert source.max_active_same_key == 1
    assert Counter(recorder.ready) == Counter(keys)


def test_cached_tiles_are_not_decoded(
    loader4: TileLoader, source: InstrumentedSource, cache: TileCache, recorder: Recorder
) -> None:
    keys = view_tiles(source)
    for key in keys[:4]:
        cache.put(key, source.inner.read_tile(key))
    loader4.request(keys)
    assert loader4.wait_idle(10)
    assert set(source.calls) == set(keys[4:])
    assert set(recorder.ready) == set(keys[4:])


def test_stale_requests_are_dropped_before_decoding(
    loader1: TileLoader, source: InstrumentedSource, recorder: Recorder
) -> None:
    old = view_tiles(source, level=0)
    new = visible_tiles(source.info, 1, 0, 0, 3000, 2200, slide_id=source.slide_id)
    source.gate.clear()
    loader1.request(old)
    assert source.started.wait(5)  # the worker holds old[0]
    loader1.request(new)
    assert loader1.generation == 2
    source.gate.set()
    assert loader1.wait_idle(10)
    assert source.order == [old[0], *new]
    assert loader1.dropped == len(old) - 1
    assert set(recorder.ready) == {old[0], *new}


def test_visible_centre_first_then_prefetch(
    loader1: TileLoader, source: InstrumentedSource
) -> None:
    info = source.info
    view = (900, 700, 1700, 1300)
    visible = visible_tiles(info, 0, *view, slide_id=source.slide_id)
    ring = ring_tiles(info, 0, *view, slide_id=source.slide_id)
    centre = (1300 / 256, 1000 / 256)
    source.gate.clear()
    loader1.request(visible, prefetch=ring)
    source.gate.set()
    assert loader1.wait_idle(10)
    assert source.order == visible + ring
    first = source.order[0]
    assert (first.col, first.row) == (int(centre[0]), int(centre[1]))


def test_errors_are_reported_and_not_retried(
    loader4: TileLoader, source: InstrumentedSource, recorder: Recorder
) -> None:
    keys = view_tiles(source)
    source.fail = {keys[1]}
    loader4.request(keys)
    assert loader4.wait_idle(10)
    assert [k for k, _ in recorder.errors] == [keys[1]]
    assert isinstance(recorder.errors[0][1], SlideError)
    assert set(recorder.ready) == set(keys) - {keys[1]}
    assert loader4.errors == 1
    loader4.request(keys)  # the view repaints: the bad tile is not hammered again
    assert loader4.wait_idle(10)
    assert source.calls[keys[1]] == 1
    loader4.clear_failures()
    loader4.request(keys)
    assert loader4.wait_idle(10)
    assert source.calls[keys[1]] == 2


def test_shutdown_stops_workers(
    source: InstrumentedSource, cache: TileCache, recorder: Recorder
) -> None:
    loader = make_loader(source, cache, recorder, 2)
    loader.shutdown()  # joins the workers: nothing can read after it returns
    loader.request(view_tiles(source))
    assert not source.calls and loader.pending == 0


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="no per-thread priority")
def test_nice_lowers_only_the_workers_priority(
    source: InstrumentedSource, cache: TileCache
) -> None:
    seen: list[int] = []

    def ready(_key: TileKey) -> None:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    with TileLoader(source, cache, ready, workers=2, nice=3) as loader:
        loader.request(view_tiles(source)[:4])
        assert loader.wait_idle(10)
    assert seen and set(seen) == {min(before + 3, 19)}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="no idle scheduling class")
def test_idle_puts_only_the_workers_in_the_idle_class(
    source: InstrumentedSource, cache: TileCache
) -> None:
    seen: list[int] = []

    def ready(_key: TileKey) -> None:
        seen.append(os.sched_getscheduler(threading.get_native_id()))

    before = os.sched_getscheduler(threading.get_native_id())
    with TileLoader(source, cache, ready, workers=2, idle=True) as loader:
        loader.request(view_tiles(source)[:4])
        assert loader.wait_idle(10)
    assert seen and set(seen) == {os.SCHED_IDLE}
    assert os.sched_getscheduler(threading.get_native_id()) == before != os.SCHED_IDLE
