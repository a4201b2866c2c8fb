"""How a reviewer drives review mode: the Review menu, the toolbar toggle, the keys.

Kept apart from :mod:`desktop_app.ui.review.mode` (the queue and the decisions): this
is only the surface that turns a menu item or a key press into one of the mode's steps.
Keys while the mode is on: A accept, R reject, N / Right next, P / Left previous; they
take precedence over the R/P drawing-tool shortcuts, which a reviewer does not need,
but never over typing in a text field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTextEdit,
    QToolBar,
)

from desktop_app.ui import menus
from desktop_app.ui.menus import MenuId

KEYS = {
    Qt.Key.Key_A: "accept",
    Qt.Key.Key_R: "reject",
    Qt.Key.Key_N: "next",
    Qt.Key.Key_Right: "next",
    Qt.Key.Key_P: "previous",
    Qt.Key.Key_Left: "previous",
}
TEXT_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


class Steps(Protocol):
    """What the menu and the keys call on the mode."""

    def set_active(self, on: bool) -> None: ...
    def accept(self) -> None: ...
    def reject(self) -> None: ...
    def next(self) -> None: ...
    def previous(self) -> None: ...


@dataclass(frozen=True, slots=True)
class ReviewActions:
    toggle: QAction  # Review mode on/off (Ctrl+Shift+R)
    steps: list[QAction]  # Accept, Reject, Next, Previous: enabled while the mode is on
    toolbar: QToolBar


def install_actions(window: QMainWindow, mode: Steps) -> ReviewActions:
    """The Review menu's toggle and steps, and the toolbar holding the toggle."""
    toggle = QAction("Review mode", window, checkable=True)
    toggle.setShortcut(QKeySequence("Ctrl+Shift+R"))
    toggle.setToolTip("Walk the annotations and accept / reject them (Ctrl+Shift+R)")
    toggle.toggled.connect(mode.set_active)
    menu = menus.menu(window, MenuId.REVIEW, before=MenuId.HELP)
    menu.addAction(toggle)
    menu.addSeparator()
    steps = []
    for text, slot in (
        ("Accept\tA", mode.accept), ("Reject\tR", mode.reject),
        ("Next\tN", mode.next), ("Previous\tP", mode.previous),
    ):  # fmt: skip
        a = menu.addAction(text)
        a.triggered.connect(slot)
        a.setEnabled(False)
        steps.append(a)
    toolbar = QToolBar("Review", window)
    toolbar.setObjectName("ReviewToolbar")
    toolbar.addAction(toggle)
    window.addToolBar(toolbar)
    return ReviewActions(toggle, steps, toolbar)


def typing_focus() -> bool:
    """Whether the focus is in a text field (its keys are text, not review steps)."""
    return isinstance(QApplication.focusWidget(), TEXT_INPUTS)


def step_key(window: QMainWindow, mode: Steps, event: QKeyEvent) -> bool:
    """Take a key press (or its shortcut override) that names a step, when it is meant
    for the review window and not for a text field; True when it was taken."""
    name = KEYS.get(Qt.Key(event.key()))
    if name is None or event.modifiers() not in (
        Qt.KeyboardModifier.NoModifier,
        Qt.KeyboardModifier.KeypadModifier,
    ):
        return False
    focus = QApplication.focusWidget()
    if focus is None or focus.window() is not window:
        return False
    if isinstance(focus, TEXT_INPUTS) or (isinstance(focus, QComboBox) and focus.isEditable()):
        return False
    if event.type() == QEvent.Type.ShortcutOverride:
        event.accept()  # ours, not the R/P tool shortcuts'
        return True
    if not event.isAutoRepeat() or name in ("next", "previous"):
        getattr(mode, name)()
    return True


__all__ = ["KEYS", "ReviewActions", "Steps", "install_actions", "step_key", "typing_focus"]
