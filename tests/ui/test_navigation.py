"""Pan, zoom, keys, fit, presets and the minimap, driven by real Qt events."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.slide.cache import TileCache
from desktop_app.slide.source import SlideSource
from desktop_app.ui.viewer import SlideView
from desktop_app.ui.viewer.navigation import ZOOM_STEP

W, H = 800, 600
SLIDE_W, SLIDE_H = 8192, 6144  # conftest.slide_path


@pytest.fixture
def view(qtbot: QtBot, cache: TileCache, source: SlideSource) -> Iterator[SlideView]:
    v = SlideView(cache)
    qtbot.addWidget(v)
    v.resize(W, H)
    v.show()
    qtbot.waitExposed(v)
    v.set_source(source)
    qtbot.waitUntil(v.is_fully_loaded, timeout=10_000)
    yield v
    v.close_source()  # stop the loader before the source fixture closes the slide


def test_opens_fitted(view: SlideView) -> None:
    x, y, ds = view.current_view()
    assert (x, y) == (SLIDE_W / 2, SLIDE_H / 2)
    assert ds == pytest.approx(max(SLIDE_W / W, SLIDE_H / H))


def test_fit_stays_fitted_on_resize_until_navigation(qtbot: QtBot, view: SlideView) -> None:
    view.resize(400, 300)
    assert view.current_view()[2] == pytest.approx(max(SLIDE_W / 400, SLIDE_H / 300))
    view.goto(1000, 1000, 2.0)
    view.resize(W, H)
    assert view.current_view() == (1000, 1000, 2.0)


def test_drag_pans_with_the_mouse(qtbot: QtBot, view: SlideView) -> None:
    view.goto(4000, 3000, 2.0)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(400, 300))
    qtbot.mouseMove(view, QPoint(350, 280))
    qtbot.mouseMove(view, QPoint(300, 260))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(300, 260))
    x, y, ds = view.current_view()
    # content follows the pointer: dragging left/up by (100, 40) px moves the centre right/down
    assert (x, y, ds) == pytest.approx((4000 + 100 * 2.0, 3000 + 40 * 2.0, 2.0))


def test_wheel_zooms_about_the_cursor(view: SlideView) -> None:
    view.goto(4000, 3000, 4.0)
    anchor = QPointF(200, 150)
    before = view.view_transform().to_image(anchor.x(), anchor.y())
    event = QWheelEvent(
        anchor,
        view.mapToGlobal(anchor),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view, event)
    assert view.current_view()[2] == pytest.approx(4.0 / ZOOM_STEP**2)
    after = view.view_transform().to_image(anchor.x(), anchor.y())
    assert after == pytest.approx(before)


def test_keys_pan_and_zoom(qtbot: QtBot, view: SlideView) -> None:
    view.goto(4000, 3000, 2.0)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.current_view()[0] == pytest.approx(4000 + W / 8 * 2.0)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.current_view()[1] == pytest.approx(3000 + H / 8 * 2.0)
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.current_view()[2] == pytest.approx(2.0 / ZOOM_STEP)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.current_view()[2] == pytest.approx(2.0 * ZOOM_STEP)


@pytest.mark.parametrize(("mag", "ds"), [(40, 1.0), (20, 2.0), (10, 4.0), (1.25, 32.0)])
def test_magnification_presets_from_mpp(view: SlideView, mag: float, ds: float) -> None:
    view.set_magnification(mag)
    assert view.current_view()[2] == pytest.approx(ds)
    assert view.magnification() == pytest.approx(mag)


def test_zoom_is_clamped_and_centre_stays_on_slide(view: SlideView) -> None:
    view.goto(-50_000, 10**7, 10**6)
    x, y, ds = view.current_view()
    assert (x, y) == (0, SLIDE_H)
    assert ds <= max(SLIDE_W / W, SLIDE_H / H) * 4


def test_minimap_click_navigates(qtbot: QtBot, view: SlideView) -> None:
    view.goto(500, 500, 1.0)
    mm = view.minimap
    assert mm.isVisible()
    target = QPoint(mm.width() * 3 // 4, mm.height() // 4)
    qtbot.mouseClick(mm, Qt.MouseButton.LeftButton, pos=target)
    x, y, ds = view.current_view()
    assert ds == 1.0
    assert x == pytest.approx(SLIDE_W * 0.75, rel=0.05)
    assert y == pytest.approx(SLIDE_H * 0.25, rel=0.08)


def test_minimap_drag_navigates(qtbot: QtBot, view: SlideView) -> None:
    view.goto(500, 500, 1.0)
    mm = view.minimap
    qtbot.mousePress(mm, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    start = view.current_view()
    move = QPoint(mm.width() // 2, mm.height() // 2)
    from PySide6.QtGui import QMouseEvent

    QApplication.sendEvent(
        mm,
        QMouseEvent(
            QMouseEvent.Type.MouseMove,
            QPointF(move),
            QPointF(mm.mapToGlobal(move)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    qtbot.mouseRelease(mm, Qt.MouseButton.LeftButton, pos=move)
    assert view.current_view()[:2] != start[:2]
    assert view.current_view()[0] == pytest.approx(SLIDE_W / 2, rel=0.05)


def test_position_signal_is_throttled(qtbot: QtBot, view: SlideView) -> None:
    seen: list[tuple[float, float, float]] = []
    view.position_changed.connect(lambda x, y, d: seen.append((x, y, d)))
    # let the throttle windows (leading + trailing) of the initial fit expire; on a busy
    # machine the fit's own events may come late, so wait for the throttle, not a time
    qtbot.wait(1100)
    qtbot.waitUntil(lambda: view._position.idle, timeout=10_000)
    seen.clear()
    for i in range(30):
        view.goto(1000 + i * 10, 1000, 1.0)
    assert len(seen) == 1  # leading edge only
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=2000)  # trailing edge, the final place
    assert seen[-1] == (1290, 1000, 1.0)
    qtbot.wait(300)
    assert len(seen) == 2


def test_cursor_moved_reports_level0_pixels(qtbot: QtBot, view: SlideView) -> None:
    view.goto(4000, 3000, 2.0)
    with qtbot.waitSignal(view.cursor_moved) as blocker:
        qtbot.mouseMove(view, QPoint(W // 2 + 10, H // 2 - 5))
    assert blocker.args == pytest.approx([4000 + 20, 3000 - 10])


def test_minimap_draws_the_slide_once_per_change_of_its_pixels(
    qtbot: QtBot, view: SlideView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each pan or zoom step moves the minimap's viewport box; the slide under it is
    drawn again only when its pixels change (adjustments here), and looks the same."""
    from PySide6.QtGui import QImage, QPainter

    from desktop_app.ui.viewer.adjustments import Adjustments
    from desktop_app.ui.viewer.tile_layer import TileLayer

    mm = view.minimap
    qtbot.waitUntil(lambda: view._layer is not None and view.is_fully_loaded(), timeout=10_000)
    mm.repaint()
    draws: list[int] = []
    paint = TileLayer.paint

    def counted(self: TileLayer, *args, **kw) -> None:  # type: ignore[no-untyped-def]
        if kw.get("level") == self.info.level_count - 1 and kw.get("background") is False:
            draws.append(1)
        paint(self, *args, **kw)

    monkeypatch.setattr(TileLayer, "paint", counted)
    for step in range(5):
        view.pan_by(40, 10)
        view.zoom_by(1.1 if step % 2 else 1 / 1.1)
        mm.repaint()
    assert draws == []
    view.set_adjustments(Adjustments(brightness=0.3))
    mm.repaint()
    assert draws == [1]
    # the kept drawing is the slide as drawn straight onto the widget
    t = mm.transform()
    assert t is not None and view._layer is not None
    direct = QImage(mm.size(), QImage.Format.Format_ARGB32_Premultiplied)
    direct.fill(0)
    p = QPainter(direct)
    paint(view._layer, p, t, level=view._layer.info.level_count - 1, background=False)
    p.end()
    assert mm._slide is not None and mm._slide.convertToFormat(direct.format()) == direct
