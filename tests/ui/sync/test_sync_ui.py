"""The sync UI against a real server process: login, Sync now, cancel, offline, conflicts."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from desktop_app.services.annotations import AnnotationService
from desktop_app.slide.cache import TileCache
from desktop_app.slide.openslide_source import open_slide
from desktop_app.sync import SyncEngine, SyncReport
from desktop_app.sync.transport import credentials
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.sync import SyncUi, install_sync_ui
from desktop_app.ui.sync.login_dialog import LoginDialog
from desktop_app.ui.viewer import SlideView
from desktop_app.ui.workbench import install_annotation_workbench
from tests.server.harness import free_port
from tests.sync.helpers import draw, local_ann, local_image, move, square

#: The docs' screenshots are refreshed only on request, so a test run leaves the tree clean.
SHOTS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("WORKSTATION_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "workstation-screenshots"
)


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    w = MainWindow(SlideView(TileCache(64 * 1024 * 1024)), open_slide)
    qtbot.addWidget(w)
    w.resize(1300, 820)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def sync_ui(window: MainWindow, dev: Any, tmp_path: Path, **kw: Any) -> SyncUi:
    return install_sync_ui(
        window, window.view, store=dev.store, data_dir=tmp_path / "data",
        engine_factory=lambda: dev.engine, auto=False, **kw,
    )  # fmt: skip


def run_sync(qtbot: QtBot, ui: SyncUi, timeout: int = 30_000) -> SyncReport:
    with qtbot.waitSignal(ui.runner.finished, timeout=timeout) as blocker:
        assert ui.sync_now()
    report: SyncReport = blocker.args[0]
    qtbot.waitUntil(lambda: ui.last_view is not None and not ui.last_view.running)
    return report


def wait_status(qtbot: QtBot, ui: SyncUi, **want: Any) -> None:
    ui.runner.refresh_status()

    def check() -> None:
        v = ui.last_view
        assert v is not None
        for key, value in want.items():
            assert getattr(v, key) == value, (key, getattr(v, key))

    qtbot.waitUntil(check, timeout=10_000)


def test_login_wrong_key_then_success(
    qtbot: QtBot, server: Any, tmp_path: Path, devices: Any
) -> None:
    dev = devices["new"]("a", "alice")
    keys = server.users["alice"]
    dialog = LoginDialog(dev.store, tmp_path / "data")
    qtbot.addWidget(dialog)
    dialog.url.setText(server.base)
    dialog.public_key.setText(keys.publicKey)
    dialog.private_key.setText("not-the-key")
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)
    assert "refused these keys" in dialog.error.text()
    with pytest.raises(credentials.CredentialError):
        credentials.load(tmp_path / "data")

    dialog.url.setText(f"http://127.0.0.1:{free_port()}")
    dialog.private_key.setText(keys.privateKey)
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15_000)
    assert dialog.error.text().startswith("Cannot reach http://127.0.0.1:")

    dialog.url.setText(server.base + "/")
    with qtbot.waitSignal(dialog.logged_in, timeout=15_000) as blocker:
        dialog.submit()
    engine, user = blocker.args
    assert user["username"] == "alice" and isinstance(engine, SyncEngine)
    saved = credentials.load(tmp_path / "data")
    assert (saved.server_url, saved.private_key) == (server.base, keys.privateKey)
    assert keys.privateKey not in (tmp_path / "data" / "server.json").read_text()
    assert dialog.private_key.text() == ""
    engine.client.close()


def test_login_without_keyring_backend(
    qtbot: QtBot, tmp_path: Path, devices: Any, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backends import fail

    dev = devices["new"]("a", "alice")
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    dialog = LoginDialog(dev.store, tmp_path / "data", server_url=server.base)
    qtbot.addWidget(dialog)
    dialog.public_key.setText("p")
    dialog.private_key.setText("s")
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5_000)
    assert "no keyring backend" in dialog.error.text()


def test_sync_now_pushes_without_blocking_and_cancel(
    qtbot: QtBot, window: MainWindow, server: Any, world: dict[str, Any], devices: Any,
    tmp_path: Path,
) -> None:  # fmt: skip
    p, img = world["project"], world["image"]
    dev = devices["new"]("a", "alice")
    ui = sync_ui(window, dev, tmp_path, project_server_ids=lambda: [p])
    assert run_sync(qtbot, ui).ok  # checkout
    wait_status(qtbot, ui, logged_in=True, online=True, pending=0)
    assert "Online" in ui.status.text() and "0 pending" in ui.status.text()

    ann = draw(dev, img, square(100, 100), [world["terms"][0]])
    wait_status(qtbot, ui, pending=2)  # the create + its term link
    assert "2 pending" in ui.status.text()

    ticks = []
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    with qtbot.waitSignal(ui.runner.finished, timeout=30_000) as blocker:
        with qtbot.waitSignal(ui.runner.started, timeout=10_000):
            assert ui.sync_now()  # starts once the local projects are listed (none here)
            assert not ui.sync_now()  # never two at once
        assert ui.status.progress.isVisible() and not ui.sync_action.isEnabled()
        assert not ui.sync_now()
    timer.stop()
    report = blocker.args[0]
    assert report.ok and report.pushed >= 1
    assert len(ticks) >= 3  # the event loop kept running during the sync
    wait_status(qtbot, ui, pending=0)
    assert "0 pending" in ui.status.text() and not ui.status.progress.isVisible()
    sid = local_ann(dev.store, uid=ann.uid).server_id
    got = server.client("alice").get(f"/api/annotation/{sid}.json")
    assert got.ok and got.json()["image"] == img

    draw(dev, img, square(300, 300))
    with qtbot.waitSignal(ui.runner.finished, timeout=30_000) as blocker:
        with qtbot.waitSignal(ui.runner.started, timeout=10_000):
            ui.sync_now()
        ui.cancel()
    assert blocker.args[0].error_kind == "cancelled"
    assert "cancelled" in window.statusBar().currentMessage()
    assert run_sync(qtbot, ui).ok  # nothing lost: the next run sends it
    wait_status(qtbot, ui, pending=0)


def test_offline_server(qtbot: QtBot, window: MainWindow, tmp_path: Path, devices: Any) -> None:
    dev = devices["new"]("a", "alice", base=f"http://127.0.0.1:{free_port()}")
    ui = sync_ui(window, dev, tmp_path, probe_seconds=60)
    report = run_sync(qtbot, ui)
    assert report.error_kind == "offline"
    wait_status(qtbot, ui, online=False)
    assert ui.status.text().startswith("Offline") and ui.status.state == "offline"
    assert "cannot reach the server" in ui.status.toolTip()
    assert ui.probe_timer.isActive() and ui.sync_action.isEnabled()


def test_not_logged_in_shows_local_counts(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, devices: Any
) -> None:
    dev = devices["new"]("a", "alice")
    ui = install_sync_ui(window, window.view, store=dev.store, data_dir=tmp_path / "d", auto=False)
    wait_status(qtbot, ui, logged_in=False)
    assert ui.status.text().startswith("Not logged in")
    assert "not logged in" in ui.status.toolTip()
    dialog = ui.login_dialog()
    qtbot.addWidget(dialog)
    assert dialog.url.text() == ""


def make_conflict(world: dict[str, Any], devices: Any) -> tuple[Any, Any, int]:
    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    a, b = devices["new"]("a", "alice"), devices["new"]("b", "bob")
    assert a.sync([p]).ok
    ann = draw(a, img, square(400, 300, 200), [t1])
    assert a.sync([p]).ok and b.sync([p]).ok
    sid = local_ann(a.store, uid=ann.uid).server_id
    move(a, ann.pk, square(480, 360, 200))
    move(b, local_ann(b.store, server_id=sid).pk, square(320, 240, 200))
    assert a.sync([p]).ok
    return a, b, sid


@pytest.mark.parametrize("choice", ["mine", "theirs", "both"])
def test_conflict_panel_resolves(
    qtbot: QtBot, window: MainWindow, server: Any, world: dict[str, Any], devices: Any,
    slide: Path, tmp_path: Path, choice: str,
) -> None:  # fmt: skip
    p, img = world["project"], world["image"]
    a, b, sid = make_conflict(world, devices)
    image_pk = local_image(b.store, img)
    wb = install_annotation_workbench(
        window, window.view, store=b.store,
        service_factory=lambda pk: AnnotationService(b.store, pk, b.me()),
        ontology_pk=None, user_pk=b.me(),
    )  # fmt: skip
    with qtbot.waitSignal(window.view.fully_loaded, timeout=15_000):
        window.open_path(slide)
    wb.set_image(image_pk)
    qtbot.waitUntil(lambda: wb.session.state is not None)
    ui = sync_ui(window, b, tmp_path, workbench=wb, project_server_ids=lambda: [p])
    changes = wb.session.changes
    report = run_sync(qtbot, ui)
    assert report.conflicts == 1
    qtbot.waitUntil(lambda: len(ui.panel.conflicts) == 1 and ui.panel.isVisible())
    assert wb.session.changes > changes  # the layer was told to re-read
    wait_status(qtbot, ui, conflicts=1)
    assert "1 conflict(s)" in ui.status.text()
    table = ui.panel.table
    assert table.item(0, 0).text() == f"annotation {ui.panel.conflicts[0].entity_pk}"
    assert table.item(0, 1).text() == "Both moved it"
    ui.panel.select(ui.panel.conflicts[0].pk)
    qtbot.waitUntil(lambda: ui.panel.overlay.shapes is not None)
    shapes = ui.panel.overlay.shapes
    assert shapes.mine.bounds == (320, 240, 520, 440)
    assert shapes.theirs.bounds == (480, 360, 680, 560)
    assert shapes.base.bounds == (400, 300, 600, 500)
    assert ui.panel.overlay in window.view.overlays()
    cx, cy, _ds = window.view.current_view()
    assert 320 <= cx <= 680 and 240 <= cy <= 560  # zoomed to the conflict
    if choice == "mine":
        SHOTS.mkdir(parents=True, exist_ok=True)
        qtbot.wait(300)
        assert window.grab().save(str(SHOTS / "sync.png"))

    with qtbot.waitSignal(ui.panel.resolved, timeout=10_000):
        ui.panel.buttons[choice].click()
    qtbot.waitUntil(lambda: ui.panel.conflicts == [] and ui.panel.overlay.shapes is None)
    assert run_sync(qtbot, ui).ok
    assert a.sync([p]).ok
    rows = server.client("alice").get(f"/api/annotation.json?image={img}").json()["collection"]
    assert len(rows) == (2 if choice == "both" else 1)
    wait_status(qtbot, ui, conflicts=0, pending=0)
