"""Measurement table export from the UI: File > Export measurements... and the
Annotations table's context menu (copy to the clipboard, export the selected rows).

The table is built on the panel lane (it reads the cache) with the same function as
``workstation measurements``, so the desktop and the command write the same columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox

from desktop_app.services.measurements import MeasurementTable, measurement_table
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.lanes import describe_error

MEASUREMENT_FILTER = "Tab-separated (*.tsv);;Comma-separated (*.csv)"


class MeasurementsExport:
    def __init__(
        self, window: QMainWindow, session: AnnotationSession, status: Callable[[str], object]
    ) -> None:
        self._window = window
        self._session = session
        self._status = status

    def ask(self, pks: Sequence[int] | None = None) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self._window, "Export measurements", "measurements.tsv", MEASUREMENT_FILTER
        )
        if path:
            if not Path(path).suffix:
                path += ".csv" if "csv" in chosen.lower() else ".tsv"
            self.export(Path(path), pks)

    def export(self, path: Path, pks: Sequence[int] | None = None) -> None:
        """Write the current image's table (only ``pks`` when given) to ``path``."""
        service = self._session.service
        if service is None:
            self._status("Open an image before exporting measurements.")
            return
        store, image_pk = self._session.store, service.image_pk

        def run() -> int:
            table = measurement_table(store, [image_pk], pks)
            table.write(path)
            return len(table.rows)

        self._session.panel_lane.submit(
            run,
            on_done=lambda n: self._status(f"Exported measurements of {n} annotations to {path}"),
            on_error=self._failed,
        )

    def copy(self, pks: Sequence[int]) -> None:
        """The selected rows (with the header) as TSV on the clipboard, for a spreadsheet."""
        service = self._session.service
        if service is None or not pks:
            return
        store, image_pk = self._session.store, service.image_pk

        def done(table: MeasurementTable) -> None:
            QApplication.clipboard().setText(table.to_text("\t"))
            self._status(f"Copied {len(table.rows)} row(s)")

        self._session.panel_lane.submit(
            measurement_table, store, [image_pk], list(pks), on_done=done, on_error=self._failed
        )

    def _failed(self, exc: BaseException) -> None:
        self._status(f"Export failed: {describe_error(exc)}")
        QMessageBox.critical(self._window, "Cannot export measurements", describe_error(exc))
