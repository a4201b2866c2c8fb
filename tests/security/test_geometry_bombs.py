"""Polygon repair cannot exhaust the server (issue 11.2): a self-crossing star is refused
(400, saying why) before any repair, on the real server over HTTP, SQLite and PostgreSQL.

The bound is the desktop's too (``core.geometry.check_repair_bound``), so what the
workstation imports or draws is what the server accepts."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.bombs import knotted_ring_wkt, star_wkt
from tests.server.harness import Server, pg_available, running_server
from tests.server.slide_fixture import make_slide

#: Generous: the old server spent 31 s on the small star and minutes on the big one.
FAST_S = 10.0


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, int]]:
    if request.param == "postgres" and (reason := pg_available()) is not None:
        pytest.skip(f"POSTGRESQL UNREACHABLE AT 127.0.0.1:5432 - POSTGRES TESTS NOT RUN: {reason}")
    tmp = tmp_path_factory.mktemp(f"bombs-{request.param}")
    with running_server(request.param, tmp, {"alice": "user"}) as srv:
        a = srv.client("alice")
        project = a.post("/api/project.json", {"name": "bombs"}).json()["project"]["id"]
        storage = a.get("/api/storage.json").json()["collection"][0]["id"]
        slide = make_slide(tmp / "s.tiff", 800, 800)
        with contextlib.ExitStack() as stack:
            f = stack.enter_context(open(slide, "rb"))
            r = a.post(
                "/upload",
                params={"storage": storage, "projects": project},
                files={"files[]": ("s.tiff", f)},
            )
        assert r.status_code == 200, r.text
        yield srv, r.json()[0]["images"][0]["imageInstances"][0]["id"]


def _post(srv: Server, body: Any) -> tuple[Any, float]:
    started = time.monotonic()
    r = srv.client("alice").post("/api/annotation.json", body)
    return r, time.monotonic() - started


@pytest.mark.parametrize("n,k", [(201, 100), (90_001, 45_000)])
def test_a_self_crossing_star_is_refused_quickly(world: tuple[Server, int], n: int, k: int) -> None:
    srv, image = world
    wkt = star_wkt(n, k)
    assert len(wkt) < 2_000_000  # under the body limit: it reaches the geometry code
    r, took = _post(srv, {"image": image, "location": wkt})
    assert r.status_code == 400, r.text
    assert "too complex to repair" in r.json()["errors"]
    assert took < FAST_S, f"{took:.1f} s"
    # in a bulk create too, naming the bad entry, and nothing of the batch is saved
    square = "POLYGON ((10 10, 50 10, 50 50, 10 50, 10 10))"
    r, took = _post(srv, [{"image": image, "location": square}, {"image": image, "location": wkt}])
    assert r.status_code == 400 and "too complex" in r.text and took < FAST_S


def test_a_small_self_crossing_polygon_is_still_repaired(world: tuple[Server, int]) -> None:
    srv, image = world
    bow_tie = "POLYGON ((100 100, 300 300, 300 100, 100 300, 100 100))"
    r, took = _post(srv, {"image": image, "location": bow_tie})
    assert r.status_code == 200, r.text
    assert r.json()["annotation"]["location"].startswith("MULTIPOLYGON")
    assert took < FAST_S


def test_writes_are_not_blocked_by_a_bomb(world: tuple[Server, int]) -> None:
    """A refused bomb holds no lock: a normal create right after it answers at once."""
    srv, image = world
    _post(srv, {"image": image, "location": star_wkt(201, 100)})
    r, took = _post(srv, {"image": image, "location": "POLYGON ((1 1, 9 1, 9 9, 1 9, 1 1))"})
    assert r.status_code == 200 and took < FAST_S


SLOW_BULK = 200  # knotted rings: about 10 ms of check and repair each on an idle core


def test_a_slow_check_holds_no_lock(world: tuple[Server, int]) -> None:
    """The geometry check and repair run before the write transaction opens: while a
    bulk of legal but costly polygons (seconds of checking and repair in all) is being
    validated, other writes go through at once. With the check inside the transaction,
    on SQLite, a write arriving during it waited on the write lock for the rest of it."""
    srv, image = world
    slow_bulk = [{"image": image, "location": knotted_ring_wkt()} for _ in range(SLOW_BULK)]
    timing: dict[str, float] = {}

    def slow() -> None:
        r, took = _post(srv, slow_bulk)
        timing["status"], timing["took"] = r.status_code, took

    square = "POLYGON ((2 2, 8 2, 8 8, 2 8, 2 2))"
    assert _post(srv, {"image": image, "location": square})[0].status_code == 200  # warm-up
    worker = threading.Thread(target=slow)
    worker.start()
    quick: list[float] = []
    while worker.is_alive():  # a write every ~0.1 s for as long as the slow one runs
        r, took = _post(srv, {"image": image, "location": square})
        assert r.status_code == 200, r.text
        quick.append(took)
        time.sleep(0.1)
    worker.join()
    assert timing["status"] == 200  # repaired and saved
    assert timing["took"] > 1.0, "the bulk must be slow to check for this test to mean much"
    assert len(quick) >= 3
    # A write that arrives while the repaired rings are inserted waits for that insert
    # (its own short transaction, up to a second on a busy machine): at most one write
    # may meet it. With the check inside the transaction, the first write (0.1 s in)
    # waited for nearly all of the check, so the loop made one or two writes in all.
    waited = [t for t in quick if t > 0.5]  # a lone write answers in about 20 ms
    assert len(waited) <= 1, (
        f"{len(waited)} writes waited during a {timing['took']:.1f} s check: {quick}"
    )
