"""The team workflow end to end, on PostgreSQL (issue 10's acceptance; SQLite's whole
walks are the two readers' study, the seams and multi-host: tests/e2e/conftest.postgres_param).

alice imports a QuPath file with classes and properties and pushes her local project;
the administrator adds bob with ``server add-member``; bob pulls, opens the image
streamed from the server in the real main window, reviews (accept, reject) and edits
there, syncs; alice pulls and sees bob's work; both logins keep working throughout, and
the two workstations export the image identically.  Every step but the GUI one is the
real ``workstation`` command in a subprocess.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import shapely
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from desktop_app.config import load_settings
from desktop_app.core.review import ReviewStatus
from desktop_app.model.annotation import Annotation, AnnotationKind, AnnotationTerm
from desktop_app.model.ontology import Term
from desktop_app.services.review import decision_of
from desktop_app.store.engine import open_cache
from desktop_app.store.uow import Store
from tests.e2e.conftest import TEAM, Ws, account_env, postgres_param, server_cli, write_geojson
from tests.server.harness import Server, running_server

CLASSES = ["Tumor", "Stroma", "Necrosis"]


def _uids(data: Path) -> dict[str, tuple[str, frozenset[str], str]]:
    """uid -> (shape WKT, term names, review decision) of a cache's user annotations."""
    store = Store(open_cache(data / "cache.sqlite"))
    try:
        with store.read() as s:
            rows = s.execute(
                select(Annotation.pk, Annotation.uid, Annotation.location).where(
                    Annotation.kind == AnnotationKind.USER, Annotation.local_deleted.is_(False)
                )
            ).all()
            links = s.execute(
                select(AnnotationTerm.annotation_pk, Term.name)
                .join(Term, Term.pk == AnnotationTerm.term_pk)
                .where(AnnotationTerm.local_deleted.is_(False))
            ).all()
        names: dict[int, set[str]] = {}
        for ann_pk, name in links:
            names.setdefault(ann_pk, set()).add(name)
        return {
            uid: (
                shapely.to_wkt(shapely.normalize(shapely.from_wkb(loc)), rounding_precision=1),
                frozenset(names.get(pk, ())),
                decision_of(store, pk).value,
            )
            for pk, uid, loc in rows
        }
    finally:
        store.close()


def _wait(cond: Any, timeout: float = 30.0) -> None:
    """Run the Qt event loop until ``cond()`` is true (the story fixture outlives qtbot)."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, f"timed out waiting for {cond}"
        QApplication.processEvents()
        time.sleep(0.01)


def _bob_reviews_and_edits_in_the_gui(
    data: Path, image_pk: int, account: dict[str, str], mp: pytest.MonkeyPatch
) -> dict[str, Any]:
    """The GUI step: bob's real main window opens the streamed image, reviews, edits."""
    from desktop_app.app import build_gui

    for key in ("XDG_DATA_HOME", "PYTHON_KEYRING_BACKEND"):
        mp.setenv(key, account[key])  # the stream's client reads bob's key like the CLI
    gui = build_gui(load_settings(str(data)), show_home=False)
    try:
        window, wb, review = gui.window, gui.workbench, gui.review
        loaded: list[bool] = []
        window.view.fully_loaded.connect(lambda: loaded.append(True))
        window.open_image(image_pk)
        _wait(lambda: bool(loaded), 60)
        source = window.view.source()
        assert getattr(source, "remote", False), "the image must stream from the server"
        assert source.image_pk == image_pk
        _wait(lambda: wb.session.state is not None)
        service = wb.session.service
        assert service is not None and service.image_pk == image_pk

        review.toggle_action.trigger()
        _wait(lambda: not review.busy and review.session is not None)
        queue = list(review.session.queue)
        assert len(queue) == 6
        for keys in ((Qt.Key.Key_A,), (Qt.Key.Key_R, Qt.Key.Key_2)):  # R asks the reason
            window.view.setFocus()
            for key in keys:
                QTest.keyClick(window.view, key)
            _wait(lambda: not review.busy)
        accepted, rejected = queue[0], queue[1]
        assert decision_of(gui.client.store, accepted) is ReviewStatus.ACCEPTED
        assert decision_of(gui.client.store, rejected) is ReviewStatus.REJECTED
        review.toggle_action.trigger()
        _wait(lambda: not review.active)

        with gui.client.store.read() as s:
            terms = {t.name: t.pk for t in s.scalars(select(Term))}
        edited = queue[2]
        wb.session.write(service.set_term, [edited], terms["Necrosis"])
        wb.session.write(service.set_property, edited, "grade", "3")
        drawn: list[int] = []
        wb.session.write(
            service.create,
            shapely.box(900, 700, 1100, 900),
            [terms["Stroma"]],
            on_done=drawn.append,
        )
        _wait(lambda: bool(drawn) and not wb.session.busy)
        with gui.client.store.read() as s:
            uid = {
                pk: s.scalar(select(Annotation.uid).where(Annotation.pk == pk))
                for pk in (accepted, rejected, edited, drawn[0])
            }
        return {"accepted": uid[accepted], "rejected": uid[rejected], "edited": uid[edited],
                "drawn": uid[drawn[0]]}  # fmt: skip
    finally:
        gui.close()


