"""Properties, description and attached files of the selected annotation (one selected:
editable), its tags and annotation group as pulled from the server (shown, not edited);
with nothing selected, the attached files of the image.

Reads ``AnnotationService.details`` on a worker when the selection or the annotation
changes; each edit (a value cell, a new key, a removal, the description's Save) is
one service call, hence one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.shapes import shape_name
from desktop_app.services.annotation_reads import AnnotationDetails
from desktop_app.services.annotations import Change
from desktop_app.ui.annotations.selection import SelectionModel
from desktop_app.ui.annotations.session import AnnotationSession
from desktop_app.ui.fit import scrollable
from desktop_app.ui.panels.attached_files_box import AttachedFilesBox


class PropertiesPanel(QDockWidget):
    def __init__(
        self, session: AnnotationSession, selection: SelectionModel, parent: QWidget | None = None
    ) -> None:
        super().__init__("Properties", parent)
        self.setObjectName("properties_dock")
        self._session = session
        self._selection = selection
        self.details: AnnotationDetails | None = None
        self._filling = False
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.header = QLabel("No annotation selected")
        self.header.setWordWrap(True)
        #: Tags and annotation group pulled from the server (read-only on the desktop).
        self.companions = QLabel("")
        self.companions.setObjectName("annotation_companions")
        self.companions.setWordWrap(True)
        self.companions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.companions.hide()
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Key", "Value"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(self._on_item_changed)
        add_row = QHBoxLayout()
        self.new_key = QLineEdit(placeholderText="key")
        self.new_value = QLineEdit(placeholderText="value")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self._on_add)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._on_remove)
        for w in (self.new_key, self.new_value, self.add_button, self.remove_button):
            add_row.addWidget(w)
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("Description")
        self.description.setMaximumHeight(90)
        self.save_description = QPushButton("Save description")
        self.save_description.clicked.connect(self._on_save_description)
        layout.addWidget(self.header)
        layout.addWidget(self.companions)
        layout.addWidget(self.table, 1)
        layout.addLayout(add_row)
        layout.addWidget(self.description)
        layout.addWidget(self.save_description)
        self.files = AttachedFilesBox(session, selection, body)
        layout.addWidget(self.files)
        self.setWidget(scrollable(body))  # squeezed: scrolls, never grows the window
        selection.changed.connect(lambda _p: self.reload())
        session.annotations_changed.connect(self._on_change)
        session.image_changed.connect(self.reload)
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.table, self.new_key, self.new_value, self.add_button, self.remove_button,
                  self.description, self.save_description):  # fmt: skip
            w.setEnabled(on)

    def _pk(self) -> int | None:
        pks = self._selection.pks()
        return pks[0] if len(pks) == 1 else None

    def _on_change(self, change: Change) -> None:
        pk = self._pk()
        if pk is not None and (not change.pks or pk in change.pks):
            self.reload()

    def reload(self) -> None:
        pk, service = self._pk(), self._session.service
        if pk is None or service is None:
            self._show(None)
            return
        self._session.read(service.details, pk, on_done=self._show, key="details")

    def _show(self, details: AnnotationDetails | None) -> None:
        if details is not None and details.pk != self._pk():
            return  # the selection moved on meanwhile
        self.details = details
        self._filling = True
        self.table.setRowCount(0)
        if details is None:
            n = len(self._selection.pks())
            self.header.setText(f"{n} annotations selected" if n > 1 else "No annotation selected")
            self.description.setPlainText("")
            self.companions.setText("")
        else:
            service = self._session.service
            area, perimeter = service.um(details.geometry) if service else (None, None)
            names = (
                ", ".join(t.name for p in details.terms if (t := self._session.term(p)))
                or "no term"
            )
            size = f"{area:,.1f} µm², {perimeter:,.1f} µm" if area is not None else ""
            self.header.setText(
                f"<b>#{details.pk}</b> {shape_name(details.geometry).capitalize()} - {names} - "
                f"by {details.author}<br>{size}"
            )
            for key, value in sorted(details.properties.items()):
                row = self.table.rowCount()
                self.table.insertRow(row)
                key_item = QTableWidgetItem(key)
                key_item.setFlags(key_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, 0, key_item)
                self.table.setItem(row, 1, QTableWidgetItem(value))
            self.description.setPlainText(details.description)
            self.companions.setText(details.companions.describe())
        self.companions.setVisible(bool(self.companions.text()))
        self._filling = False
        self._set_enabled(details is not None)

    # -- edits --------------------------------------------------------------------------
    def set_property(self, key: str, value: str) -> None:
        pk, service = self._pk(), self._session.service
        if pk is not None and service is not None and key.strip():
            self._session.write(service.set_property, pk, key.strip(), value)

    def remove_property(self, key: str) -> None:
        pk, service = self._pk(), self._session.service
        if pk is not None and service is not None:
            self._session.write(service.delete_property, pk, key)

    def set_description(self, text: str) -> None:
        pk, service = self._pk(), self._session.service
        if pk is not None and service is not None:
            self._session.write(service.set_description, pk, text)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 1:
            return
        key = self.table.item(item.row(), 0)
        if key is not None:
            self.set_property(key.text(), item.text())

    def _on_add(self) -> None:
        self.set_property(self.new_key.text(), self.new_value.text())
        self.new_key.clear()
        self.new_value.clear()

    def _on_remove(self) -> None:
        row = self.table.currentRow()
        key = self.table.item(row, 0) if row >= 0 else None
        if key is not None:
            self.remove_property(key.text())

    def _on_save_description(self) -> None:
        self.set_description(self.description.toPlainText())
