"""Tile loading as the user sees it: coarser level while loading, stale requests dropped."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from desktop_app.slide.cache import TileCache
from desktop_app.slide.source import RGBA, SlideSource, TileKey, WrappedSource
from desktop_app.ui.viewer import Adjustments, SlideView, ViewTransform
from desktop_app.ui.viewer.loading import default_loader
from desktop_app.ui.viewer.tile_layer import BACKGROUND

W, H = 640, 480


class GatedSource(WrappedSource):
    """A real source whose level-0 reads wait for ``gate``; records every tile read."""

    def __init__(self, inner: SlideSource) -> None:
        super().__init__(inner)
        self.gate = threading.Event()
        self.reads: list[TileKey] = []
        self._lock = threading.Lock()

    def read_tile(self, key: TileKey) -> RGBA:
        if key.level == 0:
            self.gate.wait(timeout=20)
        with self._lock:
            self.reads.append(key)
        return self.inner.read_tile(key)

    def close(self) -> None:
        self.gate.set()


def as_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    ptr = image.constBits()
    return np.frombuffer(ptr, np.uint8).reshape(image.height(), image.width(), 4)[..., :3].copy()


@pytest.fixture
def gated(source: SlideSource) -> GatedSource:
    return GatedSource(source)


@pytest.fixture
def view(qtbot: QtBot, cache: TileCache, gated: GatedSource) -> Iterator[SlideView]:
    v = SlideView(cache)
    qtbot.addWidget(v, before_close_func=lambda _w: gated.gate.set())
    v.resize(W, H)
    v.set_source(gated)  # fitted: coarse levels only, not gated
    qtbot.waitUntil(v.is_fully_loaded, timeout=10_000)
    yield v
    gated.gate.set()
    v.close_source()


def test_coarser_level_is_drawn_while_full_resolution_loads(
    qtbot: QtBot, view: SlideView, gated: GatedSource
) -> None:
    view.goto(4100, 3000, 1.0)
    qtbot.wait(200)
    assert not view.is_fully_loaded()
    interim = as_array(view.render_to_image(QSize(W, H)))
    bg = np.array([BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue()])
    assert not (interim == bg).all(axis=-1).any(), "no pixel may show the empty background"
    assert interim.std() > 5, "the interim view must show slide content, not a flat fill"
    gated.gate.set()
    with qtbot.waitSignal(view.fully_loaded, timeout=10_000):
        pass
    final = as_array(view.render_to_image(QSize(W, H)))
    # the upscaled coarse level resembles the final image (same place, blurrier)
    assert np.abs(interim.astype(int) - final.astype(int)).mean() < 25


def test_requests_for_a_view_left_behind_are_dropped(
    qtbot: QtBot, view: SlideView, gated: GatedSource
) -> None:
    view.goto(1000, 1000, 1.0)
    first_visible = set(view._layer.visible(view.view_transform()))
    qtbot.wait(100)
    view.goto(7000, 5000, 1.0)
    gated.gate.set()
    with qtbot.waitSignal(view.fully_loaded, timeout=10_000):
        pass
    read_first = [k for k in gated.reads if k in first_visible]
    # at most the reads already in flight (one per worker) for the old view happened
    assert len(read_first) <= 4 < len(first_visible)


def test_a_step_that_keeps_the_same_tiles_in_view_asks_the_loader_nothing(
    qtbot: QtBot, view: SlideView, gated: GatedSource
) -> None:
    """Most steps of a smooth pan or zoom keep the same tiles in view; building and
    sending the same request again cost the UI thread up to 2.4 ms a step (issue 16)."""
    gated.gate.set()
    view.goto(3000, 2000, 1.0)  # the view spans x 2680-3320: no tile edge within 1 px
    qtbot.waitUntil(view.is_fully_loaded, timeout=10_000)
    loader = view._loader
    assert loader is not None
    asked = loader.generation
    with qtbot.waitSignal(view.fully_loaded, timeout=1_000):  # still once per view
        view.pan_by(1, 0)
    assert loader.generation == asked
    view.pan_by(-W, 0)  # a screen further: other tiles
    assert loader.generation == asked + 1
    with qtbot.waitSignal(view.fully_loaded, timeout=10_000):
        pass
    assert view.is_fully_loaded()


def test_fully_loaded_means_every_visible_tile_is_cached(
    qtbot: QtBot, view: SlideView, gated: GatedSource, cache: TileCache
) -> None:
    gated.gate.set()
    view.goto(3000, 2000, 2.5)
    qtbot.waitUntil(view.is_fully_loaded, timeout=10_000)
    t: ViewTransform = view.view_transform()
    x0, y0, x1, y1 = t.visible_rect()
    layer = view._layer
    assert layer is not None
    keys = layer.tiles_in(layer.level_for(2.5), (x0, y0, x1, y1))
    assert keys and all(k.level == 0 for k in keys)
    assert all(cache.contains(k) for k in keys)


def test_adjustments_change_the_rendered_pixels(qtbot: QtBot, view: SlideView) -> None:
    before = as_array(view.render_to_image())
    view.set_adjustments(Adjustments(brightness=0.2))
    brighter = as_array(view.render_to_image())
    view.set_adjustments(Adjustments(gamma=0.5))
    darker = as_array(view.render_to_image())
    view.set_adjustments(Adjustments())
    again = as_array(view.render_to_image())
    assert brighter.mean() > before.mean() + 10
    assert darker.mean() < before.mean() - 10
    assert (again == before).all()


def test_overlays_are_painted_after_tiles(view: SlideView) -> None:
    calls: list[tuple[ViewTransform, tuple[float, float, float, float]]] = []

    class Cross:
        def paint(self, painter, view_transform, visible_rect_level0):
            calls.append((view_transform, visible_rect_level0))
            painter.fillRect(0, 0, 10, 10, BACKGROUND)

    overlay = Cross()
    view.add_overlay(overlay)
    img = as_array(view.render_to_image())
    assert calls and calls[-1][0].downsample == view.current_view()[2]
    assert (img[:10, :10] == [BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue()]).all()
    view.remove_overlay(overlay)


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX priorities")
def test_the_view_decodes_at_the_ui_threads_priority(cache: TileCache, source: SlideSource) -> None:
    """A decoder niced below the UI thread is run behind every other process on a
    busy machine, and while it waits holding the GIL the UI thread waits for it
    (24-91 ms stalls at +5 in the bench, none at 0: docs/performance.md, issue 16)."""
    loader = default_loader(source, cache, lambda _k: None, lambda _k, _e: None)
    try:
        ui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        loader.request([TileKey(source.slide_id, source.info.level_count - 1, 0, 0)])
        assert loader.wait_idle(10)
        for thread in loader._threads:  # each worker sets its own priority when it starts
            assert thread.native_id is not None
            assert os.getpriority(os.PRIO_PROCESS, thread.native_id) == ui
    finally:
        loader.shutdown()
