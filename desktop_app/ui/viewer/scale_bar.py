"""A scale bar floating over the view; chrome, so ``render_to_image`` leaves it out."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from desktop_app.ui.viewer.units import format_length_um, nice_length

_MAX_BAR_PX = 160.0


class ScaleBar(QWidget):
    """Shows the longest 1/2/5 length that fits in ``_MAX_BAR_PX`` screen pixels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._um_per_px: float | None = None
        self.resize(int(_MAX_BAR_PX) + 24, 34)

    def set_um_per_screen_px(self, um_per_px: float | None) -> None:
        if um_per_px != self._um_per_px:
            self._um_per_px = um_per_px
            self.setVisible(um_per_px is not None and um_per_px > 0)
            self.update()

    def bar(self) -> tuple[float, str] | None:
        """``(length in screen px, label)``, or ``None`` without a pixel size."""
        if not self._um_per_px:
            return None
        um = nice_length(_MAX_BAR_PX * self._um_per_px)
        return um / self._um_per_px, format_length_um(um)

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        bar = self.bar()
        if bar is None:
            return
        px, label = bar
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 200))
        p.drawRoundedRect(QRectF(0, 0, px + 20, self.height()), 4, 4)
        p.setBrush(QColor(20, 20, 20))
        p.drawRect(QRectF(10, self.height() - 10, px, 4))
        p.setPen(QColor(20, 20, 20))
        p.drawText(QRectF(10, 2, px, self.height() - 14), Qt.AlignmentFlag.AlignCenter, label)
        p.end()
