"""Wand: region growing on synthetic pixels, and the tool driven by synthetic events."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from desktop_app.core.tools import Correct, Create, Mod, RegionRequest, ToolContext, WandTool
from desktop_app.core.tools.hits import ShapelyHitTester
from desktop_app.core.tools.testing import drag, outputs, press, release, run_wand
from desktop_app.core.wand import (
    PixelWindow,
    WandParams,
    grow_mask,
    mask_to_geometry,
    sensitivity_step,
    wand_region,
    window_bounds,
)

BG = (240, 235, 240)
BLOB = (120, 60, 150)


def disc_image(size: int, cx: float, cy: float, r: float, noise: int = 6) -> np.ndarray:
    """A white field with a purple disc, a little noise (as a stained slide has)."""
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[0:size, 0:size]
    inside = (xx + 0.5 - cx) ** 2 + (yy + 0.5 - cy) ** 2 <= r * r
    img = np.where(inside[..., None], np.array(BLOB), np.array(BG)).astype(np.int16)
    img += rng.integers(-noise, noise + 1, size=img.shape, dtype=np.int16)
    return np.clip(img, 0, 255).astype(np.uint8)


class ImageRegions:
    """Answers region requests from an in-memory level-0 image resampled to the
    request's downsample (a stand-in for the slide: the UI's reader does the same)."""

    def __init__(self, image: np.ndarray, params: WandParams = WandParams()) -> None:
        self.image = image
        self.params = params
        self.requests: list[RegionRequest] = []

    def __call__(self, req: RegionRequest) -> shapely.geometry.base.BaseGeometry | None:
        self.requests.append(req)
        ds = req.downsample
        n = self.params.window_px
        x0, y0 = window_bounds(req.x, req.y, ds, n)
        cols = np.clip((x0 + (np.arange(n) + 0.5) * ds).astype(int), 0, self.image.shape[1] - 1)
        rows = np.clip((y0 + (np.arange(n) + 0.5) * ds).astype(int), 0, self.image.shape[0] - 1)
        window = PixelWindow(self.image[rows][:, cols], x0, y0, ds)
        return wand_region(window, req.x, req.y, self.params.with_sensitivity(req.sensitivity))


def test_mask_to_geometry_is_exact_pixel_outline() -> None:
    mask = np.zeros((6, 6), dtype=bool)
    mask[1:3, 1:4] = True
    mask[3, 2] = True
    geom = mask_to_geometry(mask)
    assert geom.area == mask.sum()
    assert geom.bounds == (1.0, 1.0, 4.0, 4.0)


def test_grow_mask_stops_at_the_colour_edge() -> None:
    img = disc_image(149, 74.5, 74.5, 40)
    mask = grow_mask(img, (74, 74), WandParams())
    assert abs(mask.sum() - math.pi * 40**2) / (math.pi * 40**2) < 0.06
    assert not mask[0, 0] and not mask[74, 120]


def test_higher_sensitivity_gives_a_smaller_or_equal_region() -> None:
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:149, 0:149]
    ramp = np.clip(np.hypot(xx - 74, yy - 74) * 2.0, 0, 255)  # a radial gradient
    img = np.repeat(ramp[..., None], 3, axis=2) + rng.normal(0, 2, (149, 149, 3))
    img = np.clip(img, 0, 255).astype(np.uint8)
    sizes = [grow_mask(img, (74, 74), WandParams(sensitivity=s)).sum() for s in (0.5, 2, 8)]
    assert sizes[0] > sizes[1] > sizes[2] > 0


def test_sensitivity_step_is_clamped() -> None:
    assert sensitivity_step(2.0, 1) == pytest.approx(2.5)
    assert sensitivity_step(2.0, -100) == pytest.approx(0.1)
    assert sensitivity_step(2.0, 100) == pytest.approx(20.0)


@pytest.mark.parametrize("ds", [1.0, 2.0])
def test_wand_click_finds_the_blob_at_two_zooms(ds: float) -> None:
    image = disc_image(600, 300, 300, 60)
    regions = ImageRegions(image)
    tool = WandTool()
    results = run_wand(tool, drag([(300, 300), (301, 300)], ds=ds), regions)
    (out,) = outputs(results)
    assert isinstance(out, Create)
    true_area = math.pi * 60**2
    assert abs(out.geometry.area - true_area) / true_area < 0.05
    assert out.geometry.is_valid and out.geometry.geom_type == "Polygon"


def test_wand_drag_unions_regions_and_skips_sub_pixel_moves() -> None:
    image = np.full((400, 800, 3), BG, dtype=np.uint8)
    image[150:250, 100:700] = BLOB  # a long band: one window never covers it
    regions = ImageRegions(image)
    tool = WandTool()
    path = [(150 + 10 * i, 200) for i in range(51)] + [(650.2, 200)]
    results = run_wand(tool, drag(path), regions)
    assert len(regions.requests) == 51  # the last move was under a screen pixel
    (out,) = outputs(results)
    assert out.geometry.bounds[0] <= 101 and out.geometry.bounds[2] >= 699
    assert abs(out.geometry.area - 600 * 100) / 60000 < 0.03


def selected_square() -> tuple[ToolContext, shapely.Polygon]:
    square = shapely.box(150, 150, 290, 290)
    hits = ShapelyHitTester({7: square})
    return ToolContext(hits=hits, selection=lambda: (7,)), square


def test_wand_adds_to_the_selected_annotation_and_alt_cuts() -> None:
    image = disc_image(600, 300, 300, 60)
    ctx, square = selected_square()
    (grown,) = outputs(run_wand(WandTool(ctx), drag([(300, 300), (302, 300)]), ImageRegions(image)))
    disc = shapely.Point(300, 300).buffer(60, quad_segs=64)
    assert isinstance(grown, Correct) and grown.pk == 7
    want = square.union(disc)
    assert grown.new_geometry.symmetric_difference(want).area < 0.05 * want.area
    alt = drag([(300, 300), (302, 300)], Mod.ALT)
    (cut,) = outputs(run_wand(WandTool(ctx), alt, ImageRegions(image)))
    assert isinstance(cut, Correct)
    want = square.difference(disc)
    assert cut.new_geometry.symmetric_difference(want).area < 0.05 * want.area


def test_wheel_mid_drag_changes_sensitivity_and_asks_again() -> None:
    tool = WandTool()
    first = tool.press(press(10, 10))
    assert first.request is not None and first.request.sensitivity == 2.0
    again = tool.adjust_sensitivity(2)
    assert again.request is not None and again.request.sensitivity == pytest.approx(3.125)
    assert (again.request.x, again.request.y) == (10, 10)
    assert "3.12" in (again.info or "")


def test_release_without_any_region_says_so() -> None:
    tool = WandTool()
    tool.press(press(10, 10))
    result = tool.release(release(10, 10))
    assert result.output is None and "no region" in (result.error or "")
    assert not tool.busy
