"""Term keys: a digit sets the term, Shift+digit adds/removes, 0 clears; the next
drawing's terms are always shown (status bar and Terms dock)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.terms import TermNode, TermShortcuts, next_drawing_terms
from desktop_app.core.tools import ToolMode
from desktop_app.ui.panels.term_panel import COL_NAME
from tests.ui.annotations.conftest import World, wait_idle
from tests.ui.annotations.test_editing import LEFT, make_box

SHIFT = Qt.KeyboardModifier.ShiftModifier


def terms_of(world: World, pk: int) -> set[int]:
    details = world.service.details(pk)
    assert details is not None
    return set(details.terms)


def test_digit_sets_shift_digit_toggles_zero_clears(qtbot: QtBot, world: World) -> None:
    view, wb, t = world.view, world.wb, world.terms
    keys = {node.name: k for k, node in wb.session.shortcuts().mapping.items()}
    assert keys == {"Tissue": 1, "Stroma": 2, "Tumor": 3}
    pk = make_box(qtbot, world, 1800, 1400, 2000, 1600)
    other = make_box(qtbot, world, 2200, 1400, 2300, 1500, terms=(t["Tissue"],))
    wb.selection.set([pk, other])
    qtbot.keyClick(view, Qt.Key.Key_3)
    wait_idle(qtbot, wb)
    assert terms_of(world, pk) == terms_of(world, other) == {t["Tumor"]}  # set, not added
    qtbot.keyClick(view, Qt.Key.Key_2)
    wait_idle(qtbot, wb)
    assert terms_of(world, pk) == {t["Stroma"]}  # replaced, as a QuPath class key does
    assert wb.layer.color_of(pk) == "#43A047"
    qtbot.keyClick(view, Qt.Key.Key_2)  # again: still Stroma only, and no undo step
    wait_idle(qtbot, wb)
    assert terms_of(world, pk) == {t["Stroma"]}
    assert "already had Stroma only" in wb.last_message
    qtbot.keyClick(view, Qt.Key.Key_3, SHIFT)  # Shift adds ...
    wait_idle(qtbot, wb)
    assert terms_of(world, pk) == {t["Stroma"], t["Tumor"]}
    qtbot.keyClick(view, Qt.Key.Key_3, SHIFT)  # ... and removes
    wait_idle(qtbot, wb)
    assert terms_of(world, pk) == {t["Stroma"]}
    qtbot.keyClick(view, Qt.Key.Key_0)
    wait_idle(qtbot, wb)
    assert terms_of(world, pk) == terms_of(world, other) == set()
    # each key press that changed something is one undo step
    wb.editor.undo()
    wait_idle(qtbot, wb)
    assert terms_of(world, pk) == {t["Stroma"]}


def test_keys_without_selection_show_the_next_drawing_term(qtbot: QtBot, world: World) -> None:
    view, wb, t = world.view, world.wb, world.terms
    status_label = wb.next_drawing
    dock_label = wb.term_panel.next_drawing
    assert status_label.text() == dock_label.text() == "Next drawing: no term"
    assert status_label.isVisible() and dock_label.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert wb.session.active_terms == (t["Tumor"],)
    assert status_label.text() == dock_label.text() == "Next drawing: Tumor"
    assert wb.last_message == "Next drawing: Tumor"
    qtbot.keyClick(view, Qt.Key.Key_2)  # a digit replaces
    assert wb.session.active_terms == (t["Stroma"],)
    qtbot.keyClick(view, Qt.Key.Key_3, SHIFT)  # Shift+digit adds
    assert status_label.text() == "Next drawing: Stroma, Tumor"
    wb.set_tool(ToolMode.POINT)
    qtbot.mouseClick(view, LEFT, pos=world.at(2500, 1500))
    wait_idle(qtbot, wb)
    new = wb.selection.pks()[0]
    assert terms_of(world, new) == {t["Stroma"], t["Tumor"]}
    wb.selection.clear()
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert wb.session.active_terms == () and dock_label.text() == "Next drawing: no term"
    # a rename shows at once
    qtbot.keyClick(view, Qt.Key.Key_3)
    wb.term_panel.edit_bar.rename(t["Tumor"], "Carcinoma")
    qtbot.waitUntil(lambda: status_label.text() == "Next drawing: Carcinoma")


def test_term_click_sets_and_shift_click_adds(qtbot: QtBot, world: World) -> None:
    wb, t = world.wb, world.terms
    pk = make_box(qtbot, world, 1800, 1400, 2000, 1600, terms=(t["Tissue"],))
    wb.selection.set([pk])
    panel = wb.term_panel
    tree = panel.tree

    def click(name: str, shift: bool = False) -> None:
        item = panel.items[t[name]]
        tree.scrollToItem(item)
        pos = tree.visualItemRect(item).center()
        qtbot.mouseClick(tree.viewport(), LEFT, SHIFT if shift else Qt.KeyboardModifier(0), pos)
        wait_idle(qtbot, wb)

    click("Tumor")
    assert terms_of(world, pk) == {t["Tumor"]}
    click("Stroma", shift=True)
    assert terms_of(world, pk) == {t["Tumor"], t["Stroma"]}
    click("Stroma")  # a plain click again: Stroma only
    assert terms_of(world, pk) == {t["Stroma"]}
    wb.selection.clear()
    click("Tumor")
    assert wb.session.active_terms == (t["Tumor"],)
    assert panel.items[t["Tumor"]].font(COL_NAME).bold()


def test_rule_in_core() -> None:
    sc = TermShortcuts([TermNode(1, "a"), TermNode(2, "b"), TermNode(3, "c")])
    assert sc.set("2", {1, 3}).apply({1, 3}) == {2}
    assert sc.set("2", {2}).is_noop
    assert sc.set("0", {1, 2}).apply({1, 2}) == frozenset()
    assert sc.set("9", {1}).is_noop  # no term on 9
    assert next_drawing_terms((1,), 2, add=False) == (2,)
    assert next_drawing_terms((1,), 2, add=True) == (1, 2)
    assert next_drawing_terms((1, 2), 1, add=True) == (2,)
    assert next_drawing_terms((1, 2), None, add=True) == ()
