"""The widget's progressive frame: bounded work per paint, and in the end exactly the
pixels ``render_to_image`` (the screenshot path, checked against OpenSlide) gives."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from PySide6.QtGui import QImage, QRegion
from pytestqt.qtbot import QtBot

from desktop_app.slide.cache import TileCache
from desktop_app.slide.source import SlideSource, TileKey
from desktop_app.ui.viewer import SlideView, frame
from desktop_app.ui.viewer.slide_view import SETTLE_MS
from desktop_app.ui.viewer.tile_layer import TileLayer, pixel_box
from desktop_app.ui.viewer.transform import ViewTransform

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
    qtbot.waitUntil(lambda: view._frame.stale.isEmpty(), timeout=10_000)
    view.scale_bar.hide()
    shot = pixels(view.grab().toImage())
    view.scale_bar.show()
    return shot


def tiles_per_paint(
    monkeypatch: pytest.MonkeyPatch, count: Callable[[list[TileKey]], int]
) -> list[int]:
    """One entry per ``Frame.composite`` call from here on: ``count`` of the tiles it
    asked ``TileLayer.paint_tiles`` to draw."""
    per_paint: list[int] = []
    paint_tiles = TileLayer.paint_tiles
    composite = frame.Frame.composite

    def counted(self: TileLayer, p, t, keys: list[TileKey], **kw) -> None:  # type: ignore[no-untyped-def]
        per_paint[-1] += count(keys)
        paint_tiles(self, p, t, keys, **kw)

    def one_paint(self: frame.Frame, *args, **kw) -> None:  # type: ignore[no-untyped-def]
        per_paint.append(0)
        composite(self, *args, **kw)

    monkeypatch.setattr(TileLayer, "paint_tiles", counted)
    monkeypatch.setattr(frame.Frame, "composite", one_paint)
    return per_paint


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

    def counted(self: TileLayer, p, t, keys: list[TileKey], **kw) -> None:
        if keys and keys[0].level == 0:
            sizes.append(len(keys))
        paint_tiles(self, p, t, keys, **kw)

    monkeypatch.setattr(TileLayer, "paint_tiles", counted)
    view.zoom_by(1.6)  # ~30 level-0 tiles to composite again (cached: ring prefetch)
    assert view._frame.holding  # a zoom step: the old frame, scaled
    shot = settled(qtbot, view)
    assert sizes and max(sizes) <= 5 and sum(sizes) >= 15
    assert np.abs(shot - pixels(view.render_to_image())).mean() < 0.05


def test_pixel_box_matches_the_qt_geometry_it_replaces() -> None:
    """``pixel_box`` (plain Python, no Qt call) gives the same pixels as rounding the
    ``QRectF`` of ``view_rect_of``, including at exact half-pixel edges."""
    rng = np.random.default_rng(3)
    for _ in range(2000):
        ds = float(rng.choice([1.0, 2.0, 4.0, rng.uniform(0.3, 40.0)]))
        t = ViewTransform(float(rng.uniform(0, 1e5)), float(rng.uniform(0, 1e5)), ds, W, H)
        x0, y0 = (float(v) for v in rng.integers(0, 100_000, 2) * 0.5)
        x1, y1 = x0 + float(rng.integers(1, 4096)), y0 + float(rng.integers(1, 4096))
        r = t.view_rect_of(x0, y0, x1, y1)
        left, top = math.floor(r.left() + 0.5), math.floor(r.top() + 0.5)
        expected = (left, top, math.floor(r.right() + 0.5), math.floor(r.bottom() + 0.5))
        assert pixel_box(t, x0, y0, x1, y1) == expected


def test_the_layout_is_computed_once_per_transform(
    qtbot: QtBot, view: SlideView, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.goto(3000, 2000, 1.0)
    qtbot.waitUntil(view.is_fully_loaded, timeout=10_000)
    monkeypatch.setattr(frame, "MAX_TILES_PER_PAINT", 3)
    boxes: list[TileKey] = []
    box = TileLayer.box

    def counted(self: TileLayer, t: ViewTransform, key: TileKey) -> tuple[int, int, int, int]:
        boxes.append(key)
        return box(self, t, key)

    monkeypatch.setattr(TileLayer, "box", counted)
    visible = view._layer.visible(view.view_transform())  # type: ignore[union-attr]
    view._frame.invalidate()  # several paints at one transform
    view._frame._laid_out = None  # lay out afresh (an earlier paint may have)
    view.update()
    qtbot.waitUntil(lambda: view._frame.stale.isEmpty(), timeout=10_000)
    assert len(visible) > 3  # more than one paint's worth
    assert sorted(boxes) == sorted(visible)  # each tile laid out once, not once per paint
    shot = settled(qtbot, view)
    assert np.abs(shot - pixels(view.render_to_image())).mean() < 0.05


def test_a_sub_pixel_pan_at_full_resolution_scrolls_the_frame(
    qtbot: QtBot, view: SlideView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a level drawn 1:1 tiles sit at whole pixels whatever the centre, so a smooth
    pan (fractional screen pixels per step, as a drag or the bench's pan gives) scrolls
    the frame and composites only the exposed strip, and still ends up exact."""
    view.goto(3000.25, 2000.5, 1.0)
    settled(qtbot, view)
    retargets: list[ViewTransform] = []
    retarget = frame.Frame.retarget

    def counted(self: frame.Frame, layer: TileLayer, t: ViewTransform) -> None:
        retargets.append(t)
        retarget(self, layer, t)

    monkeypatch.setattr(frame.Frame, "retarget", counted)
    for dx, dy in ((37.4, -21.7), (-120.6, 55.2), (500.3, 300.9)):
        view.pan_by(dx, dy)
        qtbot.wait(1)
        shot = settled(qtbot, view)
        assert not retargets, "a pan at 1:1 must scroll the frame, not redraw all of it"
        diff = np.abs(shot - pixels(view.render_to_image()))
        assert diff.mean() < 0.05 and (diff.max(axis=-1) > 2).mean() < 0.001


