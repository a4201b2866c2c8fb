"""Sliders for the channel (c), focal plane (z) and time point (t) of an image group.

Generic on purpose: it knows only the three sizes and emits the selected indices;
which source serves ``(c, z, t)`` is decided by whoever connects ``index_changed``.
It hides itself for plain 2-D slides.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

_AXES = ("c", "z", "t")


class DimensionsBar(QWidget):
    """One slider per axis with more than one position; emits ``index_changed(c, z, t)``."""

    index_changed = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self._sliders: dict[str, QSlider] = {}
        self._labels: dict[str, QLabel] = {}
        for axis in _AXES:
            label = QLabel(self)
            slider = QSlider(Qt.Orientation.Horizontal, self)
            slider.setObjectName(f"dim_{axis}")
            slider.valueChanged.connect(self._on_value_change)
            layout.addWidget(label)
            layout.addWidget(slider, 1)
            self._sliders[axis] = slider
            self._labels[axis] = label
        self.set_dimensions(1, 1, 1)

    def set_dimensions(self, c: int, z: int, t: int) -> None:
        """Show a slider for each axis of size > 1; hide the bar if there is none."""
        for axis, size in zip(_AXES, (c, z, t), strict=True):
            slider = self._sliders[axis]
            slider.blockSignals(True)
            slider.setRange(0, max(0, size - 1))
            slider.setValue(0)
            slider.blockSignals(False)
            slider.setVisible(size > 1)
            self._labels[axis].setVisible(size > 1)
            self._update_label(axis)
        self.setVisible(max(c, z, t) > 1)

    def set_position(self, c: int, z: int, t: int) -> None:
        """Move the sliders without emitting (the image at that position is already shown)."""
        for axis, value in zip(_AXES, (c, z, t), strict=True):
            slider = self._sliders[axis]
            slider.blockSignals(True)
            slider.setValue(value)
            slider.blockSignals(False)
            self._update_label(axis)

    def index(self) -> tuple[int, int, int]:
        c, z, t = (self._sliders[a].value() for a in _AXES)
        return c, z, t

    def slider(self, axis: str) -> QSlider:
        return self._sliders[axis]

    def _update_label(self, axis: str) -> None:
        s = self._sliders[axis]
        self._labels[axis].setText(f"{axis.upper()} {s.value() + 1}/{s.maximum() + 1}")

    def _on_value_change(self, _value: int) -> None:
        for axis in _AXES:
            self._update_label(axis)
        self.index_changed.emit(*self.index())
