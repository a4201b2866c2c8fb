"""The Terms dock of a blinded reader counts their own terms only (issue 13).

In a blind-mode project a reader who is not a project admin must not learn the other
readers' terms; per-term counts (annotations, and the point tool's points) would tell
them.  Real main window, real workbench and Terms dock, real cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely
from pytestqt.qtbot import QtBot

from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.security import Access, User
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.counting import term_point_counts
from desktop_app.ui.panels.term_panel import COL_COUNT
from tests.ui.annotations.conftest import World, build_store, open_world, wait_idle


@pytest.fixture
def blinded(qtbot: QtBot, tmp_path: Path, ann_slide: Path) -> Iterator[tuple[World, int]]:
    """A blind-mode project: its admin drew and termed; bob (a reader) termed one."""
    cache = tmp_path / "cache.sqlite"
    store, admin_pk, image_pk, terms = build_store(cache, ann_slide)
    with store.unit_of_work(undoable=False) as uow:
        bob = User(username="bob")
        uow.session.add(bob)
        uow.session.flush()
        bob_pk = int(bob.pk)
    admin = AnnotationService(store, image_pk, admin_pk)
    tumor, stroma = terms["Tumor"], terms["Stroma"]
    a = admin.create(shapely.box(1000, 1000, 1200, 1150), [tumor])
    admin.create(shapely.box(1800, 1300, 2000, 1500), [tumor])
    admin.create(shapely.MultiPoint([(2100, 1500), (2150, 1500), (2200, 1550)]), [tumor])
    with store.unit_of_work(undoable=False) as uow:
        project = uow.session.get(Project, admin.project_pk)
        assert project is not None
        project.blind_mode = True
        uow.session.merge(
            ProjectMember(project_pk=project.pk, user_pk=admin_pk, access=Access.ADMIN)
        )
        uow.session.merge(ProjectMember(project_pk=project.pk, user_pk=bob_pk))
    AnnotationService(store, image_pk, bob_pk).toggle_term([a], stroma)  # bob's reading
    w = open_world(qtbot, store, cache, ann_slide, bob_pk, image_pk, terms)
    yield w, admin_pk
    w.window.close()
    store.close()


def test_blinded_reader_counts_own_terms_only(qtbot: QtBot, blinded: tuple[World, int]) -> None:
    w, admin_pk = blinded
    panel = w.wb.term_panel
    panel.refresh_counts()
    wait_idle(qtbot, w.wb)
    tumor, stroma = w.terms["Tumor"], w.terms["Stroma"]
    assert panel.items[stroma].text(COL_COUNT) == "1"  # his own reading
    assert panel.items[tumor].text(COL_COUNT) == "0"  # the admin's 3 annotations, 3 points
    # the project admin sees every user's terms
    admin = AnnotationService(w.store, w.image_pk, admin_pk)
    assert admin.term_counts() == {tumor: 3, stroma: 1}
    assert term_point_counts(w.store, w.image_pk, admin_pk) == {tumor: 3}
    # the reader's own term keeps counting as he reads
    w.service.toggle_term([_first(w)], tumor)
    wait_idle(qtbot, w.wb)
    qtbot.waitUntil(lambda: panel.items[tumor].text(COL_COUNT) == "1")


def _first(w: World) -> int:
    return min(r.pk for r in w.service.rows())
