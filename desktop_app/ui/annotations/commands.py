"""The workbench's toolbar and menu entries, added to an existing main window.

Nothing here is wired to data: every action calls a function it was given, so the
same actions serve the menus, the shortcuts and the tests (which trigger them).
Menus are found by their title on the window's menu bar and created when missing, so
the main window does not need to know about the workbench.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from desktop_app.core.tools import ToolMode
from desktop_app.ui import menus
from desktop_app.ui.annotations.icons import tool_icon
from desktop_app.ui.menus import ActionId, MenuId

#: Tool buttons in toolbar order (navigation first, then selection, then drawing).
TOOL_ORDER: tuple[ToolMode | None, ...] = (
    None,
    ToolMode.SELECT,
    ToolMode.MOVE,
    ToolMode.VERTEX_EDIT,
    ToolMode.RECTANGLE,
    ToolMode.CIRCLE,
    ToolMode.POLYGON,
    ToolMode.FREEHAND,
    ToolMode.POINT,
    ToolMode.LINE,
    ToolMode.BRUSH,
    ToolMode.WAND,
    ToolMode.RULER,
)
PAN_SHORTCUT = "H"
_TOOL_NAMES = {
    None: "Pan",
    ToolMode.SELECT: "Select",
    ToolMode.MOVE: "Move",
    ToolMode.VERTEX_EDIT: "Edit vertices",
    ToolMode.RECTANGLE: "Rectangle",
    ToolMode.CIRCLE: "Circle",
    ToolMode.POLYGON: "Polygon",
    ToolMode.FREEHAND: "Freehand",
    ToolMode.POINT: "Point",
    ToolMode.BRUSH: "Brush",
    ToolMode.WAND: "Wand",
    ToolMode.LINE: "Line / polyline",
    ToolMode.RULER: "Ruler (measure only)",
    ToolMode.SPLIT: "Split along a line",
}


def tool_name(mode: ToolMode | None) -> str:
    return _TOOL_NAMES[mode]


@dataclass
class WorkbenchActions:
    toolbar: QToolBar
    tools: dict[ToolMode | None, QAction]
    undo: QAction
    redo: QAction
    delete: QAction
    import_geojson: QAction
    export_geojson: QAction
    terms: list[QAction] = field(default_factory=list)


def _action(
    window: QMainWindow, text: str, slot: Callable[[], object], shortcut: str = ""
) -> QAction:
    action = QAction(text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_actions(
    window: QMainWindow,
    *,
    set_tool: Callable[[ToolMode | None], object],
    undo: Callable[[], object],
    redo: Callable[[], object],
    delete: Callable[[], object],
    import_geojson: Callable[[], object],
    export_geojson: Callable[[], object],
    term_key: Callable[[int, bool], object],
) -> WorkbenchActions:
    """Add the tool bar, the Edit menu, GeoJSON entries in File, and the term keys:
    0-9 (``term_key(digit, False)``: set) and Shift+0-9 (``term_key(digit, True)``: add
    or remove), see :mod:`desktop_app.core.terms`."""
    toolbar = QToolBar("Annotation tools", window)
    toolbar.setObjectName("annotation_tools")
    group = QActionGroup(window)
    group.setExclusive(True)
    tools: dict[ToolMode | None, QAction] = {}
    for mode in TOOL_ORDER:
        key = PAN_SHORTCUT if mode is None else mode.shortcut
        action = QAction(tool_icon(mode), _TOOL_NAMES[mode], window, checkable=True)
        action.setShortcut(QKeySequence(key))
        action.setToolTip(f"{_TOOL_NAMES[mode]} ({key})")
        action.triggered.connect(lambda _checked=False, m=mode: set_tool(m))
        group.addAction(action)
        toolbar.addAction(action)
        tools[mode] = action
    tools[None].setChecked(True)
    window.addToolBar(Qt.ToolBarArea.LeftToolBarArea, toolbar)

    edit = menus.menu(window, MenuId.EDIT, before=MenuId.VIEW)
    undo_action = menus.named(_action(window, "&Undo", undo), ActionId.UNDO)
    undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
    redo_action = menus.named(_action(window, "&Redo", redo), ActionId.REDO)
    redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    delete_action = menus.named(
        _action(window, "&Delete selected annotations", delete), ActionId.DELETE_SELECTED
    )
    for action in (undo_action, redo_action):
        action.setEnabled(False)
        edit.addAction(action)
    edit.addSeparator()
    edit.addAction(delete_action)

    file_menu = menus.menu(window, MenuId.FILE)
    import_action = _action(window, "&Import GeoJSON...", import_geojson)
    export_action = _action(window, "&Export GeoJSON...", export_geojson)
    menus.named(import_action, ActionId.IMPORT_GEOJSON)
    menus.named(export_action, ActionId.EXPORT_GEOJSON)
    menus.insert_before(file_menu, ActionId.FILE_END, [import_action, export_action])

    terms = []
    for add in (False, True):
        for digit in range(10):
            key = f"Shift+{digit}" if add else str(digit)
            action = _action(window, f"Term {key}", partial(term_key, digit, add), key)
            window.addAction(action)
            terms.append(action)
    return WorkbenchActions(
        toolbar, tools, undo_action, redo_action, delete_action, import_action, export_action, terms
    )


def set_history_labels(actions: WorkbenchActions, undo: str | None, redo: str | None) -> None:
    """ "Undo Draw polygon" / "Redo Move 1 annotation(s)", disabled when empty."""
    actions.undo.setText(f"&Undo {undo}" if undo else "&Undo")
    actions.undo.setEnabled(undo is not None)
    actions.redo.setText(f"&Redo {redo}" if redo else "&Redo")
    actions.redo.setEnabled(redo is not None)
