"""Per-reader progress in the project browser: per project and per image, from the cache."""

from __future__ import annotations

from pathlib import Path

import shapely
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.model.review import DecisionRole, Verdict
from desktop_app.model.security import User
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.projects import ProjectCatalog
from desktop_app.services.workspace import Workspace
from desktop_app.store import decisions
from desktop_app.ui.home.images_model import ImagesModel
from desktop_app.ui.home.models import ProjectsModel
from tests.scene import INFO, Scene


def _reader(scene: Scene, name: str) -> int:
    with scene.store.unit_of_work(undoable=False) as uow:
        user = User(username=name)
        uow.session.add(user)
        uow.session.flush()
        return int(user.pk)


def test_reader_progress_per_project_and_image(qtbot: QtBot, scene: Scene, tmp_path: Path) -> None:
    other = tmp_path / "b.svs"
    other.write_bytes(b"slide b" * 100)
    image2 = Workspace(scene.store).register_slide(other, INFO, project_pk=scene.project_pk).pk
    one = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    two = AnnotationService(scene.store, image2, scene.user_pk)
    on_one = [one.create(shapely.box(i * 20, 0, i * 20 + 10, 10)) for i in range(4)]
    on_two = [two.create(shapely.box(i * 20, 0, i * 20 + 10, 10)) for i in range(6)]
    bob, ann = _reader(scene, "bob"), _reader(scene, "ann")
    plan = [(ann, on_one + on_two[:4]), (bob, on_one[:1])]
    for reader, pks in plan:
        for pk in pks:
            with scene.store.unit_of_work(user_pk=reader) as uow:
                decisions.record_decision(uow, pk, reviewer_pk=reader, decision=Verdict.ACCEPTED)
    with scene.store.unit_of_work(user_pk=bob) as uow:  # a final call is not a reading
        decisions.record_decision(
            uow, on_two[5], reviewer_pk=bob, decision=Verdict.REJECTED,
            role=DecisionRole.ADJUDICATOR,
        )  # fmt: skip
    one.delete([on_one[3]])  # a deleted annotation no longer counts

    catalog = ProjectCatalog(scene.store)
    (project,) = catalog.projects()
    assert [(c.reader, c.decided) for c in project.readers] == [("ann", 7), ("bob", 1)]
    assert project.as_json()["readers"] == [
        {"reader": "ann", "decided": 7},
        {"reader": "bob", "decided": 1},
    ]
    images = {r.pk: r for r in catalog.images(scene.project_pk)}
    assert [(c.reader, c.decided) for c in images[scene.image_pk].readers] == [
        ("ann", 3),
        ("bob", 1),
    ]
    assert [(c.reader, c.decided) for c in images[image2].readers] == [("ann", 4)]

    projects = ProjectsModel()
    projects.set_rows([project])
    col = ProjectsModel.COLUMNS.index("Readers")
    assert projects.data(projects.index(0, col)) == "ann 78%, bob 11%"  # of 9 annotations
    tip = projects.data(projects.index(0, col), Qt.ItemDataRole.ToolTipRole)
    assert "ann: 7/9" in tip and "bob: 1/9" in tip
    model = ImagesModel(lambda _r: None)
    model.set_rows(sorted(images.values(), key=lambda r: r.pk))
    col = ImagesModel.COLUMNS.index("Readers")
    first, second = model.row_of(scene.image_pk), model.row_of(image2)
    assert first is not None and second is not None
    assert model.data(model.index(first, col)) == "ann 100%, bob 33%"
    assert model.data(model.index(second, col)) == "ann 67%"
    model.sort(col, Qt.SortOrder.AscendingOrder)  # by the least advanced reader
    assert model.row_at(0).pk == scene.image_pk  # bob at 33% there
