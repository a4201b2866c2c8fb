"""Mouse, wheel and keyboard navigation for ``SlideView``, as a mixin.

Kept apart from the view so the view's module is about state, loading and painting;
the handlers only translate Qt events into the view's public ``pan_by`` / ``zoom_by``
(the same calls the menus, the minimap and the benchmarks make).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, SignalInstance
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from desktop_app.ui.viewer import navigation
from desktop_app.ui.viewer.transform import ViewTransform


class NavigationInput(QWidget):
    """Drag pans, the wheel zooms about the cursor, arrows pan, ``+``/``-`` zoom."""

    _drag_from: QPointF | None = None
    cursor_moved: SignalInstance

    def pan_by(self, dx: float, dy: float) -> None:
        raise NotImplementedError

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        raise NotImplementedError

    def _cursor_transform(self) -> ViewTransform | None:
        """The transform to report the cursor through (``None``: no slide)."""
        raise NotImplementedError

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # Qt override
        pos = event.position()
        if self._drag_from is not None:
            delta = pos - self._drag_from
            self._drag_from = pos
            self.pan_by(delta.x(), delta.y())
        t = self._cursor_transform()
        if t is not None:
            self.cursor_moved.emit(*t.to_image(pos.x(), pos.y()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = None
            self.unsetCursor()

    def wheelEvent(self, event: QWheelEvent) -> None:  # Qt override
        notches = event.angleDelta().y() / 120.0
        if notches:
            self.zoom_by(navigation.ZOOM_STEP ** (-notches), event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        step_x, step_y = self.width() / 8, self.height() / 8
        key = event.key()
        moves: dict[object, tuple[float, float]] = {  # event.key() is an int
            Qt.Key.Key_Left: (step_x, 0.0),
            Qt.Key.Key_Right: (-step_x, 0.0),
            Qt.Key.Key_Up: (0.0, step_y),
            Qt.Key.Key_Down: (0.0, -step_y),
        }
        if key in moves:
            self.pan_by(*moves[key])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1 / navigation.ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(navigation.ZOOM_STEP)
        else:
            super().keyPressEvent(event)
