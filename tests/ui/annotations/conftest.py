"""A main window on a real generated slide with the annotation workbench installed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from desktop_app.services.annotations import AnnotationService
from desktop_app.services.ontology import TermSpec, create_ontology, term_tree
from desktop_app.services.workspace import Workspace
from desktop_app.slide.cache import TileCache
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.synth import write_slide
from desktop_app.store.engine import open_cache
from desktop_app.store.uow import Store
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.viewer import SlideView
from desktop_app.ui.workbench import AnnotationWorkbench, install_annotation_workbench

#: Level-0 pixels per screen pixel in the tests: every view pixel is 4 image pixels.
DS = 4.0


@dataclass
class World:
    store: Store
    cache_path: Path
    slide: Path
    user_pk: int
    image_pk: int
    terms: dict[str, int]
    window: MainWindow
    wb: AnnotationWorkbench

    @property
    def view(self) -> SlideView:
        return self.window.view

    @property
    def service(self) -> AnnotationService:
        service = self.wb.session.service
        assert service is not None
        return service

    def at(self, x: float, y: float) -> QPoint:
        """The view pixel showing level-0 (x, y)."""
        vx, vy = self.view.view_transform().to_view(x, y)
        return QPoint(round(vx), round(vy))

    def image_xy(self, p: QPoint) -> tuple[float, float]:
        return self.view.view_transform().to_image(p.x(), p.y())


@pytest.fixture(scope="session")
def ann_slide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_slide(tmp_path_factory.mktemp("ann") / "s.svs", 4000, 3000)


def build_store(cache_path: Path, slide: Path) -> tuple[Store, int, int, dict[str, int]]:
    store = Store(open_cache(cache_path))
    ws = Workspace(store)
    user = ws.local_user()
    onto = create_ontology(
        store,
        "Test ontology",
        [
            TermSpec("Tissue", "#9E9E9E"),
            TermSpec("Tumor", "#E53935", parent="Tissue"),
            TermSpec("Stroma", "#43A047", parent="Tissue"),
        ],
        user.pk,
    )
    project = ws.local_project("P", ontology_pk=onto)
    source = open_slide(slide)
    image = ws.register_slide(slide, source.info, project_pk=project.pk)
    source.close()
    terms = {t.name: t.pk for t in term_tree(store, onto)}
    return store, user.pk, image.pk, terms


def wait_idle(qtbot: QtBot, wb: AnnotationWorkbench, timeout: int = 10_000) -> None:
    """Until every worker result is delivered and no layer refresh is scheduled."""

    def idle() -> None:
        assert not wb.session.busy
        assert not wb.layer._timer.isActive()
        assert not wb.layer._grid_timer.isActive()

    qtbot.waitUntil(idle, timeout=timeout)
    qtbot.wait(20)
    qtbot.waitUntil(idle, timeout=timeout)


def open_world(
    qtbot: QtBot, store: Store, cache_path: Path, slide: Path, user_pk: int, image_pk: int,
    terms: dict[str, int],
) -> World:  # fmt: skip
    window = MainWindow(SlideView(TileCache(64 * 1024 * 1024)), open_slide)
    qtbot.addWidget(window)
    wb = install_annotation_workbench(
        window,
        window.view,
        store=store,
        service_factory=lambda pk: AnnotationService(store, pk, user_pk),
        ontology_pk=None,
        user_pk=user_pk,
    )
    window.resize(1300, 860)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.view.fully_loaded, timeout=15_000):
        window.open_path(slide)
    window.view.goto(2000, 1500, DS)
    wb.set_image(image_pk)
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(lambda: wb.session.state is not None and wb.layer.grid is not None)
    wait_idle(qtbot, wb)
    return World(store, cache_path, slide, user_pk, image_pk, terms, window, wb)


@pytest.fixture
def world(qtbot: QtBot, tmp_path: Path, ann_slide: Path) -> Iterator[World]:
    cache_path = tmp_path / "cache.sqlite"
    store, user_pk, image_pk, terms = build_store(cache_path, ann_slide)
    w = open_world(qtbot, store, cache_path, ann_slide, user_pk, image_pk, terms)
    yield w
    w.window.close()
    store.close()


@pytest.fixture
def reopen(qtbot: QtBot) -> Callable[[World], World]:
    """Close the window and the store, then open both again on the same cache file."""
    opened: list[World] = []

    def do(old: World) -> World:
        old.window.close()
        old.store.close()
        store = Store(open_cache(old.cache_path))
        new = open_world(
            qtbot, store, old.cache_path, old.slide, old.user_pk, old.image_pk, old.terms
        )
        opened.append(new)
        return new

    yield do
    for w in opened:
        w.window.close()
        w.store.close()
