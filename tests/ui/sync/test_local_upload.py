"""Sync now and local projects (#10.4), against the real server process: one question
per local project, the answer remembered, the upload (slide included) off the UI
thread with progress and Cancel, and nothing lost when it is cancelled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.services.annotations import AnnotationService
from desktop_app.services.ontology import TermSpec, create_ontology
from desktop_app.services.workspace import Workspace
from desktop_app.slide.cache import TileCache
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.synth import write_slide
from desktop_app.sync.push.publish import local_project_pks
from desktop_app.sync.report import SyncReport
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.sync import SyncUi
from desktop_app.ui.sync.upload_prompt import KEEP_LOCAL, UPLOAD, UploadChoices
from desktop_app.ui.viewer import SlideView
from tests.ui.sync.test_sync_ui import sync_ui, wait_status

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    w = MainWindow(SlideView(TileCache(64 * 1024 * 1024)), open_slide)
    qtbot.addWidget(w)
    w.resize(1264, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def local_project(dev: Any, tmp_path: Path, name: str, n_annotations: int = 2) -> int:
    """A project made on the workstation: its own ontology, one slide, annotations."""
    ws = Workspace(dev.store)
    me = ws.local_user().pk
    onto = create_ontology(dev.store, f"{name} terms", [TermSpec("Tumor", "#E53935")], me)
    project = ws.local_project(name, ontology_pk=onto)
    slide = write_slide(tmp_path / f"{name.replace(' ', '-')}.tiff", 700, 500, seed=len(name))
    src = open_slide(slide)
    image = ws.register_slide(slide, src.info, project_pk=project.pk)
    src.close()
    service = AnnotationService(dev.store, image.pk, me)
    for i in range(n_annotations):
        service.create(shapely.box(50 + 100 * i, 50, 120 + 100 * i, 120))
    return int(project.pk)


def answer(qtbot: QtBot, ui: SyncUi, button: str, name: str) -> None:
    qtbot.waitUntil(lambda: ui.prompt.box is not None, timeout=10_000)
    box = ui.prompt.box
    assert box is not None and f"\u201c{name}\u201d" in box.text()
    assert "1 slide(s)" in box.text() and ui.runner.engine is not None
    assert ui.runner.engine.client.base_url in box.text()
    assert not ui.runner.busy  # nothing starts before the answer
    qtbot.mouseClick(ui.prompt.upload_button if button == UPLOAD else ui.prompt.keep_button, LEFT)


def server_project(server: Any, name: str) -> dict[str, Any] | None:
    projects = server.client("alice").get("/api/project.json").json()["collection"]
    return next((p for p in projects if p["name"].startswith(name)), None)


def test_sync_now_asks_once_per_local_project_and_uploads_it(
    qtbot: QtBot,
    window: MainWindow,
    server: Any,
    devices: Any,
    tmp_path: Path,
) -> None:
    dev = devices["new"]("a", "alice")
    first = local_project(dev, tmp_path, "Gut biopsies", n_annotations=3)
    second = local_project(dev, tmp_path, "Scratch")
    ui = sync_ui(window, dev, tmp_path, project_server_ids=lambda: [])
    wait_status(qtbot, ui, logged_in=True)
    stages: list[str] = []
    ui.runner.progress.connect(lambda stage, *_: stages.append(stage))
    with qtbot.waitSignal(ui.runner.finished, timeout=60_000) as done:
        assert ui.sync_now()
        answer(qtbot, ui, UPLOAD, "Gut biopsies")
        answer(qtbot, ui, KEEP_LOCAL, "Scratch")
    report: SyncReport = done.args[0]
    assert report.error is None and report.uploaded == 1, report.reason()
    assert "upload" in stages and "upload-bytes" in stages  # the bar showed the slide going
    assert local_project_pks(dev.store) == [second]
    on_server = server_project(server, "Gut biopsies")
    assert on_server is not None
    images = server.client("alice").get(f"/api/project/{on_server['id']}/imageinstance.json")
    assert len(images.json()["collection"]) == 1
    anns = server.client("alice").get(f"/api/annotation.json?project={on_server['id']}")
    assert len(anns.json()["collection"]) == 3
    # the answers are remembered (in the data dir, so also after a restart) ...
    choices = UploadChoices(tmp_path / "data" / "ui-settings.ini")
    assert choices.get(first) == UPLOAD and choices.get(second) == KEEP_LOCAL
    with qtbot.waitSignal(ui.runner.finished, timeout=60_000):
        assert ui.sync_now()  # ... so no question this time
        qtbot.wait(50)
        assert ui.prompt.box is None
    assert server_project(server, "Scratch") is None
    # File > Upload local projects... asks again
    with qtbot.waitSignal(ui.runner.finished, timeout=60_000) as done:
        ui.upload_action.trigger()
        answer(qtbot, ui, UPLOAD, "Scratch")
    assert done.args[0].error is None and local_project_pks(dev.store) == []
    assert server_project(server, "Scratch") is not None


def test_cancelled_upload_resumes_on_the_next_sync(
    qtbot: QtBot,
    window: MainWindow,
    server: Any,
    devices: Any,
    tmp_path: Path,
) -> None:
    dev = devices["new"]("a", "alice")
    local_project(dev, tmp_path, "Cancelled cohort")
    synced: list[int] = []  # the projects this window works on (the app: the open ones)
    ui = sync_ui(window, dev, tmp_path, project_server_ids=lambda: list(synced))
    wait_status(qtbot, ui, logged_in=True)
    # Cancel as the slide starts to go up (from the sync thread, so it is exactly then)
    cancel_at_upload = lambda stage, *_: stage == "upload" and ui.runner.cancel()  # noqa: E731
    ui.runner.progress.connect(cancel_at_upload, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(ui.runner.finished, timeout=60_000) as done:
        ui.sync_now()
        answer(qtbot, ui, UPLOAD, "Cancelled cohort")
        qtbot.waitUntil(lambda: ui.status.cancel.isVisible(), timeout=10_000)
    report: SyncReport = done.args[0]
    assert report.error_kind == "cancelled" and report.uploaded == 0
    assert "cancelled" in window.statusBar().currentMessage()
    ui.runner.progress.disconnect(cancel_at_upload)
    project = server_project(server, "Cancelled cohort")
    assert project is not None  # created before the slide: the rest follows next time
    synced.append(int(project["id"]))
    with qtbot.waitSignal(ui.runner.finished, timeout=60_000) as done:
        assert ui.sync_now()
    assert done.args[0].error is None and done.args[0].uploaded == 1, done.args[0].reason()
    anns = server.client("alice").get(f"/api/annotation.json?project={project['id']}")
    assert len(anns.json()["collection"]) == 2
    wait_status(qtbot, ui, pending=0)
