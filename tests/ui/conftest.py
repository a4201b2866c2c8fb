"""Fixtures for the viewer tests: offscreen Qt, real generated slides, real widgets."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.slide.cache import TileCache
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.source import SlideSource
from desktop_app.slide.synth import write_slide

#: 8192 x 6144, levels at downsample 1, 4, 16, 64; mpp 0.25 (40x).
SLIDE_W, SLIDE_H = 8192, 6144


@pytest.fixture(scope="session")
def slide_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_slide(tmp_path_factory.mktemp("slides") / "grid.svs", SLIDE_W, SLIDE_H)


@pytest.fixture
def source(slide_path: Path) -> Iterator[SlideSource]:
    src = open_slide(slide_path)
    yield src
    src.close()


@pytest.fixture
def cache() -> TileCache:
    return TileCache(256 * 1024 * 1024)
