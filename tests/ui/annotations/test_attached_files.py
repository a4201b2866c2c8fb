"""The properties dock's "Attached files": add (file dialog patched), open, remove + undo,
the image's files when nothing is selected, and a pulled file not downloaded yet."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop_app.model.attachment import AttachedFile
from desktop_app.model.sync import CommandLog, OpKind
from desktop_app.store import attached_files
from tests.ui.annotations.conftest import World, wait_idle


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "report.pdf"
    path.parent.mkdir()
    path.write_bytes(b"%PDF-1.4 pathology report\n")
    return path


def _files(world: World) -> list[AttachedFile]:
    with world.store.read() as s:
        return list(s.scalars(select(AttachedFile).order_by(AttachedFile.pk)))


def test_attach_open_remove_and_undo_on_an_annotation(
    qtbot: QtBot, world: World, report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wb = world.wb
    box = wb.properties_panel.files
    a = world.service.create(shapely.box(100, 100, 300, 200))
    wait_idle(qtbot, wb)
    wb.selection.set([a])
    wait_idle(qtbot, wb)
    assert box.title.text() == f"Attached files of the annotation #{a}"
    assert box.add_button.isEnabled() and not box.remove_button.isEnabled()

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(report), ""))
    box.add_button.click()
    wait_idle(qtbot, wb)
    qtbot.waitUntil(lambda: box.list.count() == 1)
    assert "report.pdf" in box.list.item(0).text()
    assert wb.last_message == "Attached report.pdf"
    (f,) = _files(world)
    local = attached_files.absolute(world.store, f.path or "")
    assert local.read_bytes() == report.read_bytes() and local != report
    with world.store.read() as s:
        ops = s.scalars(select(CommandLog).where(CommandLog.entity_type == "attached_file"))
        assert [op.kind for op in ops] == [OpKind.CREATE]

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    box.list.setCurrentRow(0)
    box.open_button.click()
    assert [u.toLocalFile() for u in opened] == [str(local)]

    box.remove_button.click()
    wait_idle(qtbot, wb)
    qtbot.waitUntil(lambda: box.list.count() == 0)
    assert "Ctrl+Z" in wb.last_message
    assert [f.local_deleted for f in _files(world)] == [True]

    wb.editor.undo()
    wait_idle(qtbot, wb)
    qtbot.waitUntil(lambda: box.list.count() == 1)
    assert [f.local_deleted for f in _files(world)] == [False]


def test_image_files_when_nothing_is_selected_and_not_downloaded(
    qtbot: QtBot, world: World, report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wb = world.wb
    box = wb.properties_panel.files
    assert box.title.text() == "Attached files of the image"
    box.add_file(report)
    wait_idle(qtbot, wb)
    qtbot.waitUntil(lambda: box.list.count() == 1)
    (f,) = _files(world)
    assert f.domain_class_name == attached_files.IMAGE_CLASS and f.domain_pk == world.image_pk
    with world.store.read() as s:
        op = s.scalar(select(CommandLog).where(CommandLog.entity_type == "attached_file"))
        assert op is not None and op.project_pk is not None

    # a file pulled from the server: a row whose bytes are not on disk yet
    with world.store.unit_of_work(undoable=False) as uow:
        uow.session.add(
            AttachedFile(
                domain_class_name=attached_files.IMAGE_CLASS,
                domain_pk=world.image_pk,
                filename="scan-notes.txt",
                size=12,
                server_id=77,
            )
        )
    box.reload()
    wait_idle(qtbot, wb)
    qtbot.waitUntil(lambda: box.list.count() == 2)
    names = [box.list.item(i).text() for i in range(2)]
    assert "not downloaded" in names[1] and "not downloaded" not in names[0]
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    box.list.setCurrentRow(1)
    box.open_selected()
    assert opened == [] and "not downloaded yet" in wb.last_message

    # two annotations selected: no target, Add disabled
    a = world.service.create(shapely.box(100, 100, 300, 200))
    b = world.service.create(shapely.box(400, 100, 600, 200))
    wait_idle(qtbot, wb)
    wb.selection.set([a, b])
    wait_idle(qtbot, wb)
    assert box.list.count() == 0 and not box.add_button.isEnabled()
