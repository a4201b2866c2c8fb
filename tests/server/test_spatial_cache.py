"""The bbox index's bookkeeping, classification and viewport answers (arrays plus
pending rows, without folding), without a server."""

from __future__ import annotations

import random

import numpy as np
import shapely

from desktop_app.server.spatial_cache import _classify, _Entry


def _entry(rows: dict[int, tuple[float, float, float, float, bool]]) -> _Entry:
    pks = sorted(rows)
    return _Entry(
        seq=0,
        loaded=0.0,
        pks=np.asarray(pks, dtype=np.int64),
        box=np.asarray([rows[p][:4] for p in pks], dtype=np.float64).reshape(-1, 4).T.copy(),
        connected=np.asarray([rows[p][4] for p in pks], dtype=bool),
        alive=np.ones(len(pks), dtype=bool),
    )


def test_upserts_and_removals_fold_into_sorted_columns() -> None:
    rng = random.Random(1)
    truth = {p: (float(p), 0.0, p + 1.0, 1.0, True) for p in range(1, 200, 3)}
    e = _entry(truth)
    for step in range(2000):
        pk = rng.randint(1, 260)
        if rng.random() < 0.3:
            truth.pop(pk, None)
            e.remove(pk)
        else:
            row = (
                rng.random(),
                rng.random(),
                1 + rng.random(),
                1 + rng.random(),
                rng.random() < 0.5,
            )
            truth[pk] = row
            e.upsert(pk, row)
        if step % 97 == 0 or step == 1999:
            pks, box, conn = e.columns()
            assert pks.tolist() == sorted(truth)
            assert [tuple(box[:, i].tolist()) + (bool(conn[i]),) for i in range(len(pks))] == [
                truth[p] for p in sorted(truth)
            ]


def test_sure_hits_really_intersect_and_the_rest_is_left_to_geos() -> None:
    """Every row classified "sure" intersects the query; no overlapping row is dropped."""
    rng = random.Random(2)
    geoms = []
    for _ in range(3000):
        x, y = rng.uniform(0, 1000), rng.uniform(0, 1000)
        w, h = rng.uniform(0.5, 80), rng.uniform(0.5, 80)
        kind = rng.random()
        if kind < 0.4:  # an L: its bbox corner is empty
            g = shapely.Polygon(
                [
                    (x, y),
                    (x + w, y),
                    (x + w, y + h / 4),
                    (x + w / 4, y + h / 4),
                    (x + w / 4, y + h),
                    (x, y + h),
                ]
            )
        elif kind < 0.6:
            g = shapely.LineString([(x, y), (x + w, y + h)])
        elif kind < 0.8:
            g = shapely.MultiPolygon(
                [shapely.box(x, y, x + 1, y + 1), shapely.box(x + w, y + h, x + w + 1, y + h + 1)]
            )
        else:
            g = shapely.Point(x, y)
        geoms.append(g)
    arr = np.asarray(geoms, dtype=object)
    box = shapely.bounds(arr).T.copy()
    connected = np.asarray([g.geom_type != "MultiPolygon" for g in geoms])
    for _ in range(200):
        x, y = rng.uniform(-50, 1000), rng.uniform(-50, 1000)
        q = (x, y, x + rng.uniform(1, 300), y + rng.uniform(1, 300))
        over, sure = _classify(box, connected, q, True)
        truth = np.flatnonzero(shapely.intersects(arr, shapely.box(*q)))
        assert set(truth.tolist()) <= set(over.tolist())
        assert set(over[sure].tolist()) <= set(truth.tolist())


def _row(rng: random.Random) -> tuple[float, float, float, float, bool]:
    x, y = rng.uniform(0, 100), rng.uniform(0, 100)
    return (x, y, x + rng.uniform(0, 20), y + rng.uniform(0, 20), rng.random() < 0.7)


def test_hits_with_pending_rows_equal_the_folded_answer() -> None:
    rng = random.Random(3)
    truth = {p: _row(rng) for p in range(1, 400, 2)}
    e = _entry(truth)
    for step in range(1500):
        pk = rng.randint(1, 500)
        if rng.random() < 0.25:
            truth.pop(pk, None)
            e.remove(pk)
        else:
            truth[pk] = _row(rng)
            e.upsert(pk, truth[pk])
        if step % 50 == 0:
            x, y = rng.uniform(0, 90), rng.uniform(0, 90)
            q = (x, y, x + rng.uniform(1, 40), y + rng.uniform(1, 40))
            rect = rng.random() < 0.8
            pending_before = len(e.pending)
            sure, test = e.hits(q, rect)
            assert len(e.pending) == pending_before  # answered without folding
            pks = np.asarray(sorted(truth), dtype=np.int64)
            box = np.asarray([truth[p][:4] for p in pks], dtype=np.float64).reshape(-1, 4).T
            conn = np.asarray([truth[p][4] for p in pks], dtype=bool)
            over, expect_sure = _classify(box, conn, q, rect)
            assert sure.tolist() == pks[over[expect_sure]].tolist()
            assert test.tolist() == pks[over[~expect_sure]].tolist()
