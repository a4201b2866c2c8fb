"""The Objects menu (shape operations) and File > Export measurements...

Every entry acts on the current selection through the editor, as one undoable action
(see ``desktop_app.services.shape_edits``); "Split along a line" switches to the split
tool, which does the cut when the line is finished.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from desktop_app.core.tools import ToolMode
from desktop_app.ui import menus
from desktop_app.ui.annotations.icons import tool_icon
from desktop_app.ui.menus import ActionId, MenuId

#: (operation, menu text, shortcut, status tip)
SHAPE_OPS = (
    ("merge", "&Merge selected", "Ctrl+Shift+M", "One annotation: union of shapes and terms"),
    ("subtract", "&Subtract from first", "Ctrl+Shift+D", "The first selected minus the others"),
    ("intersect", "&Intersect", "Ctrl+Shift+I", "The first selected becomes the common area"),
    ("fill_holes", "&Fill holes", "Ctrl+Shift+H", "Remove the holes of the selected areas"),
    ("duplicate", "D&uplicate", "Ctrl+D", "Copies with the same shape and terms"),
    ("lock", "&Lock", "Ctrl+L", "Locked annotations cannot be moved or reshaped"),
    ("unlock", "U&nlock", "Ctrl+Shift+L", "Allow moving and reshaping again"),
)


@dataclass
class ObjectActions:
    ops: dict[str, QAction]
    split: QAction
    export_measurements: QAction


def build_object_menu(
    window: QMainWindow,
    *,
    shape_op: Callable[[str], object],
    set_tool: Callable[[ToolMode | None], object],
    export_measurements: Callable[[], object],
) -> ObjectActions:
    menu = menus.menu(window, MenuId.OBJECTS, before=MenuId.VIEW)
    ops: dict[str, QAction] = {}
    for name, text, shortcut, tip in SHAPE_OPS:
        action = QAction(text, window)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _c=False, n=name: shape_op(n))
        ops[name] = action
    split = QAction(tool_icon(ToolMode.SPLIT), "S&plit along a line", window)
    split.setStatusTip("Draw a line across the selected polygon to cut it")
    split.triggered.connect(lambda _c=False: set_tool(ToolMode.SPLIT))
    for name in ("merge", "subtract", "intersect"):
        menu.addAction(ops[name])
    menu.addAction(split)
    menu.addAction(ops["fill_holes"])
    menu.addSeparator()
    menu.addAction(ops["duplicate"])
    menu.addSeparator()
    menu.addAction(ops["lock"])
    menu.addAction(ops["unlock"])

    file_menu = menus.menu(window, MenuId.FILE)
    export = menus.named(QAction("Export &measurements...", window), ActionId.EXPORT_MEASUREMENTS)
    export.setStatusTip("One row per annotation (QuPath's columns) as TSV or CSV")
    export.triggered.connect(lambda _c=False: export_measurements())
    menus.insert_before(file_menu, ActionId.FILE_END, [export])
    return ObjectActions(ops, split, export)
