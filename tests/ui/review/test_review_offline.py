"""Prepare a remote slide's review queue, stop the server, review, then sync the decisions.

A real ``workstation server`` (SQLite) serves the slide's tiles; the workstation checks
the project out, "Prepare for offline review" fetches the queue's tiles with the size
shown first, the server process is stopped, and the whole queue is reviewed with the
keyboard: every view is complete from disk, no tile request is attempted (no failure,
the remote source never went offline, the server's access log has no later request),
and the decisions wait in the outbox until a restarted server receives them.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
import requests
import shapely
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop_app.model.image import ImageInstance
from desktop_app.model.sync import CommandLog, OpState
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.sync_issues import local_counts
from desktop_app.slide.cache import TileCache
from desktop_app.slide.disk_cache import DiskTileCache
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.remote_source import RemoteSlideSource
from desktop_app.slide.synth import write_slide
from desktop_app.store.uow import Store
from desktop_app.sync.engine import SyncEngine
from desktop_app.sync.slides.image_open import ImageSource
from desktop_app.sync.slides.sources import source_for_image
from desktop_app.sync.transport.http import CytomineClient
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.review import install_review_mode
from desktop_app.ui.viewer import SlideView
from desktop_app.ui.workbench import install_annotation_workbench
from tests.server.harness import (
    ROOT,
    Server,
    cli_command,
    dies_with_test_run,
    free_port,
    running_server,
    stop_process_group,
)
from tests.sync.conftest import make_device
from tests.ui.annotations.conftest import wait_idle
from tests.ui.review.test_review_mode import idle

BOXES = [(400, 500, 520, 600), (2600, 700, 2700, 820), (900, 2700, 1040, 2800),
         (3300, 2900, 3420, 3000), (2000, 1500, 2100, 1580)]  # fmt: skip


def _tile_requests(log: Path) -> int:
    return sum("normalized-tile" in line for line in log.read_text(errors="replace").splitlines())


def _pending_kinds(store: Store) -> list[str]:
    """Outbox operations still waiting for the server (kind values)."""
    with store.read() as s:
        return [
            str(o.kind.value)
            for o in s.scalars(select(CommandLog).where(CommandLog.state == OpState.PENDING))
        ]


def _restart(srv: Server) -> tuple[subprocess.Popen[bytes], str]:
    """The same database and storage on a new port (what an admin's restart does)."""
    port = free_port()
    proc = subprocess.Popen(
        [*cli_command(), "--data-dir", str(srv.data_dir), "server", "--port", str(port),
         "--database-url", srv.database_url, "--storage-dir", str(srv.data_dir / "storage")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        preexec_fn=dies_with_test_run(),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if requests.get(base + "/server/ping", timeout=1).ok:
                return proc, base
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not restart")


@pytest.mark.timeout(600)
def test_prepared_review_runs_with_the_server_stopped(qtbot: QtBot, tmp_path: Path) -> None:
    slide = write_slide(tmp_path / "tissue.svs", 4000, 3200, seed=11)
    srv_dir = tmp_path / "srv"
    srv_dir.mkdir()
    with running_server("sqlite", srv_dir, {"alice": "user"}, ["--access-log"]) as srv:
        a = srv.client("alice")
        project = a.post("/api/project.json", {"name": "study"}).json()["project"]["id"]
        storage = a.get("/api/storage.json").json()["collection"][0]["id"]
        with open(slide, "rb") as f:
            up = a.post("/upload", params={"storage": storage, "projects": project},
                        files={"files[]": ("tissue.svs", f)})  # fmt: skip
        assert up.status_code == 200, up.text
        dev = make_device(tmp_path, "reader", srv.users["alice"], srv.base)
        dev.sync([project])
        store, me = dev.store, dev.me()
        with store.read() as s:
            image_pk = int(s.scalar(select(ImageInstance.pk).limit(1)))
        service = AnnotationService(store, image_pk, me)
        pks = [service.create(shapely.box(*b)) for b in BOXES]
        dev.sync([project])  # the annotations are on the server: the review is of those
        assert local_counts(store).pending == 0

        remote = source_for_image(store, image_pk, tiles=DiskTileCache(tmp_path / "tiles"),
                                  client_factory=lambda: dev.client)  # fmt: skip
        assert isinstance(remote, RemoteSlideSource)
        window = MainWindow(SlideView(TileCache(64 * 1024 * 1024)), open_slide)
        qtbot.addWidget(window)
        wb = install_annotation_workbench(
            window, window.view, store=store,
            service_factory=lambda pk: AnnotationService(store, pk, me),
            ontology_pk=None, user_pk=me,
        )  # fmt: skip
        window.resize(1200, 800)
        window.show()
        qtbot.waitExposed(window)
        with qtbot.waitSignal(window.view.fully_loaded, timeout=30_000):
            window.view.set_source(ImageSource(remote, image_pk, "tissue.svs"))
        wb.set_image(image_pk)
        qtbot.waitUntil(lambda: wb.session.state is not None, timeout=10_000)
        wait_idle(qtbot, wb)
        mode = install_review_mode(window, wb, store=store, user_pk=me)
        mode.toggle_action.trigger()
        idle(qtbot, mode)
        assert mode.session is not None and mode.session.queue == tuple(pks)

        box = mode.offline  # the size first ...
        box.prepare_button.click()
        qtbot.waitUntil(lambda: box.download_button.isVisible(), timeout=30_000)
        plan = box.plan
        assert plan is not None and 0 < plan.missing <= plan.total
        assert f"{plan.missing} to download" in box.status.text() and "MB" in box.status.text()
        box.download_button.click()  # ... then the download with a progress bar
        qtbot.waitUntil(lambda: "Ready for offline review" in box.status.text(), timeout=120_000)
        assert remote.disk_cache.pin_info(remote.slide_id) is not None  # kept, not evicted
        qtbot.waitUntil(lambda: not mode.busy and not box.busy, timeout=10_000)
        assert mode.next_tiles.wait_idle(30)
        fetched_online = remote.fetched
    # the server process is stopped here
    log_requests = _tile_requests(srv_dir / "server.log")
    failures: list[str] = []
    window.view.tile_failed.connect(failures.append)

    for n, pk in enumerate(pks):
        assert mode.current == pk
        qtbot.waitUntil(window.view.is_fully_loaded, timeout=5_000)
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_A if n % 2 == 0 else Qt.Key.Key_R)
        if n % 2:
            qtbot.keyClick(window.view, Qt.Key.Key_1)  # the reject reason's number
        if n % 2:
            qtbot.keyClick(window.view, Qt.Key.Key_1)  # R asks for the reason: 1 = wrong class
        idle(qtbot, mode)
    qtbot.wait(300)  # anything the viewer would ask for has been asked by now
    assert failures == [] and not remote.offline and remote.fetched == fetched_online
    assert _tile_requests(srv_dir / "server.log") == log_requests
    waiting = _pending_kinds(store)  # the decisions (copies and readings) wait for the server
    assert sum(k.startswith("review") for k in waiting) == len(pks), waiting
    assert waiting.count("create") >= len(pks), waiting  # a reader decision each
    mode.close()
    window.close()

    proc, base = _restart(srv)
    try:
        client = CytomineClient(base, srv.users["alice"].publicKey,
                                srv.users["alice"].privateKey, timeout=10)  # fmt: skip
        report = SyncEngine(store, client).run([project])
        left = _pending_kinds(store)
        assert report.failed == 0 and not any(k.startswith("review") for k in left), left
        rows = client.get("/api/reviewedannotation.json", project=project)
        got = rows.get("collection", rows) if isinstance(rows, dict) else rows
        accepted = [pk for n, pk in enumerate(pks) if n % 2 == 0]
        assert len(got) == len(accepted)  # a stock listing shows accepts (rejects: a property)
        assert report.pushed >= len(pks)
        client.close()
    finally:
        stop_process_group(proc)
    store.close()
