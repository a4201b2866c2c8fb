"""The generator writes slides OpenSlide reads through its aperio / generic-tiff drivers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openslide
import pytest

from desktop_app.slide.synth import level_dimensions, make_slide, write_slide
from desktop_app.slide.synth_plan import SlidePlan
from tests.slide.conftest import SVS_SIZE, TIFF_SIZE


def _rgb(slide: openslide.OpenSlide, level: int, x: int, y: int, w: int, h: int) -> np.ndarray:
    return np.asarray(slide.read_region((x, y), level, (w, h)).convert("RGB"), np.float64)


def _box(img: np.ndarray, f: int) -> np.ndarray:
    h, w = img.shape[0] // f, img.shape[1] // f
    return img[: h * f, : w * f].reshape(h, f, w, f, 3).mean(axis=(1, 3))


def test_svs_is_aperio_with_mpp_objective_and_associated_images(svs_path: Path) -> None:
    with openslide.OpenSlide(svs_path) as slide:
        props = slide.properties
        assert props[openslide.PROPERTY_NAME_VENDOR] == "aperio"
        assert float(props[openslide.PROPERTY_NAME_MPP_X]) == pytest.approx(0.25)
        assert float(props[openslide.PROPERTY_NAME_MPP_Y]) == pytest.approx(0.25)
        assert props[openslide.PROPERTY_NAME_OBJECTIVE_POWER] == "40"
        assert slide.dimensions == SVS_SIZE
        assert set(slide.associated_images) == {"thumbnail", "label", "macro"}
        thumb = slide.associated_images["thumbnail"]
        assert thumb.size[0] <= 1024 and thumb.size[0] / thumb.size[1] == pytest.approx(
            SVS_SIZE[0] / SVS_SIZE[1], rel=0.02
        )
        label = np.asarray(slide.associated_images["label"].convert("L"))
        assert label.min() < 50 < 200 < label.max()  # dark text on a white label


def test_tiff_is_generic_with_mpp_from_resolution(tiff_path: Path) -> None:
    with openslide.OpenSlide(tiff_path) as slide:
        assert slide.properties[openslide.PROPERTY_NAME_VENDOR] == "generic-tiff"
        assert float(slide.properties[openslide.PROPERTY_NAME_MPP_X]) == pytest.approx(0.5)
        assert slide.dimensions == TIFF_SIZE


@pytest.mark.parametrize("which", ["svs_path", "tiff_path"])
def test_levels_are_4x_pyramid(which: str, request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(which)
    with openslide.OpenSlide(path) as slide:
        w, h = slide.dimensions
        assert slide.level_count >= 3
        assert slide.level_dimensions == tuple(level_dimensions(w, h))
        for k, ds in enumerate(slide.level_downsamples):
            assert ds == pytest.approx(4**k, rel=0.02)
        assert int(slide.properties["openslide.level[0].tile-width"]) == 256


def test_content_is_tissue_on_white_with_sharp_marks(svs_path: Path) -> None:
    with openslide.OpenSlide(svs_path) as slide:
        whole = _rgb(slide, 1, 0, 0, *slide.level_dimensions[1])
        background = (whole.min(axis=2) > 230).mean()
        pinkish = ((whole[..., 0] > whole[..., 1] + 25) & (whole[..., 2] > whole[..., 1])).mean()
        assert 0.2 < background < 0.95
        assert pinkish > 0.05
        # Tile (0, 0) carries its coordinates as dark text near its top-left corner.
        corner = _rgb(slide, 0, 0, 0, 64, 32)
        assert (corner.max(axis=2) < 110).sum() > 40
        # The reticle: a dark 1-px line at x = 128 in the first column of tiles.
        column = _rgb(slide, 0, 120, 300, 17, 200).mean(axis=(0, 2))
        assert int(np.argmin(column)) == 8


@pytest.mark.parametrize("level", [1, 2])
def test_reduced_levels_match_downsampled_level0(svs_path: Path, level: int) -> None:
    """What a viewer comparison against read_region(level 0) relies on."""
    with openslide.OpenSlide(svs_path) as slide:
        f = round(slide.level_downsamples[level])
        w, h = 2048, 1536
        ref = _box(_rgb(slide, 0, 512, 256, w, h), f)
        got = _rgb(slide, level, 512, 256, w // f, h // f)
        assert np.abs(got - ref).mean() < 2.0
        assert abs((got - ref).mean()) < 0.5


def test_same_seed_same_pixels_other_seed_differs(tmp_path: Path) -> None:
    a = write_slide(tmp_path / "a.svs", 1200, 900, seed=7)
    b = write_slide(tmp_path / "b.svs", 1200, 900, seed=7)
    c = write_slide(tmp_path / "c.svs", 1200, 900, seed=8)
    with openslide.OpenSlide(a) as sa, openslide.OpenSlide(b) as sb, openslide.OpenSlide(c) as sc:
        ra, rb, rc = (_rgb(s, 0, 0, 0, 1200, 900) for s in (sa, sb, sc))
    assert np.array_equal(ra, rb)
    assert not np.array_equal(ra, rc)


def test_bigtiff_svs_opens(tmp_path: Path) -> None:
    written = make_slide(tmp_path / "big.svs", 900, 700, bigtiff=True)
    with openslide.OpenSlide(written.path) as slide:
        assert slide.properties[openslide.PROPERTY_NAME_VENDOR] == "aperio"
        assert _rgb(slide, 0, 0, 0, 900, 700).std() > 5


def test_large_slides_are_planned_from_a_small_pool_of_distinct_tiles() -> None:
    """A 100k x 80k slide needs only a few thousand distinct encoded tiles."""
    plan = SlidePlan(100_000, 80_000, 256, seed=0)
    assert plan.grid.shape == (313, 391)
    assert plan.distinct < 0.05 * plan.grid.size
    labelled = [s for s in plan.specs if s.label]
    assert 1000 < len(labelled) <= 4000
    assert int(plan.grid.max()) == plan.distinct - 1


def test_bad_arguments_raise_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format"):
        make_slide(tmp_path / "x.svs", 100, 100, fmt="png")
    with pytest.raises(ValueError, match="positive"):
        make_slide(tmp_path / "x.svs", 0, 100)
