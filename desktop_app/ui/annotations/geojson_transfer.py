"""GeoJSON import and export from the UI: File > Import/Export GeoJSON...

Both run on the session's lanes (the import on the write lane, as one undoable action;
the export on the panel lane) with the same functions as ``workstation import`` and
``workstation export``, so the desktop and the commands read and write the same files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from desktop_app.services.geojson_file import write_feature_collection
from desktop_app.services.geojson_io import (
    ImportReport,
    export_features,
    import_features,
    load_geojson,
)
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.lanes import describe_error

GEOJSON_FILTER = "GeoJSON (*.geojson *.json);;All files (*)"


class GeoJsonTransfer:
    """Imports onto and exports from the session's current image; ``status`` shows a line."""

    def __init__(
        self, window: QMainWindow, session: AnnotationSession, status: Callable[[str], object]
    ) -> None:
        self._window = window
        self._session = session
        self._status = status

    def import_file(self, path: Path) -> None:
        """Import a (QuPath) GeoJSON file onto the current image as one undoable action."""
        service = self._session.service
        if service is None:
            self._status("Open an image before importing annotations.")
            return
        store, image_pk, user_pk = self._session.store, service.image_pk, self._session.user_pk

        def run() -> ImportReport:
            data = load_geojson(Path(path))
            return import_features(store, image_pk, data, user_pk=user_pk, skip_invalid=True)

        self._session.write_lane.submit(run, on_done=self._imported, on_error=self._import_failed)

    def _imported(self, report: ImportReport) -> None:
        text = f"Imported {report.imported} annotations"
        if report.created_terms:
            text += f"; new terms: {', '.join(report.created_terms)}"
        if report.repaired:
            text += f"; {report.repaired} repaired"
        if report.skipped:
            text += f"; {len(report.skipped)} skipped ({report.skipped[0]})"
        self._session.notify_external_change(f"Import {report.imported} annotations")
        self._status(text)

    def _import_failed(self, exc: BaseException) -> None:
        self._status(f"Import failed: {describe_error(exc)}")
        self._error_box("Cannot import GeoJSON", describe_error(exc))

    def export_file(self, path: Path) -> None:
        """Write the current image's annotations to ``path`` (QuPath GeoJSON)."""
        service = self._session.service
        if service is None:
            self._status("Open an image before exporting annotations.")
            return
        store, image_pk = self._session.store, service.image_pk

        def run() -> int:
            return write_feature_collection(Path(path), export_features(store, image_pk))

        self._session.panel_lane.submit(
            run,
            on_done=lambda n: self._status(f"Exported {n} annotations to {path}"),
            on_error=self._export_failed,
        )

    def _export_failed(self, exc: BaseException) -> None:
        self._status(f"Export failed: {describe_error(exc)}")
        self._error_box("Cannot export GeoJSON", describe_error(exc))

    def _error_box(self, title: str, text: str) -> None:
        """A window-modal message that does not block the caller (no nested event loop)."""
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, parent=self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._window, "Import GeoJSON", "", GEOJSON_FILTER)
        if path:
            self.import_file(Path(path))

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._window, "Export GeoJSON", "annotations.geojson", GEOJSON_FILTER
        )
        if path:
            self.export_file(Path(path))
