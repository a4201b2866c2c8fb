"""The bbox index answers viewports from its arrays plus pending rows, without folding."""

from __future__ import annotations

import random

import numpy as np

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
