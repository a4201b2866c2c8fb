"""The wand in the real view on a real slide: a purple disc of known area on a generated
pyramidal TIFF (tifffile, read by OpenSlide), picked at two zoom levels."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import shapely
import tifffile
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.tools import ToolMode
from tests.ui.annotations.conftest import World, build_store, open_world, wait_idle

SIZE = 2048
CENTRE = (1000.0, 1100.0)
RADIUS = 120.0
LEFT = Qt.MouseButton.LeftButton


def blob_slide(path: Path) -> Path:
    """White-ish tissue background with a haematoxylin-purple disc, a little noise."""
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    inside = (xx + 0.5 - CENTRE[0]) ** 2 + (yy + 0.5 - CENTRE[1]) ** 2 <= RADIUS**2
    img = np.where(inside[..., None], np.array([118, 62, 150]), np.array([236, 226, 236]))
    img = np.clip(img + rng.integers(-5, 6, size=img.shape), 0, 255).astype(np.uint8)
    with tifffile.TiffWriter(path) as tif:
        level = img
        while True:
            tif.write(
                level,
                tile=(256, 256),
                photometric="rgb",
                compression="jpeg",
                resolution=(40000.0, 40000.0),
                resolutionunit="CENTIMETER",
            )
            if max(level.shape[:2]) <= 512:
                break
            level = level[::2, ::2]
    return path


@pytest.fixture
def blob_world(qtbot: QtBot, tmp_path: Path) -> Iterator[World]:
    slide = blob_slide(tmp_path / "blob.tif")
    store, user_pk, image_pk, terms = build_store(tmp_path / "cache.sqlite", slide)
    w = open_world(qtbot, store, tmp_path / "cache.sqlite", slide, user_pk, image_pk, terms)
    yield w
    w.window.close()
    store.close()


@pytest.mark.parametrize("downsample", [2.0, 4.0])
def test_wand_area_matches_the_blob(qtbot: QtBot, blob_world: World, downsample: float) -> None:
    w = blob_world
    with qtbot.waitSignal(w.view.fully_loaded, timeout=15_000):
        w.view.goto(*CENTRE, downsample)
    w.wb.set_tool(ToolMode.WAND)
    start = w.at(*CENTRE)
    qtbot.mousePress(w.view, LEFT, pos=start)
    qtbot.mouseMove(w.view, QPoint(start.x() + 3, start.y()))
    qtbot.mouseRelease(w.view, LEFT, pos=QPoint(start.x() + 3, start.y()))
    qtbot.waitUntil(lambda: not w.wb.tools.wand.busy, timeout=10_000)
    wait_idle(qtbot, w.wb)
    rows = w.service.rows()
    assert len(rows) == 1, w.wb.last_message
    geom = w.service.geometry(rows[0].pk)
    assert geom is not None and geom.geom_type == "Polygon"
    true_area = math.pi * RADIUS**2
    assert abs(geom.area - true_area) / true_area < 0.05, (geom.area, true_area)
    assert w.wb.selection.pks() == (rows[0].pk,)


def test_wand_sensitivity_by_wheel_while_drawing_and_alt_cuts(
    qtbot: QtBot, blob_world: World
) -> None:
    w = blob_world
    with qtbot.waitSignal(w.view.fully_loaded, timeout=15_000):
        w.view.goto(*CENTRE, 2.0)
    w.wb.set_tool(ToolMode.WAND)
    start = w.at(*CENTRE)
    qtbot.mousePress(w.view, LEFT, pos=start)
    before = w.wb.prefs.wand_sensitivity
    wheel = QWheelEvent(
        QPointF(start), QPointF(w.view.mapToGlobal(start)), QPoint(), QPoint(0, 120),
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )  # fmt: skip
    view_before = w.view.current_view()
    QApplication.sendEvent(w.view, wheel)
    assert w.wb.prefs.wand_sensitivity == pytest.approx(before * 1.25)
    assert w.view.current_view() == view_before  # the wheel did not zoom mid-stroke
    assert w.wb.tool_options.wand_sensitivity.value() == pytest.approx(before * 1.25, abs=0.01)
    qtbot.mouseRelease(w.view, LEFT, pos=start)
    qtbot.waitUntil(lambda: not w.wb.tools.wand.busy, timeout=10_000)
    wait_idle(qtbot, w.wb)
    (row,) = w.service.rows()
    # a box over half the blob, selected; Alt+wand on the blob cuts it away
    w.service.delete([row.pk])
    box = w.service.create(
        shapely.box(CENTRE[0], CENTRE[1] - 200, CENTRE[0] + 400, CENTRE[1] + 200)
    )
    wait_idle(qtbot, w.wb)
    w.wb.selection.set([box])
    wait_idle(qtbot, w.wb)
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.mousePress(w.view, LEFT, alt, pos=start)
    qtbot.mouseRelease(w.view, LEFT, alt, pos=QPoint(start.x() + 2, start.y()))
    qtbot.waitUntil(lambda: not w.wb.tools.wand.busy, timeout=10_000)
    wait_idle(qtbot, w.wb)
    cut = w.service.geometry(box)
    half_disc = math.pi * RADIUS**2 / 2
    assert cut is not None
    assert cut.area == pytest.approx(400 * 400 - half_disc, rel=0.03)
