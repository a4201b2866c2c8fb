"""The "Attached files" list of the properties dock: the selected annotation's files,
or the image's when nothing is selected.

Every disk access is off the UI thread: the listing (which also checks whether each
file's bytes are on disk) runs on the session's panel lane, and Add's copy into the
data dir on the write lane, like every other edit, so a big PDF never freezes the
window.  Add and Remove are one undo step each in the image's history (Ctrl+Z brings
a removed file back), so Remove asks nothing.  Open hands the local copy to the
desktop (``QDesktopServices``); a file pulled from the server whose bytes have not
been downloaded yet says so instead.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.annotations import Change
from desktop_app.services.attachments import (
    FileRow,
    Target,
    annotation_target,
    human_size,
    image_target,
)
from desktop_app.ui.annotations.selection import SelectionModel
from desktop_app.ui.annotations.session import AnnotationSession

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class AttachedFilesBox(QWidget):
    def __init__(
        self, session: AnnotationSession, selection: SelectionModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._selection = selection
        self.target: Target | None = None
        self.rows: list[FileRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("Attached files")
        self.list = QListWidget()
        self.list.setMaximumHeight(110)
        self.list.itemDoubleClicked.connect(lambda _i: self.open_selected())
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add…")
        self.add_button.clicked.connect(self._ask_add)
        self.open_button = QPushButton("Open")
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        for b in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(b)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        selection.changed.connect(lambda _p: self.reload())
        session.annotations_changed.connect(self._on_change)
        session.image_changed.connect(self.reload)
        self._update_buttons()

    # -- reading ------------------------------------------------------------------------
    def _current_target(self) -> Target | None:
        service = self._session.service
        if service is None:
            return None
        pks = self._selection.pks()
        if len(pks) == 1:
            return annotation_target(pks[0])
        return None if pks else image_target(service.image_pk)

    def _on_change(self, change: Change) -> None:
        # undo/redo come as "everything changed" (empty pks): an image file may be back
        if self.target is not None and (
            not change.pks or (not self.target.is_image and self.target.pk in change.pks)
        ):
            self.reload()

    def reload(self) -> None:
        target, service = self._current_target(), self._session.service
        self.target = target
        if target is None or service is None:
            self._show((None, []))
            return
        self._session.read(
            lambda: (target, service.files(target)), on_done=self._show, key="attached-files"
        )

    def _show(self, result: tuple[Target | None, list[FileRow]]) -> None:
        target, rows = result
        if target != self.target:
            return  # the selection moved on meanwhile
        self.rows = rows
        self.list.clear()
        for row in rows:
            text = f"{row.filename}  ({human_size(row.size)})"
            if row.local_path is None:
                text += "  - not downloaded"
            item = QListWidgetItem(text)
            item.setData(ROW_ROLE, row.pk)
            self.list.addItem(item)
        if target is None:
            n = len(self._selection.pks())
            self.title.setText(
                f"Attached files ({n} annotations selected)" if n else "Attached files"
            )
        else:
            what = "image" if target.is_image else f"annotation #{target.pk}"
            self.title.setText(f"Attached files of the {what}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.target is not None)
        has_row = self.selected_row() is not None
        self.open_button.setEnabled(has_row)
        self.remove_button.setEnabled(has_row)

    def selected_row(self) -> FileRow | None:
        index = self.list.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    # -- actions ------------------------------------------------------------------------
    def _ask_add(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Attach a file", "", "All files (*)")
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> None:
        """Attach ``path`` to the current target; the copy runs on the write lane."""
        target, service = self.target, self._session.service
        if target is None or service is None:
            return
        self._session.write(
            service.attach_file, target, path, on_done=lambda _pk: self._added(path)
        )

    def _added(self, path: Path) -> None:
        self._session.message.emit(f"Attached {path.name}")
        self.reload()

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if row.local_path is None:
            self._session.message.emit(
                f"{row.filename} is not downloaded yet: sync to fetch it from the server"
            )
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(row.local_path)))

    def remove_selected(self) -> None:
        row, target, service = self.selected_row(), self.target, self._session.service
        if row is None or target is None or service is None:
            return
        self._session.write(
            service.remove_file, target, row.pk, on_done=lambda _r: self._removed(row)
        )

    def _removed(self, row: FileRow) -> None:
        self._session.message.emit(f"Removed {row.filename} (Ctrl+Z to undo)")
        self.reload()
