"""Tool glue: Qt mouse/key events on the slide view -> pure tools -> outputs.

An event filter on the ``SlideView`` converts each event to a level-0
:class:`PointerEvent` (with the view's current downsample) or :class:`KeyEvent` and
forwards it to the active tool.  What the tool consumes is eaten; the rest falls
through to the view, so a press on empty space with the move tool still pans.  Moves
always reach the view too (it reports the cursor position).  Results are handed to
``on_result``; the tool never touches a service.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent

from desktop_app.core.tools import (
    BaseTool,
    BrushTool,
    Button,
    HitTester,
    KeyEvent,
    Mod,
    PointerEvent,
    PointerKind,
    PointTool,
    ToolContext,
    ToolMode,
    ToolResult,
    WandTool,
    dispatch,
    make_tool,
)
from desktop_app.ui.annotations.prefs import ToolPrefs, brush_step
from desktop_app.ui.annotations.wand_runner import WandRunner
from desktop_app.ui.viewer import SlideView

_KINDS = {
    QEvent.Type.MouseButtonPress: PointerKind.PRESS,
    QEvent.Type.MouseMove: PointerKind.MOVE,
    QEvent.Type.MouseButtonRelease: PointerKind.RELEASE,
    QEvent.Type.MouseButtonDblClick: PointerKind.DOUBLE_CLICK,
}
_BUTTONS = {
    Qt.MouseButton.LeftButton: Button.LEFT,
    Qt.MouseButton.RightButton: Button.RIGHT,
    Qt.MouseButton.MiddleButton: Button.MIDDLE,
}
_KEYS = {
    Qt.Key.Key_Return: "Enter",
    Qt.Key.Key_Enter: "Enter",
    Qt.Key.Key_Escape: "Escape",
    Qt.Key.Key_Backspace: "Backspace",
    Qt.Key.Key_Delete: "Delete",
}


def modifiers(qt_mods: Qt.KeyboardModifier) -> Mod:
    mods = Mod.NONE
    if qt_mods & Qt.KeyboardModifier.ShiftModifier:
        mods |= Mod.SHIFT
    if qt_mods & Qt.KeyboardModifier.ControlModifier:
        mods |= Mod.CTRL
    if qt_mods & Qt.KeyboardModifier.AltModifier:
        mods |= Mod.ALT
    return mods


class ToolController(QObject):
    """Owns the active tool (``None`` = navigate) and filters the view's input events.

    ``mode_changed(mode_or_None)``; ``on_result(result)`` for every consumed result;
    ``on_unhandled_key(name)`` for Enter/Escape/Delete/Backspace the tool ignored;
    ``pointer_moved(view_pos)`` for the cursor overlay (brush circle). Brush size
    (``[``/``]``, Ctrl+wheel) and wand sensitivity (wheel while drawing, or
    Ctrl+wheel) are kept in ``prefs``. Wand regions are computed by ``wand``.
    """

    mode_changed = Signal(object)
    pointer_moved = Signal(object)

    def __init__(
        self,
        view: SlideView,
        hits: HitTester,
        selection: Callable[[], tuple[int, ...]],
        on_result: Callable[[ToolResult], object],
        on_unhandled_key: Callable[[str], bool],
        *,
        prefs: ToolPrefs | None = None,
        pixel_size: Callable[[], tuple[float, float] | None] | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._ctx = ToolContext(hits=hits, selection=selection)
        if pixel_size is not None:
            self._ctx.pixel_size = pixel_size
        self._on_result = on_result
        self._on_unhandled_key = on_unhandled_key
        self.prefs = prefs or ToolPrefs(None, self)
        self.prefs.changed.connect(self._apply_prefs)
        self.wand = WandRunner(view.source, self._lut, on_result, self)
        self.mode: ToolMode | None = None
        self.tool: BaseTool | None = None
        self.cursor_pos: QPointF | None = None
        self._press_eaten = False
        view.setMouseTracking(True)
        view.installEventFilter(self)

    def _lut(self) -> npt.NDArray[np.uint8] | None:
        adjustments = self._view.adjustments()
        return None if adjustments.is_identity else adjustments.lut()

    def set_mode(self, mode: ToolMode | None) -> None:
        if mode == self.mode:
            return
        self.cancel()
        self.mode = mode
        self.tool = None if mode is None else make_tool(mode, self._ctx)
        self._apply_prefs()
        self._view.setCursor(
            Qt.CursorShape.ArrowCursor if mode is None else Qt.CursorShape.CrossCursor
        )
        self.mode_changed.emit(mode)

    def _apply_prefs(self, _name: str = "") -> None:
        tool = self.tool
        if isinstance(tool, BrushTool):
            tool.radius_screen_px = self.prefs.brush_diameter / 2.0
        elif isinstance(tool, WandTool):
            tool.sensitivity = self.prefs.wand_sensitivity
        elif isinstance(tool, PointTool):
            tool.counting = self.prefs.counting
        self._view.update()

    def cancel(self) -> None:
        self.wand.forget()
        if self.tool is not None and self.tool.busy:
            self._on_result(self.tool.cancel())

    def _deliver(self, result: ToolResult) -> None:
        """Hand a consumed result on; a wand request goes to the wand runner first."""
        if result.request is not None and isinstance(self.tool, WandTool):
            self.wand.request(self.tool, result.request)
        self._on_result(result)

    def pointer_event(self, event: QMouseEvent, kind: PointerKind) -> PointerEvent:
        pos = event.position()
        x, y = self._view.view_transform().to_image(pos.x(), pos.y())
        if kind is PointerKind.MOVE:
            button = Button.LEFT if event.buttons() & Qt.MouseButton.LeftButton else Button.NONE
        else:
            button = _BUTTONS.get(event.button(), Button.NONE)
        return PointerEvent(
            kind,
            x,
            y,
            button,
            modifiers(event.modifiers()),
            self._view.view_transform().downsample,
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if watched is not self._view or self._view.source() is None:
            return False
        etype = event.type()
        if etype == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        if etype == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            return self._wheel(event)
        if etype == QEvent.Type.Leave:
            self.cursor_pos = None
            self.pointer_moved.emit(None)
            return False
        kind = _KINDS.get(etype)
        if kind is None or self.tool is None or not isinstance(event, QMouseEvent):
            return False
        if kind is PointerKind.MOVE:
            self.cursor_pos = event.position()
            self.pointer_moved.emit(self.cursor_pos)
        pointer = self.pointer_event(event, kind)
        if kind is PointerKind.PRESS and isinstance(self.tool, WandTool):
            self.wand.forget()  # a new stroke
        if kind is PointerKind.RELEASE and isinstance(self.tool, WandTool) and self.tool.busy:
            tool = self.tool
            if self.wand.after_pending(lambda: self._wand_release(tool, pointer)):
                eaten, self._press_eaten = self._press_eaten, False
                return eaten  # finished once the regions asked for so far are in
        result = dispatch(self.tool, pointer)
        if result.consumed:
            self._deliver(result)
        if kind is PointerKind.MOVE:
            return False  # the view still tracks the cursor (and pans if it owns the drag)
        if kind is PointerKind.PRESS:
            self._press_eaten = result.consumed
            return result.consumed
        if kind is PointerKind.RELEASE:
            eaten, self._press_eaten = self._press_eaten, False
            return eaten  # a drag the view started must end in the view
        return result.consumed

    def _wand_release(self, tool: WandTool, pointer: PointerEvent) -> None:
        if tool is self.tool and tool.busy:
            self._deliver(tool.release(pointer))

    def resize_brush(self, steps: int) -> None:
        self.prefs.brush_diameter = brush_step(self.prefs.brush_diameter, steps)

    def _wheel(self, event: QWheelEvent) -> bool:
        """Ctrl+wheel sizes the brush; the wheel while drawing with the wand (or
        Ctrl+wheel with it) changes its sensitivity. Anything else zooms the view."""
        steps = event.angleDelta().y() / 120.0
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if steps == 0:
            return False
        if isinstance(self.tool, BrushTool) and ctrl:
            self.resize_brush(1 if steps > 0 else -1)
            return True
        if isinstance(self.tool, WandTool) and (ctrl or self.tool.busy):
            result = self.tool.adjust_sensitivity(steps)
            self.prefs.wand_sensitivity = self.tool.sensitivity
            self._deliver(result)
            return True
        return False

    def _key(self, event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_BracketLeft, Qt.Key.Key_BracketRight) and isinstance(
            self.tool, BrushTool
        ):
            self.resize_brush(1 if event.key() == Qt.Key.Key_BracketRight else -1)
            return True
        name = _KEYS.get(Qt.Key(event.key()))
        if name is None:
            return False
        if self.tool is not None:
            if name == "Escape":
                self.wand.forget()
            result = dispatch(self.tool, KeyEvent(name, modifiers(event.modifiers())))
            if result.consumed:
                self._deliver(result)
                return True
        return self._on_unhandled_key(name)
