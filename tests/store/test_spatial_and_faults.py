"""The R*Tree viewport query, bulk writes, and the cache surviving SIGKILL and bad files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import shapely
from sqlalchemy import func, select, text

from desktop_app.model.annotation import Annotation
from desktop_app.model.sync import CommandLog
from desktop_app.store.annotations import bulk_create, query_viewport
from desktop_app.store.engine import CacheError, SchemaTooNewError, open_cache
from desktop_app.store.uow import Store
from tests.scene import Scene
from tests.server.harness import dies_with_test_run


def random_polygons(n: int, seed: int = 1, extent: float = 50_000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, extent, size=(n, 2))
    radii = rng.uniform(5, 60, size=n)
    return shapely.buffer(shapely.points(centres), radii, quad_segs=4)


def test_viewport_query_matches_brute_force(scene: Scene) -> None:
    geoms = random_polygons(5_000)
    with scene.store.unit_of_work(label="Import", user_pk=scene.user_pk) as uow:
        bulk_create(
            uow,
            project_pk=scene.project_pk,
            image_pk=scene.image_pk,
            user_pk=scene.user_pk,
            geometries=geoms,
            term_pks=[[scene.terms["Tumor"]]] * len(geoms),
        )
    rect = (10_000.0, 12_000.0, 20_000.0, 18_000.0)
    with scene.store.read() as s:
        page = query_viewport(s, scene.image_pk, rect)
    bounds = shapely.bounds(geoms)
    expected = int(
        np.count_nonzero(
            (bounds[:, 2] >= rect[0])
            & (bounds[:, 0] <= rect[2])
            & (bounds[:, 3] >= rect[1])
            & (bounds[:, 1] <= rect[3])
        )
    )
    assert expected > 50 and len(page) == expected
    with scene.store.read() as s:
        indexed = s.execute(text("SELECT count(*) FROM annotation_rtree")).scalar()
        trigger = "SELECT count(*) FROM sqlite_master WHERE name = 'annotation_rtree_insert'"
        assert indexed == len(geoms) and s.execute(text(trigger)).scalar() == 1
    assert all(shapely.intersects(g, shapely.box(*rect).buffer(120)) for g in page.geometries)
    assert all(page.terms[int(pk)] == [scene.terms["Tumor"]] for pk in page.pks)


def test_deleted_annotations_leave_the_view(scene: Scene) -> None:
    from desktop_app.store.edits import create_annotation, delete_annotations

    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        pk = create_annotation(
            uow, image_pk=scene.image_pk, geometry="POINT (5 5)", user_pk=scene.user_pk
        ).pk
    with scene.store.unit_of_work(user_pk=scene.user_pk) as uow:
        delete_annotations(uow, [pk])
    with scene.store.read() as s:
        assert len(query_viewport(s, scene.image_pk, (0, 0, 10, 10))) == 0


_CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from tests.scene import build_scene
from tests.store.test_spatial_and_faults import random_polygons
from desktop_app.store.annotations import bulk_create
from pathlib import Path
from sqlalchemy import text
scene = build_scene(Path({cache!r}), Path({slide!r}))
geoms = random_polygons(150_000, seed=3)
print("ready", flush=True)
with scene.store.unit_of_work(label="Import", user_pk=scene.user_pk) as uow:
    # a small page cache makes SQLite spill the open transaction into the WAL early
    uow.session.execute(text("PRAGMA cache_size=-2000"))
    bulk_create(uow, project_pk=scene.project_pk, image_pk=scene.image_pk,
                user_pk=scene.user_pk, geometries=geoms, chunk=5000)
    print("written", flush=True)
    time.sleep(60)  # killed before the commit
"""


@pytest.mark.slow
def test_sigkill_mid_bulk_write_leaves_cache_consistent(tmp_path: Path) -> None:
    """A transaction killed half-way leaves nothing of itself; earlier commits survive."""
    cache, slide = tmp_path / "cache.sqlite", tmp_path / "s.svs"
    slide.write_bytes(b"x" * 4096)
    root = str(Path(__file__).resolve().parents[2])
    code = _CHILD.format(root=root, cache=str(cache), slide=str(slide))
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=dies_with_test_run(),
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    wal = Path(f"{cache}-wal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < 4 << 20):
        time.sleep(0.05)  # kill while pages of the big transaction are being written
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert wal.stat().st_size >= 4 << 20, "the child was killed mid-write"

    store = Store(open_cache(cache))
    with store.read() as s:
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert s.scalar(select(func.count()).select_from(Annotation)) == 0
        assert s.scalar(select(func.count()).select_from(CommandLog)) > 0  # the setup commits
        assert s.execute(text("SELECT count(*) FROM annotation_rtree")).scalar() == 0
        trigger = "SELECT count(*) FROM sqlite_master WHERE name = 'annotation_rtree_insert'"
        assert s.execute(text(trigger)).scalar() == 1, "the rolled-back import restored it"
    store.close()


def test_cache_from_a_future_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    open_cache(path).dispose()
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer version"):
        open_cache(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_cache_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_text("hello, I am a text file")
    with pytest.raises(CacheError, match="not an SQLite database"):
        open_cache(path)
    assert path.read_text() == "hello, I am a text file"
