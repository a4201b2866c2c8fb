"""Display options of the annotation layer: fill opacity, and which kinds/authors show.

Thin: each control writes one field of the layer's :class:`Display` and nothing else.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSlider,
    QSpinBox,
    QWidget,
)

from desktop_app.ui.annotations.layer import AnnotationLayer
from desktop_app.ui.annotations.layer_data import KINDS
from desktop_app.ui.annotations.session import AnnotationSession

_KIND_LABELS = {"user": "Drawn", "algo": "Algorithm", "reviewed": "Reviewed"}


class DisplayBox(QGroupBox):
    def __init__(
        self, session: AnnotationSession, layer: AnnotationLayer, parent: QWidget | None = None
    ) -> None:
        super().__init__("Display", parent)
        self._session = session
        self._layer = layer
        form = QFormLayout(self)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(round(layer.display.opacity * 100))
        self.opacity.valueChanged.connect(self._on_opacity)
        form.addRow("Fill opacity", self.opacity)
        self.point_size = QSpinBox()
        self.point_size.setRange(2, 40)
        self.point_size.setSuffix(" px")
        self.point_size.setValue(round(layer.display.point_px))
        self.point_size.setToolTip("Points are drawn this wide at every zoom")
        self.point_size.valueChanged.connect(self._on_point_size)
        form.addRow("Point size", self.point_size)
        kinds = QHBoxLayout()
        self.kinds: dict[str, QCheckBox] = {}
        for kind in KINDS:
            box = QCheckBox(_KIND_LABELS[kind])
            box.setChecked(True)
            box.toggled.connect(self._on_kinds)
            kinds.addWidget(box)
            self.kinds[kind] = box
        form.addRow("Show", kinds)
        self.authors = QListWidget()
        self.authors.setMaximumHeight(80)
        self.authors.itemChanged.connect(self._on_authors)
        form.addRow("Authors", self.authors)
        session.image_changed.connect(self._fill_authors)
        session.authors_changed.connect(self._fill_authors)

    def _on_opacity(self, value: int) -> None:
        self._layer.set_display(replace(self._layer.display, opacity=value / 100))

    def _on_point_size(self, value: int) -> None:
        self._layer.set_display(replace(self._layer.display, point_px=float(value)))

    def _on_kinds(self, _checked: bool = False) -> None:
        hidden = frozenset(k for k, box in self.kinds.items() if not box.isChecked())
        self._layer.set_display(replace(self._layer.display, hidden_kinds=hidden))

    def _fill_authors(self) -> None:
        state = self._session.state
        hidden = self._layer.display.hidden_users
        self.authors.blockSignals(True)
        self.authors.clear()
        for pk, name in sorted((state.authors if state else {}).items(), key=lambda kv: kv[1]):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, pk)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if pk in hidden else Qt.CheckState.Checked)
            self.authors.addItem(item)
        self.authors.blockSignals(False)

    def _on_authors(self, _item: QListWidgetItem) -> None:
        hidden = frozenset(
            int(item.data(Qt.ItemDataRole.UserRole))
            for i in range(self.authors.count())
            if (item := self.authors.item(i)).checkState() != Qt.CheckState.Checked
        )
        self._layer.set_display(replace(self._layer.display, hidden_users=hidden))
