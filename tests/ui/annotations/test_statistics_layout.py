"""The Statistics dock with many long term names: no axis label overlaps another."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import shapely
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from tests.ui.annotations.conftest import World, wait_idle

LONG_NAMES = [
    "Tumor-infiltrating lymphocytes", "Lymphocyte aggregate", "Necrosis", "Blood vessel",
    "Immune cells", "Fat",
]  # fmt: skip
SHOTS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("WORKSTATION_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "workstation-screenshots"
)


def test_term_names_never_overlap(qtbot: QtBot, world: World) -> None:
    wb = world.wb
    for i, name in enumerate(LONG_NAMES):
        wb.term_panel.edit_bar.create_term(name, f"#{(i * 40) % 256:02X}5588")
    wait_idle(qtbot, wb)
    qtbot.waitUntil(lambda: len(wb.session.terms) == 3 + len(LONG_NAMES))
    for i, term in enumerate(wb.session.terms):
        for j in range(i % 3 + 1):
            x, y = 200 + i * 300, 300 + j * 300
            world.service.create(shapely.box(x, y, x + 50 + 30 * j, y + 60), [term.pk])
    world.service.create(shapely.box(100, 2500, 180, 2600))
    panel = wb.statistics_panel
    panel.show()
    panel.raise_()
    panel.reload()
    wait_idle(qtbot, wb)
    qtbot.waitUntil(lambda: panel.stats is not None and panel.stats.total == 19)
    qtbot.wait(50)
    names = [name for name, _c, _s in panel.rows()]
    assert names[-1] == "(no term)" and len(names) == 10
    plot = panel.term_plot
    axis = plot.getAxis("left")
    (ticks, _minor) = axis._tickLevels
    labels = [text for _y, text in ticks]
    metrics = QFontMetrics(axis.style.get("tickFont") or panel.plots.font())
    # every name fits beside the bars ...
    assert axis.width() >= max(metrics.horizontalAdvance(t) for t in labels)
    assert "Tumor-infiltrating lymphocytes" in labels
    # ... and every row is at least one line of text high (no two labels overlap)
    vb = plot.getViewBox()
    row_px = abs(vb.mapViewToDevice(QPointF(0, 1)).y() - vb.mapViewToDevice(QPointF(0, 0)).y())
    assert row_px >= metrics.height(), (row_px, metrics.height())
    # the area chart and the histogram use the same rows and readable µm² labels
    panel.measure.setCurrentIndex(1)
    assert plot.titleLabel.text.startswith("Total area")
    hist_ticks = [t for _v, t in panel.hist_plot.getAxis("bottom")._tickLevels[0]]
    lo, hi = panel.hist_plot.getViewBox().viewRange()[0]
    shown = [t for v, t in panel.hist_plot.getAxis("bottom")._tickLevels[0] if lo <= v <= hi]
    assert len(shown) >= 2 and set(shown) <= set(hist_ticks) and "200" in shown, shown
    panel.measure.setCurrentIndex(0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel.plots.grab().save(str(SHOTS / "statistics.png"))
