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

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent

from desktop_app.core.tools import (
    BaseTool,
    Button,
    HitTester,
    KeyEvent,
    Mod,
    PointerEvent,
    PointerKind,
    ToolContext,
    ToolMode,
    ToolResult,
    dispatch,
    make_tool,
)
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
    ``on_unhandled_key(name)`` for Enter/Escape/Delete/Backspace the tool ignored.
    """

    mode_changed = Signal(object)

    def __init__(
        self,
        view: SlideView,
        hits: HitTester,
        selection: Callable[[], tuple[int, ...]],
        on_result: Callable[[ToolResult], object],
        on_unhandled_key: Callable[[str], bool],
    ) -> None:
        super().__init__(view)
        self._view = view
        self._ctx = ToolContext(hits=hits, selection=selection)
        self._on_result = on_result
        self._on_unhandled_key = on_unhandled_key
        self.mode: ToolMode | None = None
        self.tool: BaseTool | None = None
        self._press_eaten = False
        view.installEventFilter(self)

    def set_mode(self, mode: ToolMode | None) -> None:
        if mode == self.mode:
            return
        if self.tool is not None and self.tool.busy:
            self._on_result(self.tool.cancel())
        self.mode = mode
        self.tool = None if mode is None else make_tool(mode, self._ctx)
        self._view.setCursor(
            Qt.CursorShape.ArrowCursor if mode is None else Qt.CursorShape.CrossCursor
        )
        self.mode_changed.emit(mode)

    def cancel(self) -> None:
        if self.tool is not None and self.tool.busy:
            self._on_result(self.tool.cancel())

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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is not self._view or self._view.source() is None:
            return False
        etype = event.type()
        if etype == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        kind = _KINDS.get(etype)
        if kind is None or self.tool is None or not isinstance(event, QMouseEvent):
            return False
        result = dispatch(self.tool, self.pointer_event(event, kind))
        if result.consumed:
            self._on_result(result)
        if kind is PointerKind.MOVE:
            return False  # the view still tracks the cursor (and pans if it owns the drag)
        if kind is PointerKind.PRESS:
            self._press_eaten = result.consumed
            return result.consumed
        if kind is PointerKind.RELEASE:
            eaten, self._press_eaten = self._press_eaten, False
            return eaten  # a drag the view started must end in the view
        return result.consumed

    def _key(self, event: QKeyEvent) -> bool:
        name = _KEYS.get(Qt.Key(event.key()))
        if name is None:
            return False
        if self.tool is not None:
            result = dispatch(self.tool, KeyEvent(name, modifiers(event.modifiers())))
            if result.consumed:
                self._on_result(result)
                return True
        return self._on_unhandled_key(name)
