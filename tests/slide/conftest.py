"""Session-wide synthetic slides written by the real generator (no fixtures on disk)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.slide.openslide_source import OpenSlideSource, open_slide
from desktop_app.slide.synth import write_slide

SVS_SIZE = (3000, 2200)
TIFF_SIZE = (2600, 1800)


@pytest.fixture(scope="session")
def slide_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("slides")


@pytest.fixture(scope="session")
def svs_path(slide_dir: Path) -> Path:
    return write_slide(slide_dir / "synthetic.svs", *SVS_SIZE, mpp=0.25, fmt="svs", seed=3)


@pytest.fixture(scope="session")
def tiff_path(slide_dir: Path) -> Path:
    return write_slide(slide_dir / "synthetic.tiff", *TIFF_SIZE, mpp=0.5, fmt="tiff", seed=4)


@pytest.fixture()
def svs_source(svs_path: Path) -> Iterator[OpenSlideSource]:
    source = open_slide(svs_path)
    yield source
    source.close()
