"""Adjudication dock on a real cache: readings side by side, the admin sets the final one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import shapely
from pytestqt.qtbot import QtBot

from desktop_app.core.review import ReviewStatus
from desktop_app.model.security import User
from desktop_app.services import review
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.review_decisions import adjudications
from desktop_app.ui.review.adjudication_dock import install_adjudication_dock
from tests.ui.annotations.conftest import World, wait_idle

SHOTS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("WORKSTATION_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "workstation-screenshots"
)


def _reader(w: World, name: str) -> AnnotationService:
    with w.store.unit_of_work(undoable=False) as uow:
        user = User(username=name)
        uow.session.add(user)
        uow.session.flush()
        pk = int(user.pk)
    return AnnotationService(w.store, w.image_pk, pk)


def test_adjudication_side_by_side(qtbot: QtBot, world: World) -> None:
    w, admin = world, world.service
    tumor, stroma = w.terms["Tumor"], w.terms["Stroma"]
    a = admin.create(shapely.box(1000, 1000, 1200, 1150), [tumor])
    b = admin.create(shapely.box(1800, 1300, 2000, 1500), [stroma])
    c = admin.create(shapely.box(2400, 900, 2600, 1100), [tumor])
    bob, carol = _reader(w, "bob"), _reader(w, "carol")
    for svc, pk, status, terms, reason in (
        (bob, a, ReviewStatus.ACCEPTED, [tumor], None),
        (carol, a, ReviewStatus.REJECTED, [tumor], "boundary"),
        (bob, b, ReviewStatus.ACCEPTED, [stroma], None),
        (carol, b, ReviewStatus.ACCEPTED, [tumor], None),
        (bob, c, ReviewStatus.ACCEPTED, [tumor], None),
        (carol, c, ReviewStatus.ACCEPTED, [tumor], None),  # agreement: not queued
    ):
        review.decide(svc, w.store, pk, status, term_pks=terms, reason=reason, comment="")
    w.wb.session.notify_external_change("test data")
    wait_idle(qtbot, w.wb)
    dock = install_adjudication_dock(w.window, w.wb.session, store=w.store, user_pk=w.user_pk)
    dock.show()
    dock.reload()
    qtbot.waitUntil(lambda: dock.view is not None and not dock.busy, timeout=10_000)
    assert dock.view is not None and [i.annotation_pk for i in dock.view.items] == [a, b]
    headers = [dock.table.horizontalHeaderItem(i).text() for i in range(dock.table.columnCount())]
    assert headers == ["Annotation", "Disagree on", "bob", "carol"]
    assert dock.table.item(0, 1).text() == "decision"
    assert dock.table.item(1, 1).text() == "term"
    assert dock.table.item(0, 3).text().startswith("rejected · Tumor\nboundary inaccurate")
    assert dock.table.item(1, 2).text() == "accepted · Stroma"
    SHOTS.mkdir(parents=True, exist_ok=True)
    dock.setFloating(True)
    dock.resize(760, 420)
    dock.table.clearSelection()
    qtbot.wait(150)
    assert dock.grab().save(str(SHOTS / "review-adjudication.png"))

    dock.table.selectRow(1)  # b: readers agree on accept, not on the term
    dock.term.setCurrentIndex(dock.term.findData(stroma))
    with qtbot.waitSignal(dock.adjudicated, timeout=10_000):
        dock.accept_button.click()
    qtbot.waitUntil(lambda: dock.view is not None and len(dock.view.items) == 1, timeout=10_000)
    assert review.decision_of(w.store, b) is ReviewStatus.ACCEPTED
    finals = adjudications(w.store, admin.project_pk)
    assert [(f.annotation_pk, f.term_pks) for f in finals] == [(b, (stroma,))]
    dock.table.selectRow(0)
    dock.reason.setCurrentIndex(dock.reason.findData("boundary"))
    with qtbot.waitSignal(dock.adjudicated, timeout=10_000):
        dock.reject_button.click()
    qtbot.waitUntil(lambda: dock.view is not None and not dock.view.items, timeout=10_000)
    assert review.decision_of(w.store, a) is ReviewStatus.REJECTED
    assert "No disagreements" in dock.summary.text()
    dock.close_lane()


def test_blinded_reader_view(qtbot: QtBot, world: World) -> None:
    """A reader who is not a project admin, in a blind-mode project: outline only."""
    from desktop_app.model.project import Project, ProjectMember
    from desktop_app.model.security import Access
    from desktop_app.ui.annotations.layer_data import NO_TERM_COLOR
    from desktop_app.ui.review import install_review_mode
    from tests.ui.review.test_review_mode import idle

    w, author = world, world.service
    tumor = w.terms["Tumor"]
    a = author.create(shapely.box(1000, 1000, 1200, 1150), [tumor])
    b = author.create(shapely.box(1800, 1300, 2000, 1500), [tumor])
    review.decide(author, w.store, a, ReviewStatus.ACCEPTED)  # the first reader's
    bob = _reader(w, "bob")
    with w.store.unit_of_work(undoable=False) as uow:
        project = uow.session.get(Project, author.project_pk)
        assert project is not None
        project.blind_mode = True
        uow.session.merge(
            ProjectMember(project_pk=project.pk, user_pk=w.user_pk, access=Access.ADMIN)
        )
        uow.session.merge(ProjectMember(project_pk=project.pk, user_pk=bob.user_pk))
    w.wb.session.notify_external_change("test data")
    wait_idle(qtbot, w.wb)
    assert w.wb.layer.color_of(a) != NO_TERM_COLOR  # the author's term shows, unblinded
    mode = install_review_mode(w.window, w.wb, store=w.store, user_pk=bob.user_pk)
    mode.toggle_action.trigger()
    idle(qtbot, mode)
    # bob's queue: both annotations (the first reader's decision is not his)
    assert mode.session is not None and mode.session.queue == (a, b)
    text = mode.panel.current.text()
    assert "blinded" in text and "Your terms: none" in text and "Your decision: pending" in text
    wait_idle(qtbot, w.wb)
    assert w.wb.layer.color_of(a) == NO_TERM_COLOR  # no term shows through the outline
    assert "reviewed" in w.wb.layer.display.hidden_kinds  # nor the first reader's decision
    SHOTS.mkdir(parents=True, exist_ok=True)
    qtbot.wait(150)
    assert w.window.grab().save(str(SHOTS / "review-blinded.png"))
    mode.toggle_action.trigger()  # leaving restores the display
    qtbot.waitUntil(lambda: not mode.active)
    wait_idle(qtbot, w.wb)
    assert w.wb.layer.color_of(a) != NO_TERM_COLOR
    mode.close()
