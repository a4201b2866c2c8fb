"""The agreement dock on a real cache: table, kappa bars, confusion heatmap, CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

import pyqtgraph as pg
import pytest
import shapely
from pytestqt.qtbot import QtBot

from desktop_app.model.review import DecisionRole, Verdict
from desktop_app.model.security import User
from desktop_app.store import decisions
from desktop_app.ui.review.agreement_dock import install_agreement_dock
from tests.ui.annotations.conftest import World, wait_idle
from tests.ui.review.test_review_mode import SHOTS

A, R = Verdict.ACCEPTED, Verdict.REJECTED
#: (reader, verdict, term) for 10 annotations; 'ann' and 'bob' mostly agree, 'cid' less.
PLAN = {
    "ann": "AT AT AS AS RS AT AT RT AS AT",
    "bob": "AT AT AS AT RS AT AT AT AS AT",
    "cid": "AS AT RS AT AT RS AT RT AT AS",
}


def _reader(w: World, name: str) -> int:
    with w.store.unit_of_work(undoable=False) as uow:
        user = User(username=name)
        uow.session.add(user)
        uow.session.flush()
        return int(user.pk)


def _study(w: World) -> list[int]:
    terms = {"T": w.terms["Tumor"], "S": w.terms["Stroma"]}
    pks = [
        w.service.create(shapely.box(500 + 300 * i, 800, 700 + 300 * i, 1000), [terms["T"]])
        for i in range(10)
    ]
    for name, plan in PLAN.items():
        reader = _reader(w, name)
        for pk, code in zip(pks, plan.split(), strict=True):
            with w.store.unit_of_work(user_pk=reader) as uow:
                decisions.record_decision(
                    uow, pk, reviewer_pk=reader, decision=A if code[0] == "A" else R,
                    term_pks=[terms[code[1]]], reason=None if code[0] == "A" else "wrong_class",
                )  # fmt: skip
    return pks


def test_agreement_dock(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    w = world
    pks = _study(w)
    w.wb.session.notify_external_change("test data")
    wait_idle(qtbot, w.wb)
    dock = install_agreement_dock(w.window, w.wb.session, store=w.store)
    assert not dock.isVisible()
    action = next(
        a
        for a in w.window.findChildren(type(dock.toggleViewAction()))
        if a.text() == "Reader agreement"
    )
    action.trigger()  # Review > Reader agreement
    qtbot.waitUntil(lambda: dock.result is not None and not dock.busy, timeout=10_000)
    result = dock.result
    assert result is not None and result.readers == ["ann", "bob", "cid"]
    assert dock.table.rowCount() == 3
    row = [dock.table.item(0, c).text() for c in range(6)]
    # ann vs bob: decisions differ on #8 only -> 90%; terms differ on #4 and #8
    assert row[:4] == ["ann", "bob", "10", "90%"]
    assert float(row[4]) == pytest.approx(result.pairs[0].decision_kappa, abs=0.005)
    assert "Fleiss' kappa" in dock.summary.text() and "3 readers" in dock.summary.text()
    bars = [i for i in dock.kappa_plot.items if isinstance(i, pg.BarGraphItem)]
    assert len(bars) == 2  # accept/reject and terms, three pairs each
    assert [len(b.opts["height"]) for b in bars] == [3, 3]
    images = [i for i in dock.confusion_plot.items if isinstance(i, pg.ImageItem)]
    assert len(images) == 1 and images[0].image.T.tolist() == result.pairs[0].matrix
    assert result.pairs[0].labels == ["Stroma", "Tumor"]
    # ann rows, bob columns, the 8 annotations both accepted: ann said Stroma 3 times
    # (bob Tumor once), Tumor 5 times (bob too); the rejected #5 and #8 take no part
    assert result.pairs[0].matrix == [[2, 1], [0, 5]]

    dock.pair.setCurrentIndex(2)  # bob – cid
    images = [i for i in dock.confusion_plot.items if isinstance(i, pg.ImageItem)]
    assert images[0].image.T.tolist() == result.pairs[2].matrix
    # bob and cid both accepted #1 #2 #4 #7 #9 #10
    assert dock.confusion_plot.titleLabel.text.startswith("Term confusion (6 ")

    dock.scope.setCurrentIndex(dock.scope.findData("image"))
    qtbot.waitUntil(lambda: not dock.busy, timeout=10_000)
    assert dock.result is not None and dock.result.pairs[0].n == 10  # one image: the same

    out = tmp_path / "decisions.csv"
    with w.store.unit_of_work(user_pk=w.user_pk) as uow:
        decisions.record_decision(
            uow, pks[7], reviewer_pk=w.user_pk, decision=R, role=DecisionRole.ADJUDICATOR
        )
    dock.export_csv(out)
    qtbot.waitUntil(lambda: "Wrote 31 decisions" in dock.message.text(), timeout=10_000)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 31 and sum(r["role"] == "adjudicator" for r in rows) == 1
    dock.export_csv(tmp_path / "missing-dir" / "x.csv")
    qtbot.waitUntil(lambda: "Cannot write" in dock.message.text(), timeout=10_000)

    dock.pair.setCurrentIndex(0)
    dock.message.setText("")
    SHOTS.mkdir(parents=True, exist_ok=True)
    dock.setFloating(True)
    dock.resize(560, 860)
    qtbot.wait(300)
    assert dock.grab().save(str(SHOTS / "review-agreement.png"))
    dock.close_lane()


def test_undefined_figures_show_a_dash(qtbot: QtBot, world: World) -> None:
    """Two readers who reject everything they share: no term figure, and a reader who
    shares nothing with the others has no figure at all — shown "—", never 1.00."""
    w = world
    tum, stro = w.terms["Tumor"], w.terms["Stroma"]
    pks = [
        w.service.create(shapely.box(500 + 300 * i, 800, 700 + 300 * i, 1000), [tum])
        for i in range(3)
    ]
    # ann and bob leave the same terms (Tumor, Stroma) on outlines one of them rejected
    plans = {
        "ann": [(0, A, tum), (1, R, stro)],
        "bob": [(0, R, tum), (1, R, stro)],
        "cid": [(2, A, tum)],
    }
    for name, plan in plans.items():
        reader = _reader(w, name)
        for i, verdict, term in plan:
            with w.store.unit_of_work(user_pk=reader) as uow:
                decisions.record_decision(
                    uow, pks[i], reviewer_pk=reader, decision=verdict, term_pks=[term]
                )
    w.wb.session.notify_external_change("test data")
    wait_idle(qtbot, w.wb)
    dock = install_agreement_dock(w.window, w.wb.session, store=w.store)
    dock.show()
    dock.reload()
    qtbot.waitUntil(lambda: dock.result is not None and not dock.busy, timeout=10_000)
    rows = [[dock.table.item(r, c).text() for c in range(6)] for r in range(3)]
    assert rows[0] == ["ann", "bob", "2", "50%", "0.00", "—"]
    assert rows[1] == ["ann", "cid", "0", "—", "—", "—"]
    assert dock.confusion_plot.titleLabel.text.startswith("Term confusion (no annotation")
    dock.close_lane()
