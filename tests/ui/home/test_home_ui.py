"""The projects home, image browser and SciTran tree against a real server process.

Two users (alice: project admin, bob: rw member) sync the same project and SciTran
hierarchy into their own caches; the home is the real widget inside the real main
window, driven as a user drives it.  The server is stopped for the offline part.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop_app.model.sync import CommandLog
from desktop_app.services.offline_state import OfflineState
from desktop_app.services.scitran_tree import NAMES_HIDDEN
from desktop_app.services.workspace import Workspace
from desktop_app.slide.cache import TileCache
from desktop_app.slide.disk_cache import DiskTileCache
from desktop_app.slide.openslide_source import open_slide
from desktop_app.sync.local import UNFINISHED
from desktop_app.sync.projects import admin as project_admin
from desktop_app.sync.slides.image_open import ImageOpener
from desktop_app.sync.transport import credentials
from desktop_app.ui.home import HomePage, install_home
from desktop_app.ui.home.tree_tab import NODE_ROLE
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.viewer import SlideView
from tests.sync.helpers import draw, square
from tests.ui.home.helpers import upload_images

SHOTS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("WORKSTATION_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "workstation-screenshots"
)


class Opened:
    """What the home asked the window to open (the window's real open_image is used in
    the offline test)."""

    def __init__(self) -> None:
        self.images: list[int] = []
        self.paths: list[Path] = []


@pytest.fixture
def home_for(qtbot: QtBot, tmp_path: Path, server: Any) -> Iterator[Any]:
    made: list[tuple[MainWindow, HomePage]] = []

    def factory(dev: Any) -> tuple[MainWindow, HomePage, Opened]:
        data = tmp_path / dev.name
        keys = dev.keys
        credentials.save(
            data,
            credentials.Credentials(server.base, keys.publicKey, keys.privateKey),
            {"id": keys.id, "username": keys.username},
        )
        window = MainWindow(SlideView(TileCache(64 * 1024 * 1024)), open_slide)
        qtbot.addWidget(window)
        opened = Opened()
        home = install_home(
            window,
            store=dev.store,
            data_dir=data,
            user_pk=dev.me(),
            open_image=opened.images.append,
            open_path=opened.paths.append,
            tiles=DiskTileCache(data / "tiles"),
        )
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        made.append((window, home))
        return window, home, opened

    yield factory
    for window, home in made:
        home.shutdown()
        window.close()


def _wait_loaded(qtbot: QtBot, home: HomePage) -> None:
    with qtbot.waitSignal(home.loaded, timeout=20_000):
        home.refresh()
    qtbot.waitUntil(lambda: not home.lane.busy, timeout=20_000)


def _username(dev: Any) -> str:
    from desktop_app.model.security import User

    with dev.store.read() as s:
        return str(s.scalar(select(User.username).where(User.pk == dev.me())))


def _tree_node(home: HomePage, kind: str, label_part: str) -> dict[str, Any]:
    """Select a node in the tree tab (shown first: the tree is read when it is shown)."""
    if home.tabs.currentWidget() is not home.tree:
        home.tabs.setCurrentWidget(home.tree)
    deadline = time.monotonic() + 20
    while (home.lane.busy or home.tree.model.rowCount() == 0) and time.monotonic() < deadline:
        QApplication.processEvents()
    for index in home.tree._all_indexes():
        node = index.data(NODE_ROLE)
        if isinstance(node, dict) and node["type"] == kind and label_part in (node["label"] or ""):
            home.tree.view.setCurrentIndex(index)
            return node
    raise LookupError(f"{kind} {label_part}")


def test_home_browser_and_tree_per_role(
    qtbot: QtBot,
    server: Any,
    slide: Path,
    devices: Any,
    world: dict[str, Any],
    hierarchy: dict[str, Any],
    home_for: Any,
) -> None:
    alice, bob = devices["new"]("alice", "alice"), devices["new"]("bob", "bob")
    upload_images(server, world, slide, ["biopsy-2.tiff", "biopsy-3.tiff", "resection-1.tiff"])
    assert alice.sync().ok
    for n in range(3):  # a few annotations and local projects: the home has something to show
        draw(
            alice,
            world["image"],
            square(100 + 150 * n, 200),
            [world["terms"][n]],
        )
    assert alice.sync().ok and bob.sync().ok
    for name in ("Teaching set (local)", "Local slides"):
        Workspace(alice.store).local_project(name)
    window, home, opened = home_for(alice)
    _wait_loaded(qtbot, home)
    rows = [r for r in home.project_rows if r.server_id == world["project"]]
    assert len(rows) == 1 and rows[0].role == "admin" and rows[0].images == 4
    assert rows[0].annotations == 3 and rows[0].reviewed == 0 and rows[0].members == 4
    assert {"Teaching set (local)", "Local slides"} <= {r.name for r in home.project_rows}
    # search narrows the table; sorting is by the numbers
    home.projects.search.setText(rows[0].name[:4])
    assert home.projects.proxy.rowCount() >= 1
    home.projects.search.setText("no-such-project-xyz")
    assert home.projects.proxy.rowCount() == 0
    home.projects.search.clear()
    home.projects.select(rows[0].pk)
    assert home.projects.members_button.isEnabled()  # alice administers it
    home.projects.table.doubleClicked.emit(home.projects.table.currentIndex())
    qtbot.waitUntil(lambda: home.images.model.rowCount() == 4, timeout=20_000)
    image = home.images.model.row_at(home.images.model.row_of_server(world["image"]))
    assert image.offline is OfflineState.STREAMED and image.annotations == 3
    qtbot.waitUntil(lambda: home.thumbnails.get(image) is not None, timeout=20_000)
    assert list((home.ctx.thumbs_dir).glob(f"{image.uid}-*")), "thumbnail cached on disk"
    home.images.select(image.pk)
    home.images.grid.doubleClicked.emit(home.images.grid.currentIndex())
    assert opened.images == [image.pk]
    qtbot.waitUntil(lambda: not home.thumbnails.busy, timeout=20_000)
    menu = home.images.build_menu(image)
    labels = [a.text() for a in menu.actions()]
    assert "Open the next unreviewed image" in labels and "Properties..." in labels
    SHOTS.mkdir(parents=True, exist_ok=True)
    home.tabs.setCurrentWidget(home.images)
    qtbot.wait(200)
    window.grab().save(str(SHOTS / "home-images.png"))

    home.tabs.setCurrentWidget(home.tree)
    subject = _tree_node(home, "subject", "S-001")
    assert subject["firstname"] == "Jean"
    assert "Jean" in home.tree.details.toHtml()
    session = _tree_node(home, "session", "Case 1")
    assert session["timezone"] == "Europe/Brussels"
    assert session["notes"][0]["text"] == "check the margins"
    assert session["notes"][0]["user"] == _username(alice)  # the cache's row of server alice
    _tree_node(home, "acquisition", "H&E")
    assert home.tree.files.count() == 2
    _tree_node(home, "session", "Case 1")
    qtbot.wait(100)
    window.grab().save(str(SHOTS / "home-tree.png"))
    home.tabs.setCurrentWidget(home.projects)
    qtbot.wait(100)
    window.grab().save(str(SHOTS / "home-projects.png"))

    # bob (rw): hashes only, and the view says so
    _w2, bob_home, _o = home_for(bob)
    _wait_loaded(qtbot, bob_home)
    bob_row = [r for r in bob_home.project_rows if r.server_id == world["project"]][0]
    bob_home.projects.select(bob_row.pk)
    assert bob_row.role == "rw" and not bob_home.projects.members_button.isEnabled()
    hidden = _tree_node(bob_home, "subject", "S-001")
    assert hidden["firstname"] is None and hidden["names_hidden"]
    assert NAMES_HIDDEN in bob_home.tree.details.toPlainText()


def _select_note(home: HomePage, uid: str) -> None:
    for i in range(home.tree.notes.count()):
        item = home.tree.notes.item(i)
        if item.data(NODE_ROLE)["uid"] == uid:
            home.tree.notes.setCurrentItem(item)
            return
    raise LookupError(uid)


def test_notes_offline_then_synced_both_ways(
    qtbot: QtBot,
    server: Any,
    devices: Any,
    hierarchy: dict[str, Any],
    home_for: Any,
    monkeypatch: Any,
) -> None:
    bob = devices["new"]("bob", "bob")
    assert bob.sync().ok
    _window, home, _opened = home_for(bob)
    _wait_loaded(qtbot, home)
    session = _tree_node(home, "session", "Case 1")
    uid = home.ctx.notes.add("session", session["uid"], "seen by bob, offline")
    _wait_loaded(qtbot, home)
    session = _tree_node(home, "session", "Case 1")
    mine = [n for n in session["notes"] if n["uid"] == uid][0]
    assert mine["pending"] and mine["id"] is None
    assert any(
        "not synced yet" in home.tree.notes.item(i).text() for i in range(home.tree.notes.count())
    )
    assert bob.sync().ok
    texts = [
        n["text"]
        for n in server.client("alice").get(f"/api/sessions/{hierarchy['session']}").json()["notes"]
    ]
    assert "seen by bob, offline" in texts
    home.ctx.notes.edit(uid, "seen by bob, edited")
    assert bob.sync().ok
    texts = [
        n["text"]
        for n in server.client("alice").get(f"/api/sessions/{hierarchy['session']}").json()["notes"]
    ]
    assert "seen by bob, edited" in texts and "seen by bob, offline" not in texts
    # alice's edit on the server reaches bob's tree
    note_id = [
        n
        for n in server.client("alice").get(f"/api/sessions/{hierarchy['session']}").json()["notes"]
        if n["text"] == "check the margins"
    ][0]["_id"]
    refused = server.client("bob").put(
        f"/api/sessions/{hierarchy['session']}/notes/{note_id}", {"text": "bob's words"}
    )
    assert refused.status_code == 403  # not his note, not an admin of the session
    r = server.client("alice").put(
        f"/api/sessions/{hierarchy['session']}/notes/{note_id}", {"text": "margins clear"}
    )
    assert r.status_code == 200, r.text
    assert bob.sync().ok
    _wait_loaded(qtbot, home)
    session = _tree_node(home, "session", "Case 1")
    assert {"margins clear", "seen by bob, edited"} <= {n["text"] for n in session["notes"]}
    # delete with the tree's button, asked first: No keeps the note, Yes deletes it
    assert not home.tree.delete_note.isEnabled()  # no note selected
    _select_note(home, uid)
    assert home.tree.delete_note.isEnabled()
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> Any:
        return lambda _parent, _title, text, *a, **k: (asked.append(text), button)[1]

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    home.tree.delete_note.click()
    assert "seen by bob, edited" in asked[0] and "next sync" in asked[0]
    qtbot.wait(200)
    assert not home.lane.busy
    assert uid in {n["uid"] for n in _tree_node(home, "session", "Case 1")["notes"]}
    _select_note(home, uid)
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(home.loaded, timeout=20_000):
        home.tree.delete_note.click()
    qtbot.waitUntil(lambda: not home.lane.busy, timeout=20_000)
    session = _tree_node(home, "session", "Case 1")
    assert uid not in {n["uid"] for n in session["notes"]}
    assert "margins clear" in {n["text"] for n in session["notes"]}
    assert bob.sync().ok
    texts = [
        n["text"]
        for n in server.client("alice").get(f"/api/sessions/{hierarchy['session']}").json()["notes"]
    ]
    assert "seen by bob, edited" not in texts and "margins clear" in texts
    with bob.store.read() as s:
        assert s.scalar(select(func.count()).where(CommandLog.state.in_(UNFINISHED))) == 0


def test_members_dialog_adds_and_removes(
    qtbot: QtBot, server: Any, devices: Any, world: dict[str, Any], home_for: Any
) -> None:
    alice = devices["new"]("alice", "alice")
    assert alice.sync().ok
    _window, home, _opened = home_for(alice)
    _wait_loaded(qtbot, home)
    project = [r for r in home.project_rows if r.server_id == world["project"]][0]
    dave = server.users["dave"].id
    project_pk = project.pk
    url = f"/api/project/{world['project']}.json"
    allowed = server.client("alice").get(url).json()["areImagesDownloadable"]
    assert project.downloadable == allowed

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.user.count() > 0, timeout=20_000)
        dialog.user.setCurrentIndex(dialog.user.findData(dave))
        dialog.role.setCurrentText("ro")
        dialog.add_button.click()
        qtbot.waitUntil(lambda: dialog.status.text() == "Saved.", timeout=20_000)
        names = {
            dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
            for r in range(dialog.table.rowCount())
        }
        assert names["dave"] == "ro"
        # the project's download setting, on the server at once
        assert dialog.downloadable.isChecked() == allowed
        dialog.status.setText("")
        dialog.downloadable.setChecked(not allowed)
        qtbot.waitUntil(lambda: dialog.status.text() == "Saved.", timeout=20_000)
        # blinded review, the same way (the server's blindMode)
        assert not dialog.blind.isChecked()
        dialog.status.setText("")
        dialog.blind.setChecked(True)
        qtbot.waitUntil(lambda: dialog.status.text() == "Saved.", timeout=20_000)
        dialog.reject()

    QTimer.singleShot(0, drive)
    home.actions_.members(project_pk)
    members = (
        server.client("alice")
        .get(f"/api/project/{world['project']}/user.json")
        .json()["collection"]
    )
    assert [m["access"] for m in members if m["id"] == dave] == ["ro"]
    assert server.client("alice").get(url).json()["areImagesDownloadable"] is (not allowed)
    _wait_loaded(qtbot, home)
    assert [r.downloadable for r in home.project_rows if r.pk == project_pk] == [not allowed]
    assert server.client("alice").get(url).json()["blindMode"] is True
    assert [r.blind for r in home.project_rows if r.pk == project_pk] == [True]
    project_admin.remove_member(alice.store, alice.client, project_pk, dave)
    members = (
        server.client("alice")
        .get(f"/api/project/{world['project']}/user.json")
        .json()["collection"]
    )
    assert dave not in [m["id"] for m in members]
    assert "dave" not in [m.username for m in home.ctx.catalog.members(project_pk)]


def test_offline_copy_opens_with_the_server_stopped(
    qtbot: QtBot, server: Any, devices: Any, world: dict[str, Any], home_for: Any, monkeypatch: Any
) -> None:
    carol = devices["new"]("carol", "carol")
    assert carol.sync().ok
    _window, home, _opened = home_for(carol)
    _wait_loaded(qtbot, home)
    project = [r for r in home.project_rows if r.server_id == world["project"]][0]
    home.open_project(project.pk)
    qtbot.waitUntil(lambda: home.images.model.rowCount() == 1, timeout=20_000)
    image = home.images.model.row_at(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    home.images.offline_requested.emit(image.pk, "file", 0.0)
    qtbot.waitUntil(
        lambda: bool(home.actions_.jobs) and not home.actions_.jobs[-1].running, timeout=60_000
    )
    qtbot.waitUntil(
        lambda: (
            home.images.model.rowCount() == 1
            and home.images.model.row_at(0).offline is OfflineState.FILE
        ),
        timeout=20_000,
    )
    server.kill()
    try:
        _wait_loaded(qtbot, home)
        assert [r.offline for r in home.project_rows if r.pk == project.pk] == [1]
        home.open_project(project.pk)
        qtbot.waitUntil(lambda: home.images.model.rowCount() == 1, timeout=20_000)
        assert home.images.model.row_at(0).offline is OfflineState.FILE
        assert _tree_node(home, "project", project.name)["id"] == world["project"]
        opener = ImageOpener(carol.store, home.ctx.data_dir, tiles=home.ctx.tiles)
        source = opener.open(image.pk)
        try:
            assert source.info.width == image.width and not source.remote
        finally:
            source.close()
        # removing the copy needs no network either, and the browser says so
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        home.images.remove_offline_requested.emit(image.pk)
        qtbot.waitUntil(
            lambda: (
                home.images.model.rowCount() == 1
                and home.images.model.row_at(0).offline is OfflineState.STREAMED
            ),
            timeout=20_000,
        )
    finally:
        server.start()
