"""Statistics and the layer's overview queries (density grid, author names)."""

from __future__ import annotations

import pytest
import shapely

from desktop_app.services.annotations import AnnotationService
from desktop_app.services.overview import author_names, density_grid
from desktop_app.services.statistics import image_statistics
from tests.scene import Scene


def test_statistics_per_term_and_histogram(scene: Scene) -> None:
    service = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tumor, stroma = scene.terms["Tumor"], scene.terms["Stroma"]
    service.create(shapely.box(0, 0, 100, 100), [tumor])
    service.create(shapely.box(0, 0, 10, 10), [tumor, stroma])
    service.create(shapely.box(0, 0, 20, 10))
    service.create(shapely.Point(3, 3), [stroma])
    stats = image_statistics(scene.store, scene.image_pk)
    assert stats.unit == "µm²" and stats.total == 4
    by = {s.term_pk: s for s in stats.per_term}
    assert by[tumor].count == 2 and by[tumor].total_area == pytest.approx(10100 * 0.0625)
    assert by[stroma].count == 2 and by[None].count == 1
    assert sorted(stats.areas) == pytest.approx([6.25, 12.5, 625.0])


def test_density_grid_and_authors(scene: Scene) -> None:
    service = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    for i in range(10):
        service.create(shapely.box(1000 * i, 500, 1000 * i + 50, 550))
    grid = density_grid(scene.store, scene.image_pk, max_cells=100)
    # cells are whole multiples of the persisted 128 px grid: 8 x 128 = 1024 px
    assert grid.cell == 1024 and grid.counts.shape == (79, 98)
    assert grid.total == 10 and grid.count_in((0, 0, 2000, 1000)) == 3
    assert grid.count_in((0, 5000, 100, 6000)) == 0
    assert list(author_names(scene.store, scene.image_pk)) == [scene.user_pk]
