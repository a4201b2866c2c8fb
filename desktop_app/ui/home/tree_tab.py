"""The SciTran hierarchy: a tree of containers and the selected one's metadata.

The nodes come from ``services.scitran_tree`` (built on a worker); this view only
shows them.  The details pane lists the container's fields, its files (double-click
opens: a slide in the viewer, anything else with the desktop's application) and its
notes, which can be added, edited and deleted offline (they sync with the next sync).
"""

from __future__ import annotations

import html
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStyle,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.scitran_tree import NAMES_HIDDEN, Node

NODE_ROLE = Qt.ItemDataRole.UserRole + 10
ICONS = {
    "group": QStyle.StandardPixmap.SP_DriveNetIcon,
    "project": QStyle.StandardPixmap.SP_DirIcon,
    "subject": QStyle.StandardPixmap.SP_FileDialogInfoView,
    "session": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "acquisition": QStyle.StandardPixmap.SP_FileIcon,
    "analysis": QStyle.StandardPixmap.SP_FileDialogContentsView,
    "collection": QStyle.StandardPixmap.SP_DirLinkIcon,
}
SKIP_FIELDS = {"children", "files", "notes", "type", "label"}


def _label(node: Node) -> str:
    label = node.get("label") or "(no label)"
    if node["type"] == "subject" and node.get("names_hidden"):
        label += "  (names hidden)"
    return str(label)


def local_time(stamp: str | None, zone: str | None) -> str:
    """A UTC ISO timestamp shown in the container's own timezone (and its offset)."""
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if zone:
        try:
            when = when.astimezone(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            return f"{when:%Y-%m-%d %H:%M} UTC ({zone}?)"
        return f"{when:%Y-%m-%d %H:%M} {zone} (UTC{when:%z})"
    return f"{when:%Y-%m-%d %H:%M} UTC"


def device_text(device: dict[str, Any]) -> str:
    """``Aperio GT 450 (Leica GT450, pathology lab room 2)``: label, then what is known."""
    extra = ", ".join(str(device[k]) for k in ("model", "location") if device.get(k))
    label = str(device.get("label") or device.get("id") or "unnamed device")
    return f"{label} ({extra})" if extra else label


def _fmt(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value) or "-"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False) if value else "-"
    return "-" if value is None or value == "" else str(value)


