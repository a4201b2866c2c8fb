"""Statistics dock (pyqtgraph): count and total area per term, and an area histogram.

The numbers come from one grouped SQL query on a worker (``services.statistics``), run
only while the dock is visible and at most twice a second while edits stream in.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget

from desktop_app.services.statistics import ImageStatistics, image_statistics
from desktop_app.ui.annotations.layer_data import NO_TERM_COLOR
from desktop_app.ui.annotations.session import AnnotationSession


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
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground("w")
        self.count_plot = self.plots.addPlot(row=0, col=0, title="Annotations per term")
        self.area_plot = self.plots.addPlot(row=1, col=0, title="Total area per term")
        self.hist_plot = self.plots.addPlot(row=2, col=0, title="Area histogram")
        for plot in (self.count_plot, self.area_plot, self.hist_plot):
            plot.showGrid(y=True, alpha=0.3)
            plot.setMenuEnabled(False)
        layout.addWidget(self.summary)
        layout.addWidget(self.plots, 1)
        self.setWidget(body)
        self._timer = QTimer(self, singleShot=True, interval=500)
        self._timer.timeout.connect(self.reload)
        session.image_changed.connect(self.reload)
        session.terms_changed.connect(self._draw)
        session.annotations_changed.connect(lambda _c: self._timer.start())
        self.visibilityChanged.connect(lambda visible: visible and self.reload())

    def reload(self) -> None:
        service = self._session.service
        if service is None or not self.isVisible():
            return
        self._session.read(
            image_statistics, self._session.store, service.image_pk, on_done=self._set, key="stats"
        )

    def _set(self, stats: ImageStatistics) -> None:
        self.stats = stats
        self._draw()

    def _draw(self) -> None:
        stats = self.stats
        for plot in (self.count_plot, self.area_plot, self.hist_plot):
            plot.clear()
        if stats is None:
            return
        self.summary.setText(f"{stats.total:,} annotations")
        names, colors = [], []
        for s in stats.per_term:
            term = self._session.term(s.term_pk) if s.term_pk is not None else None
            names.append(
                term.name if term else "(no term)" if s.term_pk is None else f"#{s.term_pk}"
            )
            colors.append(term.color if term else NO_TERM_COLOR)
        x = np.arange(len(names))
        ticks = [list(zip(x.tolist(), names, strict=True))]
        for plot, values, label in (
            (self.count_plot, [s.count for s in stats.per_term], "count"),
            (self.area_plot, [s.total_area for s in stats.per_term], stats.unit),
        ):
            plot.addItem(pg.BarGraphItem(x=x, height=values, width=0.7, brushes=colors))
            plot.getAxis("bottom").setTicks(ticks)
            plot.setLabel("left", label)
        areas = stats.areas[stats.areas > 0]
        if len(areas):
            edges = np.logspace(np.log10(areas.min()), np.log10(areas.max()) + 1e-9, 31)
            counts, edges = np.histogram(areas, bins=edges)
            self.hist_plot.plot(
                np.log10(edges), counts, stepMode="center", fillLevel=0, brush=(30, 136, 229, 120)
            )
            self.hist_plot.setLabel("bottom", f"log10 area ({stats.unit})")
