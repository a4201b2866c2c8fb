"""OpenSlideSource: SlideInfo, pixels as RGBA arrays, and user-facing open errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openslide
import pytest

from desktop_app.slide.openslide_source import OpenSlideSource, open_slide
from desktop_app.slide.source import SlideError, SlideSource, TileKey
from tests.slide.conftest import SVS_SIZE


def test_info_from_properties(svs_source: OpenSlideSource) -> None:
    info = svs_source.info
    assert isinstance(svs_source, SlideSource)
    assert (info.width, info.height) == SVS_SIZE
    assert info.level_dimensions[0] == SVS_SIZE
    assert info.level_downsamples[0] == 1.0
    assert info.mpp_x == pytest.approx(0.25) and info.mpp_y == pytest.approx(0.25)
    assert info.objective_power == 40
    assert info.vendor == "aperio"
    assert info.associated_images == ("label", "macro", "thumbnail")
    assert info.tile_size == 256


def test_objective_derived_from_mpp_when_absent(tiff_path: Path) -> None:
    with openslide.OpenSlide(tiff_path) as raw:
        assert openslide.PROPERTY_NAME_OBJECTIVE_POWER not in raw.properties
    with open_slide(tiff_path) as source:
        assert source.info.vendor == "generic-tiff"
        assert source.info.mpp_x == pytest.approx(0.5)
        assert source.info.objective_power == 20
        assert source.info.associated_images == ()


def test_slide_id_tracks_path_mtime_and_size(svs_source: OpenSlideSource, svs_path: Path) -> None:
    assert str(svs_path.resolve()) in svs_source.slide_id
    assert str(svs_path.stat().st_size) in svs_source.slide_id


def test_read_region_is_rgba_uint8_and_not_blank(svs_source: OpenSlideSource) -> None:
    region = svs_source.read_region(1, 0, 0, 300, 200)
    assert region.shape == (200, 300, 4) and region.dtype == np.uint8
    assert region.flags.c_contiguous and region.flags.writeable
    assert (region[..., 3] == 255).all()
    assert region[..., :3].std() > 5


@pytest.mark.parametrize(("level", "col", "row"), [(0, 0, 0), (0, 3, 2), (1, 1, 1), (0, 11, 8)])
def test_read_tile_equals_read_region(
    svs_source: OpenSlideSource, level: int, col: int, row: int
) -> None:
    info = svs_source.info
    key = TileKey(svs_source.slide_id, level, col, row)
    tile = svs_source.read_tile(key)
    lw, lh = info.level_dimensions[level]
    assert tile.shape == (min(256, lh - row * 256), min(256, lw - col * 256), 4)
    ds = int(info.level_downsamples[level])
    big = svs_source.read_region(level, (col - 1) * 256 * ds if col else 0, 0, 1024, lh)
    x = 256 if col else 0
    expected = big[row * 256 : row * 256 + tile.shape[0], x : x + tile.shape[1]]
    assert np.array_equal(tile, expected)


def test_edge_tile_is_smaller(svs_source: OpenSlideSource) -> None:
    info = svs_source.info
    cols = -(-info.width // 256)
    rows = -(-info.height // 256)
    tile = svs_source.read_tile(TileKey(svs_source.slide_id, 0, cols - 1, rows - 1))
    assert tile.shape == (info.height - (rows - 1) * 256, info.width - (cols - 1) * 256, 4)
    with pytest.raises(SlideError, match="outside"):
        svs_source.read_tile(TileKey(svs_source.slide_id, 0, cols, 0))


def test_associated_images(svs_source: OpenSlideSource) -> None:
    for name in ("label", "macro", "thumbnail"):
        img = svs_source.associated_image(name)
        assert img.ndim == 3 and img.shape[2] == 4 and img.dtype == np.uint8
    with pytest.raises(SlideError, match="no 'overview' image"):
        svs_source.associated_image("overview")


def _open_error(path: Path) -> str:
    with pytest.raises(SlideError) as info:
        open_slide(path)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in _open_error(tmp_path / "nope.svs")


def test_directory(tmp_path: Path) -> None:
    assert "folder" in _open_error(tmp_path)


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.svs"
    path.write_text("not a slide\n")
    assert "not a supported slide format" in _open_error(path)


@pytest.mark.parametrize("keep", [0.5, 0.98, 64])
def test_truncated_svs(svs_path: Path, tmp_path: Path, keep: float) -> None:
    data = svs_path.read_bytes()
    cut = int(len(data) * keep) if keep < 1 else int(keep)
    path = tmp_path / "cut.svs"
    path.write_bytes(data[:cut])
    message = _open_error(path)
    assert "cut.svs" in message and ("truncated" in message or "damaged" in message)


def test_corrupt_tile_data_fails_on_read_with_slide_error(svs_path: Path, tmp_path: Path) -> None:
    data = bytearray(svs_path.read_bytes())
    data[16:400_000] = bytes(400_000 - 16)  # wipe the first level-0 tiles, keep the IFDs
    path = tmp_path / "wiped.svs"
    path.write_bytes(bytes(data))
    try:
        source = open_slide(path)
    except SlideError as exc:  # the probe may already hit a wiped tile
        assert "wiped.svs" in str(exc)
        return
    with source, pytest.raises(SlideError, match="wiped.svs"):
        source.read_tile(TileKey(source.slide_id, 0, 0, 0))


def test_closed_source_raises_slide_error(svs_path: Path) -> None:
    source = open_slide(svs_path)
    source.close()
    with pytest.raises(SlideError, match="closed"):
        source.read_region(0, 0, 0, 10, 10)