class TreeTab(QWidget):
    """``file_requested(node, file name)``; ``note_add_requested(node)``;
    ``note_edit_requested(node, note)``; ``note_delete_requested(node, note)``."""

    file_requested = Signal(object, str)
    note_add_requested = Signal(object)
    note_edit_requested = Signal(object, object)
    note_delete_requested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel()
        self.model.setHorizontalHeaderLabels(["Container", "Type", "Timestamp"])
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.view.selectionModel().currentChanged.connect(lambda cur, _prev: self._show(cur))
        self.details = QTextBrowser()
        self.files = QListWidget()
        self.files.itemDoubleClicked.connect(self._on_file)
        self.notes = QListWidget()
        self.notes.itemDoubleClicked.connect(self._on_note)
        self.notes.currentItemChanged.connect(lambda cur, _p: self._note_buttons(cur))
        self.add_note = QPushButton("Add note...")
        self.add_note.clicked.connect(lambda: self._emit_add())
        self.edit_note = QPushButton("Edit note...")
        self.edit_note.clicked.connect(lambda: self._on_note(self.notes.currentItem()))
        self.delete_note = QPushButton("Delete note...")
        self.delete_note.clicked.connect(self._on_delete_note)
        self.empty = QLabel("Nothing yet: log in and sync to see your groups and projects.")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.details, 3)
        rl.addWidget(QLabel("Files (double-click to open)"))
        rl.addWidget(self.files, 1)
        rl.addWidget(QLabel("Notes"))
        rl.addWidget(self.notes, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_note)
        buttons.addWidget(self.edit_note)
        buttons.addWidget(self.delete_note)
        rl.addLayout(buttons)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        self.current: Node | None = None
        self._icons: dict[str, QIcon] = {}
        self._show_node(None)

    def set_nodes(self, nodes: list[Node]) -> None:
        keep = self.current["uid"] if self.current else None
        self.model.removeRows(0, self.model.rowCount())
        root = self.model.invisibleRootItem()
        for node in nodes:
            self._add(root, node)
        self.empty.setVisible(not nodes)
        self.view.expandToDepth(3)
        self.view.resizeColumnToContents(0)
        if keep is not None:
            self.select_uid(keep)

    def _add(self, parent: QStandardItem, node: Node) -> None:
        item = QStandardItem(_label(node))
        item.setIcon(self._icon(node["type"]))
        item.setData(node, NODE_ROLE)
        if node["type"] == "subject" and node.get("names_hidden"):
            item.setToolTip(NAMES_HIDDEN)
        stamp = local_time(node.get("timestamp"), node.get("timezone"))
        parent.appendRow([item, QStandardItem(node["type"]), QStandardItem(stamp)])
        for child in node["children"]:
            self._add(item, child)

    def _icon(self, kind: str) -> QIcon:
        if kind not in self._icons:
            self._icons[kind] = self.style().standardIcon(ICONS[kind])
        return self._icons[kind]

    def select_uid(self, uid: str) -> bool:
        for index in self._all_indexes():
            node = index.data(NODE_ROLE)
            if isinstance(node, dict) and node.get("uid") == uid:
                self.view.setCurrentIndex(index)
                return True
        return False

    def _all_indexes(self) -> list[Any]:
        out = []
        stack = [self.model.index(r, 0) for r in range(self.model.rowCount())]
        while stack:
            index = stack.pop(0)
            out.append(index)
            stack += [self.model.index(r, 0, index) for r in range(self.model.rowCount(index))]
        return out

    def _show(self, index: Any) -> None:
        node = index.siblingAtColumn(0).data(NODE_ROLE) if index.isValid() else None
        self._show_node(node if isinstance(node, dict) else None)

    def _show_node(self, node: Node | None) -> None:
        self.current = node
        self.files.clear()
        self.notes.clear()
        can_note = node is not None and node["type"] not in ("group", "subject")
        self.add_note.setEnabled(can_note)
        self._note_buttons(None)
        if node is None:
            self.details.setHtml("<i>Select a container to see its metadata.</i>")
            return
        rows: list[tuple[str, Any]] = [
            ("Type", node["type"]),
            ("Label", node.get("label")),
            ("Server id", node["id"]),
        ]
        rows.append(("Local uid", node["uid"]))
        for key, value in node.items():
            if key in SKIP_FIELDS or key in ("id", "uid"):
                continue
            if key == "timestamp":
                value = local_time(value, node.get("timezone"))
            elif key == "devices":
                value = "; ".join(device_text(d) for d in value)
            rows.append((key.replace("_", " ").capitalize(), value))
        body = "".join(
            f"<tr><td><b>{html.escape(str(k))}</b></td><td>{html.escape(_fmt(v))}</td></tr>"
            for k, v in rows
        )
        warning = ""
        if node.get("names_hidden"):
            warning = f"<p style='color:#EF6C00'><b>{html.escape(NAMES_HIDDEN)}</b></p>"
        self.details.setHtml(f"{warning}<table cellspacing='4'>{body}</table>")
        for f in node["files"]:
            size = f"{f['size']:,} B" if f.get("size") is not None else "size unknown"
            origin = (f.get("origin") or {}).get("name") or "-"
            text = (
                f"{f['name']}  ({f.get('type') or 'type unknown'}, {size}, "
                f"modality {f.get('modality') or '-'}, from {origin})"
            )
            item = QListWidgetItem(text)
            item.setData(NODE_ROLE, f["name"])
            self.files.addItem(item)
        for n in node["notes"]:
            pending = "  (not synced yet)" if n.get("pending") else ""
            item = QListWidgetItem(f"{n.get('user') or '?'}: {n['text']}{pending}")
            item.setData(NODE_ROLE, n)
            self.notes.addItem(item)

    def _emit_add(self) -> None:
        if self.current is not None:
            self.note_add_requested.emit(self.current)

    def _on_file(self, item: QListWidgetItem) -> None:
        if self.current is not None and item is not None:
            self.file_requested.emit(self.current, str(item.data(NODE_ROLE)))

    def _note_buttons(self, item: QListWidgetItem | None) -> None:
        self.edit_note.setEnabled(item is not None)
        self.delete_note.setEnabled(item is not None)

    def _on_delete_note(self) -> None:
        item = self.notes.currentItem()
        if self.current is not None and item is not None:
            self.note_delete_requested.emit(self.current, item.data(NODE_ROLE))

    def _on_note(self, item: QListWidgetItem | None) -> None:
        if self.current is not None and item is not None:
            self.note_edit_requested.emit(self.current, item.data(NODE_ROLE))
