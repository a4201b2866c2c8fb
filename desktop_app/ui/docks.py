"""Dock widgets around the viewer: image adjustments and the label/macro images.

Both are thin: the adjustments dock only turns slider positions into an
``Adjustments`` value and emits it; the associated-images dock only shows what the
slide source returns for a name.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from desktop_app.slide.source import RGBA, SlideError
from desktop_app.ui.viewer.adjustments import Adjustments
from desktop_app.ui.viewer.tile_images import rgba_to_qimage


def _slider(minimum: int, maximum: int, value: int) -> QSlider:
    s = QSlider(Qt.Orientation.Horizontal)
    s.setRange(minimum, maximum)
    s.setValue(value)
    return s


class AdjustmentsDock(QDockWidget):
    """Brightness, contrast and gamma sliders; emits ``adjustments_changed``."""

    adjustments_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Adjustments", parent)
        self.setObjectName("adjustments_dock")
        body = QWidget(self)
        form = QFormLayout(body)
        # integer sliders: brightness/100, contrast/100, gamma/100
        self.brightness = _slider(-100, 100, 0)
        self.contrast = _slider(10, 300, 100)
        self.gamma = _slider(20, 500, 100)
        self._values: dict[QSlider, QLabel] = {}
        for name, slider in (
            ("Brightness", self.brightness),
            ("Contrast", self.contrast),
            ("Gamma", self.gamma),
        ):
            value = QLabel()
            value.setMinimumWidth(40)
            self._values[slider] = value
            row = QHBoxLayout()
            row.addWidget(slider, 1)
            row.addWidget(value)
            form.addRow(name, row)
            slider.valueChanged.connect(self._on_slider_change)
        reset = QPushButton("Reset")
        reset.clicked.connect(self.reset)
        form.addRow(reset)
        self.setWidget(body)
        self._on_slider_change()

    def adjustments(self) -> Adjustments:
        return Adjustments(
            brightness=self.brightness.value() / 100,
            contrast=self.contrast.value() / 100,
            gamma=self.gamma.value() / 100,
        )

    def reset(self) -> None:
        for slider, value in ((self.brightness, 0), (self.contrast, 100), (self.gamma, 100)):
            slider.setValue(value)

    def _on_slider_change(self, _value: int = 0) -> None:
        for slider, label in self._values.items():
            label.setText(
                f"{slider.value() / 100:+.2f}"
                if slider is self.brightness
                else f"{slider.value() / 100:.2f}"
            )
        self.adjustments_changed.emit(self.adjustments())


class AssociatedImagesDock(QDockWidget):
    """Label, macro and thumbnail images stored with the slide."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Label / macro", parent)
        self.setObjectName("associated_dock")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.names = QComboBox()
        self.image = QLabel("No slide")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(200, 160)
        layout.addWidget(self.names)
        layout.addWidget(self.image, 1)
        self.setWidget(body)
        self._reader: Callable[[str], RGBA] | None = None
        self.names.currentTextChanged.connect(self._show)

    def set_images(self, names: tuple[str, ...], reader: Callable[[str], RGBA] | None) -> None:
        """Offer ``names``, read lazily with ``reader`` (the slide's ``associated_image``)."""
        self._reader = reader
        self.names.blockSignals(True)
        self.names.clear()
        # label and macro first: they are what users look for
        order = sorted(names, key=lambda n: (n not in ("label", "macro"), n))
        self.names.addItems(order)
        self.names.blockSignals(False)
        if not order:
            self.image.setPixmap(QPixmap())
            self.image.setText("No label or macro image" if reader else "No slide")
        else:
            self._show(order[0])

    def _show(self, name: str) -> None:
        if not name or self._reader is None:
            return
        try:
            pixmap = QPixmap.fromImage(rgba_to_qimage(self._reader(name)))
        except SlideError as exc:
            self.image.setText(str(exc))
            return
        self.image.setPixmap(
            pixmap.scaled(
                self.image.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
