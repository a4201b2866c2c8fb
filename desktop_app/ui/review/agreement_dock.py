"""Agreement dock: how far the project's readers agree, as a table and two pyqtgraph plots.

The figures come from :func:`desktop_app.services.agreement.project_agreement` on a
worker lane (never the UI thread), for the whole project or the open image. The kappa
plot puts each pair of readers side by side on accept/reject and on terms (a kappa that
is undefined draws no bar and reads ``—`` in the table); the heatmap is the chosen
pair's term confusion matrix, rows the first reader, the diagonal where they agree.
"Export decisions…" writes every decision as CSV, the same file as
``workstation agreement --csv``.

pyqtgraph is imported when the dock is first shown (it starts hidden), not with the
module: it is ~40 % of the GUI's import time and the first viewport does not need it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.agreement import Agreement, PairAgreement
from desktop_app.services.agreement import project_agreement, write_decisions_csv
from desktop_app.store.uow import Store
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.lanes import describe_error
from desktop_app.ui.review.study_dock import StudyDock, install_study_dock, read_table

if TYPE_CHECKING:
    import pyqtgraph as pg

COLUMNS = ("Reader A", "Reader B", "N", "Agree", "Decision κ", "Term κ")
DECISION_BRUSH, TERM_BRUSH = (30, 136, 229), (255, 143, 0)


def _fmt(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "—"  # undefined (no comparable annotation, or p_e = 1): not a score
    return f"{100 * x:.0f}%" if pct else f"{x:.2f}"


def _pair_name(p: PairAgreement) -> str:
    return f"{p.a} – {p.b}"


class AgreementDock(StudyDock):
    """The dock; ``result`` holds the figures shown (None until the first read)."""

    def __init__(self, store: Store, session: AnnotationSession, parent: QWidget | None) -> None:
        super().__init__("Agreement", "AgreementDock", store, session, parent)
        self.result: Agreement | None = None
        self.scope = QComboBox()
        self.scope.addItem("Whole project", "project")
        self.scope.addItem("This image", "image")
        self.scope.currentIndexChanged.connect(lambda _i: self.reload())
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.reload)
        self.export_button = QPushButton("Export decisions…")
        self.export_button.setToolTip("Every reader's and adjudicator's decision, as CSV")
        self.export_button.clicked.connect(self._ask_export)
        self.summary = QLabel("Open an image of a project to see its readers' agreement.")
        self.summary.setWordWrap(True)
        self.table = read_table(COLUMNS)
        self.table.setMinimumHeight(90)
        self.pair = QComboBox()
        self.pair.currentIndexChanged.connect(lambda _i: self._draw_confusion())
        # Built by _ensure_plots when the dock is first shown (see the module's doc).
        self.plots: pg.GraphicsLayoutWidget | None = None
        self.kappa_plot: Any = None
        self.confusion_plot: Any = None
        top = QHBoxLayout()
        top.addWidget(self.scope, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        pair_row = QHBoxLayout()
        pair_row.addWidget(QLabel("Confusion of:"))
        pair_row.addWidget(self.pair, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addLayout(pair_row)
        self._body_layout = layout
        layout.addWidget(self.message)
        self.show_body(body)

    def _where(self) -> tuple[int, int | None] | None:
        service = self._session.service
        if service is None:
            return None
        image = service.image_pk if self.scope.currentData() == "image" else None
        return int(service.project_pk), image

    def _ensure_plots(self) -> None:
        if self.plots is not None:
            return
        import pyqtgraph as pg  # lazy: see the module's doc

        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground("w")
        self.plots.setMinimumHeight(460)
        self.kappa_plot = self.plots.addPlot(row=0, col=0, title="Cohen's kappa per pair")
        self.confusion_plot = self.plots.addPlot(row=1, col=0, title="Term confusion")
        for plot in (self.kappa_plot, self.confusion_plot):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
        self.kappa_plot.showGrid(y=True, alpha=0.3)
        self.kappa_plot.addLegend(offset=(-4, 4))
        self.confusion_plot.invertY(True)
        self.confusion_plot.setAspectLocked(False)
        layout = self._body_layout
        layout.insertWidget(layout.indexOf(self.message), self.plots, 1)

    def reload(self) -> None:
        where = self._where()
        if where is None or not self.isVisible():
            return
        self._ensure_plots()
        self.lane.submit(project_agreement, self._store, *where, on_done=self._set, key="read")

    # -- export -------------------------------------------------------------------------
    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export review decisions", "review-decisions.csv", "CSV (*.csv)"
        )
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> None:
        """Write the decisions of the current scope to ``path`` on the worker."""
        where = self._where()
        if where is None:
            return
        store, (project_pk, image_pk) = self._store, where

        def write() -> int:
            with path.open("w", encoding="utf-8", newline="") as f:
                return write_decisions_csv(store, project_pk, f, image_pk)

        self.lane.submit(
            write,
            on_done=lambda n: self.set_message(f"Wrote {n} decisions to {path}."),
            on_error=lambda exc: self.set_message(
                f"Cannot write {path}: {describe_error(exc)}", error=True
            ),
        )

    # -- drawing ------------------------------------------------------------------------
    def _set(self, result: Agreement) -> None:
        self.result = result
        n = len(result.readers)
        if n < 2:
            self.summary.setText(
                f"{n} reader(s) decided here; agreement needs two "
                "(sync to bring in the other readers' decisions)."
            )
        else:
            fleiss = (
                f"Fleiss' kappa {_fmt(result.fleiss_kappa)} over the {result.fleiss_n} "
                "annotations all decided."
                if n >= 3
                else "Fleiss' kappa needs three readers."
            )
            self.summary.setText(f"{n} readers: {', '.join(map(str, result.readers))}. {fleiss}")
        self.table.setRowCount(len(result.pairs))
        rows_px = self.table.horizontalHeader().height() + 8
        rows_px += sum(self.table.rowHeight(r) for r in range(len(result.pairs)))
        self.table.setFixedHeight(max(rows_px, 90) if len(result.pairs) < 8 else 260)
        for row, p in enumerate(result.pairs):
            values = (
                str(p.a), str(p.b), str(p.n), _fmt(p.percent_agreement, pct=True),
                _fmt(p.decision_kappa), _fmt(p.term_kappa),
            )  # fmt: skip
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        chosen = self.pair.currentIndex()
        self.pair.blockSignals(True)
        self.pair.clear()
        for p in result.pairs:
            self.pair.addItem(_pair_name(p))
        self.pair.setCurrentIndex(min(max(chosen, 0), len(result.pairs) - 1))
        self.pair.blockSignals(False)
        self._draw_kappa()
        self._draw_confusion()

    def _draw_kappa(self) -> None:
        self._ensure_plots()
        import pyqtgraph as pg  # loaded by _ensure_plots

        plot = self.kappa_plot
        plot.clear()
        pairs = self.result.pairs if self.result else []
        x = np.arange(len(pairs), dtype=float)
        for offset, name, brush, values in (
            (-0.2, "accept/reject", DECISION_BRUSH, [p.decision_kappa for p in pairs]),
            (0.2, "terms", TERM_BRUSH, [p.term_kappa for p in pairs]),
        ):
            known = [i for i, v in enumerate(values) if v is not None]
            bars = pg.BarGraphItem(
                x=x[known] + offset,
                height=[values[i] for i in known],
                width=0.36,
                brush=brush,
                name=name,
            )
            plot.addItem(bars)
        plot.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen((120, 120, 120))))
        plot.getAxis("bottom").setTicks([[(float(i), _pair_name(p)) for i, p in enumerate(pairs)]])
        plot.setXRange(-0.6, max(len(pairs), 1) - 0.4, padding=0)
        plot.setYRange(-1.0, 1.0, padding=0.05)
        plot.setLabel("left", "kappa")

    def _draw_confusion(self) -> None:
        self._ensure_plots()
        import pyqtgraph as pg  # loaded by _ensure_plots

        plot = self.confusion_plot
        plot.clear()
        pairs = self.result.pairs if self.result else []
        i = self.pair.currentIndex()
        if not pairs or not 0 <= i < len(pairs) or not pairs[i].labels:
            plot.setTitle("Term confusion (no annotation both readers accepted with a term)")
            for side in ("left", "bottom"):
                plot.getAxis(side).setTicks(None)
            return
        p = pairs[i]
        m = np.asarray(p.matrix, dtype=float)
        image = pg.ImageItem(m.T)  # ImageItem's first axis is x: columns are reader b
        image.setColorMap(pg.colormap.get("viridis"))
        image.setLevels((0.0, max(float(m.max()), 1.0)))
        plot.addItem(image)
        top = float(m.max()) or 1.0
        for r in range(m.shape[0]):
            for c in range(m.shape[1]):
                colour = (0, 0, 0) if m[r, c] > 0.6 * top else (255, 255, 255)
                text = pg.TextItem(f"{int(m[r, c])}", color=colour, anchor=(0.5, 0.5))
                text.setPos(c + 0.5, r + 0.5)
                plot.addItem(text)
        ticks = [(k + 0.5, str(label)) for k, label in enumerate(p.labels)]
        plot.getAxis("bottom").setTicks([ticks])
        plot.getAxis("left").setTicks([ticks])
        plot.setLabel("bottom", str(p.b))
        plot.setLabel("left", str(p.a))
        plot.setTitle(f"Term confusion ({p.term_n} annotations)")
        plot.setXRange(0, len(p.labels), padding=0.02)
        plot.setYRange(0, len(p.labels), padding=0.02)


def install_agreement_dock(
    window: QMainWindow, session: AnnotationSession, *, store: Store
) -> AgreementDock:
    """Add the dock (hidden) and ``Review > Reader agreement`` to show it."""
    return install_study_dock(
        window,
        AgreementDock(store, session, window),
        "Reader agreement",
        "Kappa per pair of readers, Fleiss' kappa, term confusion; CSV export",
    )


__all__ = ["AgreementDock", "install_agreement_dock"]
