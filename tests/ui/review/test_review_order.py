"""Review mode walks the queue in the order the panel picks (real widgets, real cache)."""

from __future__ import annotations

import shapely
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.review import ReviewStatus
from desktop_app.core.review_queue import QueueOrder
from desktop_app.services.review import decision_of
from desktop_app.ui.review import install_review_mode
from tests.ui.annotations.conftest import World, wait_idle
from tests.ui.review.test_review_mode import idle, key


def test_queue_order_from_the_panel(qtbot: QtBot, world: World) -> None:
    w, service = world, world.service
    tumor, stroma = w.terms["Tumor"], w.terms["Stroma"]
    mid = service.create(shapely.box(1000, 1000, 1200, 1200), [tumor])  # 40 000 px²
    big = service.create(shapely.box(2000, 1000, 2600, 1500), [stroma])  # 300 000 px²
    small = service.create(shapely.box(3000, 2000, 3050, 2050), [tumor])  # 2 500 px²
    w.wb.session.notify_external_change("test data")
    wait_idle(qtbot, w.wb)
    mode = install_review_mode(w.window, w.wb, store=w.store, user_pk=w.user_pk)
    mode.toggle_action.trigger()
    idle(qtbot, mode)
    assert mode.session is not None and mode.session.queue == (mid, big, small)

    panel = mode.panel
    assert not panel.seed.isVisible()
    panel.order.setCurrentIndex(panel.order.findData(QueueOrder.AREA.value))  # as a user
    idle(qtbot, mode)
    assert mode.session.queue == (small, mid, big) and mode.current == small
    panel.descending.setChecked(True)
    idle(qtbot, mode)
    assert mode.session.queue == (big, mid, small) and mode.current == big
    cx, cy, _ = w.view.current_view()
    assert abs(cx - 2300) < 2 and abs(cy - 1250) < 2  # the view follows the new order

    panel.order.setCurrentIndex(panel.order.findData(QueueOrder.TERM.value))
    idle(qtbot, mode)
    assert mode.session.queue == (mid, small, big)  # still reversed: Tumor first
    panel.descending.setChecked(False)
    idle(qtbot, mode)
    assert mode.session.queue == (big, mid, small)  # Stroma before Tumor, ties by id
    assert not panel.descending.isHidden() and panel.seed.isHidden()

    mode.set_order(QueueOrder.SHUFFLE, seed=11)
    idle(qtbot, mode)
    first = mode.session.queue
    assert sorted(first) == sorted((mid, big, small)) and not panel.seed.isHidden()
    mode.set_order(QueueOrder.AREA)
    idle(qtbot, mode)
    mode.set_order(QueueOrder.SHUFFLE, seed=11)
    idle(qtbot, mode)
    assert mode.session.queue == first  # the same seed, the same walk

    # deciding follows the order; the decided annotation leaves the re-read queue
    mode.set_order(QueueOrder.AREA, descending=True)
    idle(qtbot, mode)
    key(qtbot, w, mode, Qt.Key.Key_A)
    assert decision_of(w.store, big) is ReviewStatus.ACCEPTED and mode.current == mid
    mode.set_order(QueueOrder.AREA)
    idle(qtbot, mode)
    assert mode.session.queue == (small, mid)
    mode.close()


def test_keys_faster_than_the_writes_are_not_lost(qtbot: QtBot, world: World) -> None:
    """Each A/R acts on the next annotation at once: keys pressed while earlier
    decisions are still being written each decide their own annotation."""
    w, service = world, world.service
    pks = [service.create(shapely.box(300 + 500 * i, 900, 400 + 500 * i, 1000)) for i in range(5)]
    w.wb.session.notify_external_change("test data")
    wait_idle(qtbot, w.wb)
    mode = install_review_mode(w.window, w.wb, store=w.store, user_pk=w.user_pk)
    mode.toggle_action.trigger()
    idle(qtbot, mode)
    w.view.setFocus()
    reject = (Qt.Key.Key_R, Qt.Key.Key_1)  # R, then the reason's number
    for keys in ((Qt.Key.Key_A,), reject, (Qt.Key.Key_A,), reject):  # no wait between
        for k in keys:
            qtbot.keyClick(w.view, k)
    assert mode.current == pks[4]  # moved on with every key, before the writes returned
    idle(qtbot, mode)
    got = [decision_of(w.store, pk) for pk in pks]
    A, R, P = ReviewStatus.ACCEPTED, ReviewStatus.REJECTED, ReviewStatus.PENDING
    assert got == [A, R, A, R, P]
    assert "already" not in mode.panel.message.text()
    mode.close()


def test_a_blinded_reader_cannot_order_by_term_or_author(qtbot: QtBot) -> None:
    from desktop_app.ui.review.panel import ReviewPanel

    panel = ReviewPanel()
    qtbot.addWidget(panel)
    panel.set_order(QueueOrder.AUTHOR, descending=False, seed=0)
    assert panel.set_blinded(True) is True  # the grouping would reveal the authors
    assert panel.queue_order() is QueueOrder.CREATED
    model = panel.order.model()
    enabled = {
        QueueOrder(panel.order.itemData(i)): model.item(i).isEnabled()  # type: ignore[attr-defined]
        for i in range(panel.order.count())
    }
    assert not enabled[QueueOrder.TERM] and not enabled[QueueOrder.AUTHOR]
    assert enabled[QueueOrder.CONFIDENCE] and enabled[QueueOrder.SHUFFLE]
    assert panel.set_blinded(True) is False  # already a permitted order
    panel.set_blinded(False)
    assert model.item(panel.order.findData(QueueOrder.TERM.value)).isEnabled()  # type: ignore[attr-defined]
