"""The home's dialogs as a user drives them, against the real server over HTTP: New
project (new ontology, published at once), Add image (a generated slide uploaded with
a progress dialog, cancelled, then added again to completion), and a slide file of a
SciTran acquisition opened from the tree.

The Add-image upload goes through a delaying proxy so that it lasts long enough to be
cancelled by the progress dialog's Cancel button, as a user would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.slide.cache import TileCache
from desktop_app.slide.disk_cache import DiskTileCache
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.synth import write_slide
from desktop_app.sync.transport import credentials
from desktop_app.ui.home import HomePage, install_home
from desktop_app.ui.home.dialogs import NEW_ONTOLOGY, NewProjectDialog
from desktop_app.ui.home.tree_tab import NODE_ROLE
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.viewer import SlideView
from tests.sync.conftest import proxy  # noqa: F401 - fixture
from tests.sync.proxy import FaultProxy


class Opened:
    def __init__(self) -> None:
        self.images: list[int] = []
        self.paths: list[Path] = []


@pytest.fixture
def home_at(qtbot: QtBot, tmp_path: Path) -> Iterator[Any]:
    """A main window with the home, for a device, logged in to ``base``."""
    made: list[tuple[MainWindow, HomePage]] = []

    def factory(dev: Any, base: str) -> tuple[HomePage, Opened]:
        data = tmp_path / dev.name
        keys = dev.keys
        credentials.save(
            data,
            credentials.Credentials(base, keys.publicKey, keys.privateKey),
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
        with qtbot.waitSignal(home.loaded, timeout=30_000):
            home.refresh()
        qtbot.waitUntil(lambda: not home.lane.busy, timeout=30_000)
        return home, opened

    yield factory
    for window, home in made:
        home.shutdown()
        window.close()


def _reload(qtbot: QtBot, home: HomePage) -> None:
    with qtbot.waitSignal(home.loaded, timeout=30_000):
        home.refresh()
    qtbot.waitUntil(lambda: not home.lane.busy, timeout=30_000)


def test_new_project_dialog_creates_it_on_the_server(
    qtbot: QtBot, server: Any, devices: Any, home_at: Any
) -> None:
    alice = devices["new"]("alice", "alice")
    assert alice.sync().ok
    home, _opened = home_at(alice, server.base)
    name = f"Dialog project {time.monotonic_ns()}"
    seen: dict[str, str] = {}

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewProjectDialog)
        dialog._accept()  # OK with no name: refused, said in the dialog
        seen["empty"] = dialog.message.text()
        dialog.name.setText(name)
        dialog.ontology.setCurrentIndex(dialog.ontology.findText(NEW_ONTOLOGY))
        assert dialog.new_name.isEnabled()
        dialog._accept()  # a new ontology needs a name too
        seen["no ontology name"] = dialog.message.text()
        dialog.new_name.setText(f"{name} terms")
        dialog._accept()

    QTimer.singleShot(0, drive)
    home.projects.new_requested.emit()
    assert seen == {
        "empty": "Give the project a name.",
        "no ontology name": "Give the new ontology a name.",
    }
    qtbot.waitUntil(lambda: "created on the server" in home.status.text(), timeout=60_000)
    qtbot.waitUntil(lambda: not home.lane.busy, timeout=30_000)
    rows = [r for r in home.project_rows if r.name == name]
    assert len(rows) == 1 and rows[0].server_id is not None and rows[0].role == "admin"
    assert rows[0].ontology == f"{name} terms"
    on_server = server.client("alice").get(f"/api/project/{rows[0].server_id}.json").json()
    assert on_server["name"] == name
    onto = server.client("alice").get(f"/api/ontology/{on_server['ontology']}.json").json()
    assert onto["name"] == f"{name} terms"


def test_add_image_uploads_with_progress_and_cancel(
    qtbot: QtBot,
    server: Any,
    devices: Any,
    world: dict[str, Any],
    home_at: Any,
    proxy: FaultProxy,  # noqa: F811
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    big = write_slide(tmp_path / "added-biopsy.svs", 6000, 5000, seed=7)
    assert big.stat().st_size > 3 << 20  # several upload chunks
    alice = devices["new"]("alice", "alice")
    assert alice.sync().ok
    home, _opened = home_at(alice, proxy.base)
    project = [r for r in home.project_rows if r.server_id == world["project"]][0]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(big), ""))
    proxy.set_faults(delay=0.05)  # a slow link: the upload lasts long enough to cancel
    home.projects.select(project.pk)
    assert home.projects.add_image_button.isEnabled()
    home.projects.add_image_button.click()
    qtbot.waitUntil(lambda: bool(home.actions_.jobs), timeout=60_000)
    job = home.actions_.jobs[-1]
    qtbot.waitUntil(lambda: job.dialog.isVisible(), timeout=30_000)
    assert job.dialog.windowTitle() == "Upload" and big.name in job.dialog.labelText()
    qtbot.waitUntil(lambda: 0 < job.dialog.value() < job.dialog.maximum(), timeout=60_000)
    cancel = job.dialog.findChild(type(home.projects.add_image_button))
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    qtbot.waitUntil(lambda: "cancelled" in home.status.text(), timeout=10_000)
    assert not job.dialog.isVisible()
    names = [i["instanceFilename"] for i in _images(server, world)]
    assert big.name not in names  # nothing half-made on the server
    # Added again, on a normal link: it completes, and the image is the project's
    proxy.heal()
    home.projects.add_image_button.click()
    qtbot.waitUntil(lambda: len(home.actions_.jobs) == 2, timeout=60_000)
    qtbot.waitUntil(lambda: not home.actions_.jobs[-1].running, timeout=120_000)
    qtbot.waitUntil(lambda: "uploaded" in home.status.text(), timeout=30_000)
    assert f"{big.name} uploaded." == home.status.text()
    names = [i["instanceFilename"] for i in _images(server, world)]
    assert names.count(big.name) == 1
    _reload(qtbot, home)
    row = [r for r in home.project_rows if r.pk == project.pk][0]
    assert row.images == 2


def _images(server: Any, world: dict[str, Any]) -> list[dict[str, Any]]:
    return (
        server.client("alice")
        .get(f"/api/project/{world['project']}/imageinstance.json")
        .json()["collection"]
    )


def test_a_slide_file_of_an_acquisition_opens_from_the_tree(
    qtbot: QtBot, server: Any, devices: Any, hierarchy: dict[str, Any], home_at: Any
) -> None:
    bob = devices["new"]("bob", "bob")
    assert bob.sync().ok
    home, opened = home_at(bob, server.base)
    home.tabs.setCurrentWidget(home.tree)
    qtbot.waitUntil(lambda: home.tree.model.rowCount() > 0 and not home.lane.busy, timeout=30_000)
    assert home.tree.select_uid(_acquisition_uid(home, "H&E scan"))
    items = [home.tree.files.item(i) for i in range(home.tree.files.count())]
    scan = [i for i in items if i.data(NODE_ROLE) == "scan.tiff"][0]
    home.tree.files.itemDoubleClicked.emit(scan)
    if opened.images:  # the file is a slide the cache knows: the viewer streams it
        assert len(opened.images) == 1
    else:  # downloaded once into the data dir, then opened as a file
        qtbot.waitUntil(lambda: bool(opened.paths), timeout=60_000)
        (path,) = opened.paths
        assert path.name == "scan.tiff" and home.ctx.files_dir in path.parents
        with open_slide(path) as src:
            assert src.info.width > 0
        # opened again: no second download, the kept file opens
        home.tree.files.itemDoubleClicked.emit(scan)
        qtbot.waitUntil(lambda: len(opened.paths) == 2, timeout=60_000)
        assert opened.paths[1] == path
    # a file that is not a slide is downloaded and handed to the desktop, not the viewer
    report = [i for i in items if i.data(NODE_ROLE) == "report.txt"][0]
    jobs = len(home.actions_.jobs)
    home.tree.files.itemDoubleClicked.emit(report)
    qtbot.waitUntil(lambda: len(home.actions_.jobs) == jobs + 1, timeout=10_000)
    qtbot.waitUntil(lambda: not home.actions_.jobs[-1].running, timeout=60_000)
    kept = list(home.ctx.files_dir.rglob("report.txt"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"grade 2\n"
    assert all(p.name != "report.txt" for p in opened.paths)


def _acquisition_uid(home: HomePage, label: str) -> str:
    for index in home.tree._all_indexes():
        node = index.data(NODE_ROLE)
        if isinstance(node, dict) and node["type"] == "acquisition" and node["label"] == label:
            return str(node["uid"])
    raise LookupError(label)
