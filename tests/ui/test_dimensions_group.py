"""c/z/t sliders for an ImageGroup: the bar appears and moving it opens the other image."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from desktop_app.app import _Client
from desktop_app.config import Settings
from desktop_app.model.image import ImageGroup, ImageSequence
from desktop_app.services.workspace import LOCAL_PROJECT
from desktop_app.slide.cache import TileCache
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.synth import write_slide
from desktop_app.ui.dimensions_bridge import DimensionsBridge
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.viewer import SlideView


def test_group_sliders_open_the_image_at_that_position(qtbot: QtBot, tmp_path: Path) -> None:
    client = _Client(Settings(data_dir=tmp_path / "data"))
    try:
        slides = [
            write_slide(tmp_path / f"z{i}.tiff", 1200, 900, fmt="tiff", seed=i) for i in range(2)
        ]
        pks = []
        for path in slides:
            with open_slide(path) as src:
                pks.append(client.register(path, src.info))
        project = client.workspace.local_project(LOCAL_PROJECT)
        with client.store.unit_of_work(undoable=False) as uow:
            group = ImageGroup(name="z-stack", project_pk=project.pk)
            uow.session.add(group)
            uow.session.flush()
            for z, pk in enumerate(pks):
                uow.session.add(ImageSequence(image_group_pk=group.pk, image_pk=pk, z_stack=z))
        position = client.workspace.group_position(pks[0])
        assert position is not None and position.sizes == (1, 2, 1)
        assert position.index == (0, 0, 0)
        assert client.workspace.image_in_group(position.group_pk, 0, 1, 0) == slides[1]

        window = MainWindow(SlideView(TileCache(32 << 20)), open_slide)
        qtbot.addWidget(window)
        opened: list[Any] = []
        window.open_path = lambda path, goto=None: opened.append((path, goto))  # type: ignore[method-assign]
        bridge = DimensionsBridge()
        bridge.attach(window, client)
        window.show()
        bridge.found.emit(position)
        bar = window.dimensions
        qtbot.waitUntil(lambda: bar.isVisible() and bar.slider("z").isVisible())
        assert not bar.slider("c").isVisible() and bar.index() == (0, 0, 0)
        bar.slider("z").setValue(1)
        qtbot.waitUntil(lambda: len(opened) == 1, timeout=5000)
        assert opened[0][0] == slides[1]
    finally:
        client.close()
