"""The Help menu: the keyboard shortcut sheet and About.

The sheet is built when it is opened, from the actions on the window at that moment
(menus, tool bars and window-level shortcuts such as the term keys), so it lists
exactly what the keys do and cannot drift from them. Keys that are not actions — those
a tool handles while drawing — are listed from :data:`DRAWING_KEYS`.
"""

from __future__ import annotations

import html
import platform
from collections.abc import Iterator

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.assets import THIRD_PARTY_NOTICES, Resources
from desktop_app.ui import menus
from desktop_app.ui.menus import ActionId, MenuId

#: Keys the drawing tools read directly (not actions), shown in their own section.
DRAWING_KEYS = (
    ("Enter / double-click", "Finish a polygon, line or ruler"),
    ("Backspace", "Remove the last vertex while drawing"),
    ("Esc", "Cancel the shape being drawn, or clear the selection"),
    ("Delete", "Delete the selected annotations (or the active vertex)"),
    ("Shift (drag)", "Rectangle: square; circle: from a corner; select: add"),
    ("Alt (drag)", "Brush and wand: cut from the selected annotation"),
    ("[ / ]", "Brush smaller / larger"),
    ("Ctrl+wheel", "Brush size (brush); wand sensitivity (wand)"),
    ("Wheel while drawing", "Wand sensitivity"),
)


def _text(action: QAction) -> tuple[str, str]:
    """Action label without mnemonics, and its shortcut(s) as the platform writes them."""
    label, _tab, hint = action.text().replace("&", "").partition("\t")
    keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
    keys = [k for k in keys if k] or ([hint] if hint else [])
    return label.rstrip("."), ", ".join(keys)


def _menu_actions(menu: QMenu, prefix: str) -> Iterator[tuple[str, QAction]]:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            title = sub.title().replace("&", "")
            yield from _menu_actions(sub, f"{prefix} > {title}")
        elif not action.isSeparator():
            yield prefix, action


def shortcut_sections(window: QMainWindow) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(label, keys)]) for every action with a shortcut on ``window``."""
    sections: dict[str, list[tuple[str, str]]] = {}
    seen: set[int] = set()

    def add(section: str, action: QAction) -> None:
        if id(action) in seen:
            return
        label, keys = _text(action)
        if keys:
            seen.add(id(action))
            sections.setdefault(section, []).append((label, keys))

    for bar in window.findChildren(QToolBar):
        for action in bar.actions():
            add(f"Tools ({bar.windowTitle()})" if bar.windowTitle() else "Tools", action)
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            for section, action in _menu_actions(menu, menu.title().replace("&", "")):
                add(section, action)
    for action in window.actions():
        add("Other keys", action)
    out = list(sections.items())
    out.append(("While drawing", list(DRAWING_KEYS)))
    return out


def shortcut_html(window: QMainWindow) -> str:
    parts = ["<h2>Keyboard shortcuts</h2>"]
    for section, rows in shortcut_sections(window):
        parts.append(f"<h3>{html.escape(section)}</h3><table cellspacing='0' cellpadding='3'>")
        for label, keys in rows:
            parts.append(
                f"<tr><td width='190'><b>{html.escape(keys)}</b></td>"
                f"<td>{html.escape(label)}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)


def versions() -> dict[str, str]:
    """The versions About shows (and tests check)."""
    out = {
        "Slide workstation": __version__,
        "Python": platform.python_version(),
        "Qt": qVersion(),
        "PySide6": pyside_version,
    }
    try:
        import openslide  # optional here: the dialog says why when the library is missing

        out["OpenSlide"] = str(openslide.__library_version__)
        out["openslide-python"] = str(openslide.__version__)
    except (ImportError, OSError) as exc:  # the viewer still runs and says why
        out["OpenSlide"] = f"not available ({exc})"
    return out


def about_html() -> str:
    rows = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
        for k, v in versions().items()
    )
    return (
        "<h2>Slide workstation</h2>"
        "<p>Whole-slide viewer and annotation workstation with offline-first sync to a "
        "Cytomine-compatible server.</p>"
        f"<table cellpadding='2'>{rows}</table>"
        "<h3>Licences</h3>"
        "<p>Qt and PySide6 are used under the LGPL-3.0, OpenSlide and openslide-python "
        "under the LGPL-2.1, GEOS (in shapely) under the LGPL-2.1; NumPy, shapely, "
        "SQLAlchemy, pyqtgraph, Pillow, tifffile and the others under permissive "
        "licences. The full list follows.</p>"
    )


def _notices() -> str:
    try:
        return Resources().read_text(THIRD_PARTY_NOTICES)
    except (ImportError, OSError) as exc:
        return f"(the third-party notices could not be read: {exc})"


class TextDialog(QDialog):
    def __init__(self, title: str, body: str, parent: QWidget | None, markdown: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 720)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        if markdown:
            self.browser.setMarkdown(markdown)
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            cursor.insertBlock()  # the notices start on a block of their own
            cursor.movePosition(cursor.MoveOperation.Start)
            cursor.insertHtml(body)
            self.browser.moveCursor(cursor.MoveOperation.Start)
        else:
            self.browser.setHtml(body)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class HelpMenu:
    """Adds Help > Keyboard shortcuts (F1) and Help > About to ``window``."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        menu = menus.menu(window, MenuId.HELP)
        self.shortcuts = menus.named(QAction("&Keyboard shortcuts", window), ActionId.SHORTCUTS)
        self.shortcuts.setShortcut(QKeySequence("F1"))
        self.shortcuts.triggered.connect(lambda _c=False: self.show_shortcuts())
        self.about = menus.named(QAction("&About Slide workstation", window), ActionId.ABOUT)
        self.about.triggered.connect(lambda _c=False: self.show_about())
        menu.addAction(self.shortcuts)
        menu.addSeparator()
        menu.addAction(self.about)
        self.dialog: TextDialog | None = None

    def show_shortcuts(self) -> TextDialog:
        self.dialog = TextDialog("Keyboard shortcuts", shortcut_html(self.window), self.window)
        self.dialog.show()
        return self.dialog

    def show_about(self) -> TextDialog:
        self.dialog = TextDialog("About Slide workstation", about_html(), self.window, _notices())
        self.dialog.show()
        return self.dialog