def test_a_paint_stops_compositing_when_its_time_is_up(
    qtbot: QtBot, view: SlideView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scaled tiles cost several times a 1:1 blit, so the tile cap alone does not bound
    a paint: with no time left after the first group, each paint draws one group of
    ``TILES_PER_CHECK`` and the rest follows on the next turns, still exact."""
    view.goto(3000, 2000, 1.0)
    qtbot.waitUntil(view.is_fully_loaded, timeout=10_000)
    monkeypatch.setattr(frame, "PAINT_BUDGET_S", 0.0)
    per_paint = tiles_per_paint(monkeypatch, lambda keys: sum(k.level == 0 for k in keys))
    view._frame.invalidate()  # every tile of the view again, at one transform
    view.update()
    shot = settled(qtbot, view)
    assert max(per_paint) <= frame.TILES_PER_CHECK < sum(per_paint)
    assert np.abs(shot - pixels(view.render_to_image())).mean() < 0.05


def test_a_zoom_burst_shows_the_frame_from_before_it_scaled_without_a_new_frame(
    qtbot: QtBot, view: SlideView
) -> None:
    """Mid-burst each paint scales the pre-burst frame straight onto the widget; a new
    frame per step (then copied to the widget) was the largest UI-thread cost of a
    zoom step (issue 16).  The tiles come back once the burst ends."""
    view.goto(3000, 2000, 2.5)
    before = settled(qtbot, view)
    held = view._frame.image
    old_t = view.view_transform()
    for _ in range(2):
        view.zoom_by(1 / 1.1)  # zoom in about the centre
        view.repaint()
    assert view._frame.holding and view._frame.image is held
    view.scale_bar.hide()
    shot = pixels(view.grab().toImage())
    view.scale_bar.show()
    scale = old_t.downsample / view.view_transform().downsample  # 1.21
    cy, cx = H // 2, W // 2
    for dy, dx in ((-100, -150), (80, 120), (0, 0)):  # zoomed about the centre:
        oy = round(cy + dy / scale)  # the old pixel now shown at (cx + dx, cy + dy)
        ox = round(cx + dx / scale)
        want = before[oy - 2 : oy + 3, ox - 2 : ox + 3]
        assert np.abs(want - shot[cy + dy, cx + dx]).sum(axis=-1).min() < 6
    assert settled(qtbot, view).shape == before.shape
    assert not view._frame.holding


@pytest.mark.parametrize(("dx", "dy"), [(7, 0), (-7, 0), (0, 5), (0, -5), (9, -4), (-3, 6)])
def test_a_scroll_moves_the_frame_in_place_and_marks_exactly_the_exposed_pixels(
    dx: int, dy: int
) -> None:
    """Every pixel still in view after a pan is where it belongs, in the same image (no
    second 6 MB frame copied per step); what is not is stale."""
    f = frame.Frame()
    f.image = QImage(40, 30, QImage.Format.Format_RGB32)
    before = np.arange(40 * 30, dtype=np.uint32).reshape(30, 40) | np.uint32(0xFF000000)
    np.frombuffer(f.image.bits(), np.uint32).reshape(30, 40)[:] = before  # type: ignore[call-overload]
    f.stale = QRegion()
    image = f.image
    f.scroll(dx, dy, ViewTransform(0, 0, 1.0, 40, 30))
    assert f.image is image
    after = np.frombuffer(f.image.constBits(), np.uint32).reshape(30, 40)  # type: ignore[call-overload]
    kept = np.zeros((30, 40), bool)
    kept[max(0, dy) : 30 + min(0, dy), max(0, dx) : 40 + min(0, dx)] = True
    stale = np.zeros((30, 40), bool)
    for rect in f.stale:  # type: ignore[attr-defined]
        stale[rect.top() : rect.bottom() + 1, rect.left() : rect.right() + 1] = True
    assert (stale == ~kept).all()
    shifted = np.roll(before, (dy, dx), axis=(0, 1))
    assert (after[kept] == shifted[kept]).all()


def test_the_paint_of_a_move_composites_only_what_is_left_of_its_turn(
    qtbot: QtBot, view: SlideView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pan step and its paint run in one event-loop turn: with no turn left after
    the move, that paint draws one group; the paints after it (the next turns) get
    their whole budget, and the frame still ends exact."""
    view.goto(3000, 2000, 2.5)  # scaled tiles, so a pan exposes several per step
    settled(qtbot, view)
    monkeypatch.setattr(frame, "TURN_BUDGET_S", 0.0)
    monkeypatch.setattr(frame, "PAINT_BUDGET_S", 10.0)
    per_paint = tiles_per_paint(monkeypatch, len)
    view.pan_by(-700, 0)  # most of the view exposed: far more than one group of tiles
    view.repaint()
    assert per_paint == [frame.TILES_PER_CHECK]
    shot = settled(qtbot, view)
    assert max(per_paint[1:]) > frame.TILES_PER_CHECK
    assert np.abs(shot - pixels(view.render_to_image())).mean() < 0.05
