"""The widget's progressive frame: bounded work per paint, and in the end exactly the
pixels ``render_to_image`` (the screenshot path, checked against OpenSlide) gives."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from desktop_app.slide.cache import TileCache
from desktop_app.slide.source import SlideSource, TileKey
from desktop_app.ui.viewer import SlideView, frame
from desktop_app.ui.viewer.slide_view import SETTLE_MS
from desktop_app.ui.viewer.tile_layer import TileLayer

W, H = 800, 600


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    arr = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
    return arr[:, : image.width(), :3].astype(np.int16)


@pytest.fixture
def view(qtbot: QtBot, cache: TileCache, source: SlideSource) -> Iterator[SlideView]:
    v = SlideView(cache)
    qtbot.addWidget(v)
    v.resize(W, H)
    v.show()
    qtbot.waitExposed(v)
    v.set_source(source)
    v.minimap.hide()  # compare the slide only
    qtbot.waitUntil(v.is_fully_loaded, timeout=10_000)
    yield v
    v.close_source()


def settled(qtbot: QtBot, view: SlideView) -> np.ndarray:
    """The widget's pixels once every tile is loaded and the frame is complete."""
    qtbot.waitUntil(view.is_fully_loaded, timeout=10_000)
    qtbot.wait(SETTLE_MS + 50)
    qtbot.waitUntil(lambda: view._frame.stale.isEmpty(), timeout=10_000)  # noqa: SLF001
    view.scale_bar.hide()
    shot = pixels(view.grab().toImage())
    view.scale_bar.show()
    return shot


@pytest.mark.parametrize("downsample", [1.0, 2.5, 5.3])
def test_widget_equals_render_to_image_after_pan_and_zoom(
    qtbot: QtBot, view: SlideView, downsample: float
) -> None:
    view.goto(3000, 2000, downsample)
    for move in (lambda: None, lambda: view.pan_by(37, -21), lambda: view.zoom_by(1.3)):
        move()
        shot = settled(qtbot, view)
        expected = pixels(view.render_to_image())
        assert shot.shape == expected.shape
        diff = np.abs(shot - expected)
        assert diff.mean() < 0.05 and (diff.max(axis=-1) > 2).mean() < 0.001


def test_a_paint_composites_at_most_the_cap(
    qtbot: QtBot, view: SlideView, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.goto(3000, 2000, 1.0)
    qtbot.waitUntil(view.is_fully_loaded, timeout=10_000)
    monkeypatch.setattr(frame, "MAX_TILES_PER_PAINT", 5)
    sizes: list[int] = []
    paint_tiles = TileLayer.paint_tiles

    def counted(self: TileLayer, p, t, keys: list[TileKey], **kw) -> None:  # type: ignore[no-untyped-def]
        if keys and keys[0].level == 0:
            sizes.append(len(keys))
        paint_tiles(self, p, t, keys, **kw)

    monkeypatch.setattr(TileLayer, "paint_tiles", counted)
    view.zoom_by(1.6)  # ~30 level-0 tiles to composite again (cached: ring prefetch)
    assert view._frame.holding  # noqa: SLF001 - a zoom step: the old frame, scaled
    shot = settled(qtbot, view)
    assert sizes and max(sizes) <= 5 and sum(sizes) >= 15
    assert np.abs(shot - pixels(view.render_to_image())).mean() < 0.05
