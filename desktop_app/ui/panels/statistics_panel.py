"""Statistics dock (pyqtgraph): count or total area per term, and an area histogram.

The numbers come from one grouped SQL query on a worker (``services.statistics``), run
only while the dock is visible and at most twice a second while edits stream in.

Term names are long and many ("Tumor-infiltrating lymphocytes"), so the per-term chart
is a horizontal bar chart: the names sit on the left axis, one row each, and the axis
is as wide as the widest name; vertical bars with names under them overlapped as soon
as there were more than a few terms.  The plot area grows with the number of terms (the
dock scrolls when it is short), and the histogram's log axis is labelled in µm², not in
exponents.

pyqtgraph is imported when the dock is first shown, not with the module: it is ~40 %
of the GUI's import time and the dock starts hidden behind the Annotations tab, so the
first viewport does not wait for it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QComboBox, QDockWidget, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.services.statistics import ImageStatistics, TermStatistics, image_statistics
from desktop_app.ui.annotations.layer_data import NO_TERM_COLOR
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.fit import scrollable

if TYPE_CHECKING:
    import pyqtgraph as pg

#: Screen pixels per term row: a tick label needs its font height plus some air.
ROW_PX = 22
HIST_PX = 170
#: Names longer than this are elided on the axis (the full name is in the tooltip).
MAX_NAME_CHARS = 32
MEASURES = ("count", "area")


def _elide(name: str) -> str:
    return name if len(name) <= MAX_NAME_CHARS else name[: MAX_NAME_CHARS - 1] + "\u2026"


def _area_label(value: float) -> str:
    if value >= 1e7:
        return f"1e{round(math.log10(value))}"
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def log_ticks(lo: float, hi: float) -> list[tuple[float, str]]:
    """Ticks for a log10 axis from ``lo`` to ``hi``, labelled with the areas themselves:
    decades, or 1-2-5 steps, or every digit, whichever first gives at least three."""
    ticks: list[tuple[float, str]] = []
    for mantissas in ((1,), (1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):
        ticks = [
            (math.log10(m * 10.0**k), _area_label(m * 10.0**k))
            for k in range(math.floor(lo) - 1, math.ceil(hi) + 1)
            for m in mantissas
            if lo <= math.log10(m * 10.0**k) <= hi
        ]
        if len(ticks) >= 3:
            break
    return ticks


class StatisticsPanel(QDockWidget):
    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__("Statistics", parent)
        self.setObjectName("statistics_dock")
        self._session = session
        self.stats: ImageStatistics | None = None
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel("No image")
        self.measure = QComboBox()
        self.measure.addItem("Annotations per term", "count")
        self.measure.addItem("Total area per term", "area")
        self.measure.currentIndexChanged.connect(lambda _i: self._draw())
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.measure)
        # Built by _ensure_plots when the dock is first shown (see the module's doc).
        self.plots: pg.GraphicsLayoutWidget | None = None
        self.term_plot: Any = None
        self.hist_plot: Any = None
        self._layout = layout
        layout.addLayout(top)
        self.setWidget(scrollable(body))
        self._timer = QTimer(self, singleShot=True, interval=500)
        self._timer.timeout.connect(self.reload)
        session.image_changed.connect(self.reload)
        session.terms_changed.connect(self._draw)
        session.annotations_changed.connect(lambda _c: self._timer.start())
        self.visibilityChanged.connect(self._on_visibility)

    def _ensure_plots(self) -> pg.GraphicsLayoutWidget:
        if self.plots is not None:
            return self.plots
        import pyqtgraph as pg  # lazy: see the module's doc

        plots = self.plots = pg.GraphicsLayoutWidget()
        plots.setBackground("w")
        self.term_plot = plots.addPlot(row=0, col=0)
        self.hist_plot = plots.addPlot(row=1, col=0, title="Area histogram")
        for plot in (self.term_plot, self.hist_plot):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
        self.term_plot.showGrid(x=True, alpha=0.3)
        self.hist_plot.showGrid(y=True, alpha=0.3)
        self.hist_plot.setLabel("left", "annotations")
        self._layout.addWidget(plots, 1)
        return plots

    def _on_visibility(self, visible: bool) -> None:
        if visible:
            self.reload()

    def reload(self) -> None:
        service = self._session.service
        if service is None or not self.isVisible():
            return
        self._ensure_plots()
        self._session.read(
            image_statistics, self._session.store, service.image_pk, on_done=self._set, key="stats"
        )

    def _set(self, stats: ImageStatistics) -> None:
        self.stats = stats
        self._draw()

    # -- drawing ------------------------------------------------------------------------
    def rows(self) -> list[tuple[str, str, TermStatistics]]:
        """(name, colour, numbers) per term in the Terms dock's order, "(no term)" last."""
        stats = self.stats
        if stats is None:
            return []
        order: dict[int | None, int] = {t.pk: i for i, t in enumerate(self._session.terms)}
        out = []
        for s in sorted(
            stats.per_term,
            key=lambda s: (s.term_pk is None, order.get(s.term_pk, len(order)), s.term_pk or 0),
        ):
            term = self._session.term(s.term_pk) if s.term_pk is not None else None
            name = term.name if term else "(no term)" if s.term_pk is None else f"#{s.term_pk}"
            out.append((name, term.color if term else NO_TERM_COLOR, s))
        return out

    def _draw(self) -> None:
        if self.plots is None:  # never shown: nothing to draw into yet
            return
        import pyqtgraph as pg  # loaded by _ensure_plots already

        plots = self.plots
        stats = self.stats
        for plot in (self.term_plot, self.hist_plot):
            plot.clear()
        if stats is None:
            return
        self.summary.setText(f"{stats.total:,} annotations")
        rows = self.rows()
        measure = self.measure.currentData() or "count"
        values = [float(s.count if measure == "count" else s.total_area) for _n, _c, s in rows]
        y = np.arange(len(rows))[::-1].astype(float)  # first term on top
        if rows:
            self.term_plot.addItem(
                pg.BarGraphItem(
                    x0=0, y=y, width=values, height=0.7, brushes=[c for _n, c, _s in rows]
                )
            )
        left = self.term_plot.getAxis("left")
        labels = [_elide(n) for n, _c, _s in rows]
        left.setTicks([list(zip(y.tolist(), labels, strict=True)), []])
        metrics = QFontMetrics(left.style.get("tickFont") or plots.font())
        widest = max((metrics.horizontalAdvance(text) for text in labels), default=0)
        left.setWidth(widest + 16)
        self.term_plot.setYRange(-0.6, len(rows) - 0.4, padding=0)
        top = max(values, default=1.0)
        self.term_plot.setXRange(0, top * 1.05 or 1.0, padding=0)
        bottom = self.term_plot.getAxis("bottom")
        if measure == "count" and top <= 10:
            bottom.setTickSpacing(1, 1)  # counts are whole numbers
        else:
            bottom.setTickSpacing()
        title = "Annotations per term" if measure == "count" else f"Total area ({stats.unit})"
        self.term_plot.setTitle(title)
        self.term_plot.setLabel("bottom", "annotations" if measure == "count" else stats.unit)
        self.term_plot.setToolTip(
            "\n".join(f"{n}: {v:,.1f}" for (n, _c, _s), v in zip(rows, values, strict=True))
        )
        self._draw_histogram(stats)
        rows_px = max(len(rows), 3) * ROW_PX + 70
        layout = plots.ci.layout
        layout.setRowPreferredHeight(0, rows_px)
        layout.setRowMinimumHeight(0, rows_px)
        layout.setRowMinimumHeight(1, HIST_PX)
        plots.setMinimumHeight(rows_px + HIST_PX + 20)

    def _draw_histogram(self, stats: ImageStatistics) -> None:
        areas = stats.areas[stats.areas > 0]
        bottom = self.hist_plot.getAxis("bottom")
        if not len(areas):
            bottom.setTicks(None)
            return
        lo, hi = math.log10(areas.min()), math.log10(areas.max()) + 1e-9
        edges = np.linspace(lo, hi if hi > lo else lo + 1, 31)
        counts, edges = np.histogram(np.log10(areas), bins=edges)
        self.hist_plot.plot(
            edges, counts, stepMode="center", fillLevel=0, brush=(30, 136, 229, 120)
        )
        bottom.setTicks([log_ticks(float(edges[0]), float(edges[-1])), []])
        self.hist_plot.setLabel("bottom", f"area ({stats.unit}, log scale)")
