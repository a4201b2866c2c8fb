"""Review mode on a real slide and cache: keys, corrections, first decision stands."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import shapely
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop_app.core.review import ReviewStatus
from desktop_app.core.tools import ToolMode
from desktop_app.model.annotation import Annotation, AnnotationKind
from desktop_app.model.image import ImageInstance
from desktop_app.services.review import decision_of
from desktop_app.services.review_decisions import reader_decisions
from desktop_app.ui.review import ReviewMode, install_review_mode
from tests.ui.annotations.conftest import World, wait_idle

#: The docs' screenshots are refreshed only on request, so a test run leaves the tree clean.
SHOTS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("WORKSTATION_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "workstation-screenshots"
)


def idle(qtbot: QtBot, mode: ReviewMode) -> None:
    qtbot.waitUntil(lambda: not mode.busy and mode.session is not None, timeout=10_000)
    qtbot.wait(10)
    qtbot.waitUntil(lambda: not mode.busy, timeout=10_000)


def key(qtbot: QtBot, w: World, mode: ReviewMode, k: Qt.Key) -> None:
    w.view.setFocus()
    qtbot.keyClick(w.view, k)
    idle(qtbot, mode)


def test_review_walk_accept_reject_correct(qtbot: QtBot, world: World) -> None:
    w, service = world, world.service
    tumor, stroma = w.terms["Tumor"], w.terms["Stroma"]
    a = service.create(shapely.box(1000, 1000, 1200, 1150), [tumor])
    b = service.create(shapely.box(1800, 1300, 2000, 1500), [stroma])
    c = service.create(shapely.Polygon([(2400, 900), (2700, 950), (2600, 1200)]), [tumor])
    service.review(b, accept=True)  # already reviewed: not in the queue
    d = service.create(shapely.box(3000, 2000, 3300, 2200), [tumor])
    w.wb.session.notify_external_change("test data")
    wait_idle(qtbot, w.wb)
    mode = install_review_mode(w.window, w.wb, store=w.store, user_pk=w.user_pk)

    mode.toggle_action.trigger()  # enter (toolbar / menu / Ctrl+Shift+R)
    idle(qtbot, mode)
    assert mode.active and mode.panel.isVisible()
    assert mode.session is not None and mode.session.queue == (a, c, d)
    assert mode.panel.progress_label.text().startswith("Reviewed 1 / 4")
    qtbot.waitUntil(lambda: mode.review_state is not None and mode.review_state.in_review)
    with w.store.read() as s:
        img = s.get(ImageInstance, w.image_pk)
        assert img.review_start is not None and img.review_user_pk == w.user_pk
    # the view went to the current annotation, which is selected for the edit tools
    cx, cy, _ = w.view.current_view()
    assert abs(cx - 1100) < 2 and abs(cy - 1075) < 2
    assert w.wb.selection.pks() == (a,)

    # term filter: only Stroma -> nothing pending; back to all terms
    mode.panel.term_filter.setCurrentIndex(mode.panel.term_filter.findData(stroma))
    idle(qtbot, mode)
    assert mode.session.queue == () and "Nothing to review" in mode.panel.current.text()
    mode.panel.term_filter.setCurrentIndex(mode.panel.term_filter.findData(tumor))
    idle(qtbot, mode)
    assert mode.session.queue == (a, c, d)

    key(qtbot, w, mode, Qt.Key.Key_A)  # accept a; moves on to c
    assert decision_of(w.store, a) is ReviewStatus.ACCEPTED and mode.current == c
    assert mode.panel.progress_label.text().startswith("Reviewed 2 / 4")

    # correct c: edit its shape with the workbench (as the vertex tool does), then accept
    corrected = shapely.Polygon([(2400, 900), (2750, 900), (2650, 1250)])
    w.wb.session.write(service.reshape, c, corrected, "Correct shape")
    key(qtbot, w, mode, Qt.Key.Key_A)
    assert mode.statuses[c] is ReviewStatus.ACCEPTED and mode.current == d
    assert "corrected" in mode.panel.message.text()
    with w.store.read() as s:
        copy = s.scalar(select(Annotation).where(Annotation.parent_pk == c))
        assert copy is not None and copy.kind is AnnotationKind.REVIEWED
        assert shapely.from_wkb(copy.location).equals(corrected)

    key(qtbot, w, mode, Qt.Key.Key_R)  # reject d: asks for a reason first
    assert mode.reasons.asking and mode.reasons.list.count() == 6
    assert decision_of(w.store, d) is ReviewStatus.PENDING
    key(qtbot, w, mode, Qt.Key.Key_Escape)  # cancelled: nothing decided
    assert not mode.reasons.asking and decision_of(w.store, d) is ReviewStatus.PENDING
    key(qtbot, w, mode, Qt.Key.Key_R)
    qtbot.keyClicks(mode.reasons.comment, "edge cut off")  # optional comment
    SHOTS.mkdir(parents=True, exist_ok=True)
    qtbot.wait(100)
    assert w.window.grab().save(str(SHOTS / "review-reason.png"))
    qtbot.keyClick(mode.reasons.comment, Qt.Key.Key_Return)
    key(qtbot, w, mode, Qt.Key.Key_2)  # one keystroke: 2 = boundary inaccurate
    assert decision_of(w.store, d) is ReviewStatus.REJECTED
    mine = {x.annotation_pk: x for x in reader_decisions(w.store, service.project_pk)}
    assert (mine[d].reason, mine[d].comment) == ("boundary", "edge cut off")
    assert w.wb.tools.mode is not ToolMode.RECTANGLE  # R was the review key, not the tool
    assert mode.panel.progress_label.text().startswith("Reviewed 4 / 4  (0 left")
    qtbot.waitUntil(lambda: mode.overlay.statuses.get(d) is ReviewStatus.REJECTED)

    # first decision stands: back to d (P / Left), accept -> refused, still rejected
    key(qtbot, w, mode, Qt.Key.Key_Left)
    key(qtbot, w, mode, Qt.Key.Key_N)
    assert mode.current == d
    key(qtbot, w, mode, Qt.Key.Key_A)
    assert "already rejected; it was not marked accepted" in mode.panel.message.text()
    assert decision_of(w.store, d) is ReviewStatus.REJECTED
    qtbot.waitUntil(lambda: "boundary inaccurate" in mode.panel.current.text())
    assert "edge cut off" in mode.panel.current.text()  # shown with the decision
    key(qtbot, w, mode, Qt.Key.Key_R)  # the same decision again: harmless
    key(qtbot, w, mode, Qt.Key.Key_6)
    assert "already rejected" in mode.panel.message.text()
    key(qtbot, w, mode, Qt.Key.Key_P)
    assert mode.current == c

    SHOTS.mkdir(parents=True, exist_ok=True)
    w.wb.selection.clear()
    w.view.goto(2100, 1500, 4.0)
    wait_idle(qtbot, w.wb)
    qtbot.wait(200)
    assert w.window.grab().save(str(SHOTS / "review.png"))

    mode.toggle_action.trigger()  # leave
    qtbot.waitUntil(lambda: mode.review_state is not None and not mode.review_state.in_review)
    assert not mode.active and not mode.panel.isVisible()
    assert mode.overlay not in w.view.overlays()
    with w.store.read() as s:
        img = s.get(ImageInstance, w.image_pk)
        assert img.review_stop is not None and img.review_stop >= img.review_start
    qtbot.keyClick(w.view, Qt.Key.Key_R)  # outside review mode R is the rectangle tool again
    qtbot.waitUntil(lambda: w.wb.tools.mode is ToolMode.RECTANGLE)