@pytest.fixture(scope="module", params=postgres_param())
def story(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    slide_file: Path,
    qapp: Any,
) -> Any:
    """The whole workflow once per backend; the tests below check what it left."""
    tmp = tmp_path_factory.mktemp(f"team-{request.param}")
    account = account_env(tmp)
    alice, bob = Ws("alice", tmp / "alice", account), Ws("bob", tmp / "bob", account)
    mp = pytest.MonkeyPatch()
    users = {name: TEAM[name] for name in ("alice", "bob")}
    with running_server(request.param, tmp / "server", users, ["--workers", "1"]) as server:
        try:
            yield _run_story(server, slide_file, alice, bob, account, tmp, mp)
        finally:
            mp.undo()


def _run_story(
    server: Server,
    slide_file: Path,
    alice: Ws,
    bob: Ws,
    account: dict[str, str],
    tmp: Path,
    mp: pytest.MonkeyPatch,
) -> dict[str, Any]:
    story: dict[str, Any] = {"alice": alice, "bob": bob, "syncs": []}
    geo = write_geojson(tmp / "cells.geojson", CLASSES, n=6)
    alice.run("import", str(slide_file), str(geo))
    alice.login(server, "alice")
    bob.login(server, "bob")  # both logged in on one OS account from the start
    pushed = alice.run("sync", "--push-local")
    match = re.search(r"on the server as project (\d+)", pushed.stdout)
    assert match, pushed.stdout
    project = match.group(1)
    out = server_cli(
        server, "add-member", project, "bob", "--role", "rw",
        "--database-url", server.database_url,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr

    story["syncs"].append(bob.sync())
    [image] = [i for i in bob.json("images") if i["server_id"] is not None]
    story["image"] = image
    story["imported"] = _uids(alice.data)
    story["pulled_by_bob"] = _uids(bob.data)
    story["work"] = _bob_reviews_and_edits_in_the_gui(bob.data, image["pk"], account, mp)
    story["syncs"] += [bob.sync(), alice.sync()]
    story["alice_sees"], story["bob_has"] = _uids(alice.data), _uids(bob.data)
    a_out, b_out = tmp / "a.geojson", tmp / "b.geojson"
    alice.run("export", str(slide_file), str(a_out))
    bob.run("export", str(image["server_id"]), str(b_out))
    story["exports"] = json.loads(a_out.read_text()), json.loads(b_out.read_text())
    return story


def test_bob_pulls_what_alice_imported(story: dict[str, Any]) -> None:
    imported, pulled = story["imported"], story["pulled_by_bob"]
    assert len(imported) == 6
    assert {terms for _, terms, _ in imported.values()} == {frozenset({c}) for c in CLASSES}
    assert pulled == imported  # shapes and classes
    assert story["image"]["path"] is None and story["image"]["annotations"] == 6


def test_alice_sees_bobs_work(story: dict[str, Any]) -> None:
    seen, bobs, work = story["alice_sees"], story["bob_has"], story["work"]
    assert seen[work["accepted"]][2] == ReviewStatus.ACCEPTED.value
    assert seen[work["edited"]][1] == frozenset({"Necrosis"})
    assert seen[work["drawn"]][1] == frozenset({"Stroma"})
    assert len(seen) == 7  # six imported, one drawn by bob; reviews add no rows
    assert bobs[work["rejected"]][2] == ReviewStatus.REJECTED.value
    others = {uid: row for uid, row in seen.items() if uid != work["rejected"]}
    assert others == {uid: row for uid, row in bobs.items() if uid != work["rejected"]}


def test_alice_sees_bobs_rejection(story: dict[str, Any]) -> None:
    work = story["work"]
    assert story["alice_sees"][work["rejected"]] == story["bob_has"][work["rejected"]]


def test_exports_of_alice_and_bob_are_identical(story: dict[str, Any]) -> None:
    a_json, b_json = story["exports"]
    assert len(a_json["features"]) == 7 and len(b_json["features"]) == 7
    assert a_json == b_json
    graded = [f for f in a_json["features"] if '"grade"' in json.dumps(f["properties"])]
    assert len(graded) == 1, "bob's property reaches alice's export"


def test_both_logins_keep_working(story: dict[str, Any]) -> None:
    for summary in story["syncs"]:
        assert summary["exit"] == 0, summary["stderr"]
    assert len(story["syncs"]) == 3  # bob, bob, alice: all after both logins
