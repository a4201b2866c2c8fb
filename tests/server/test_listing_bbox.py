"""Annotation listing with ``bbox``: exact rows, ``size`` and paging, on both answer paths.

The viewer's query (one image, nothing but ``bbox``/paging) is answered from the
worker's in-memory bbox index (``server/spatial_cache.py``); any other filter goes to
SQL (R*Tree or b-tree, then GEOS).  Both must return exactly the rows whose geometry
intersects the query, as a brute-force shapely test over the whole image says, and
stay exact right after creates, edits and deletes (whichever worker answers).
"""

from __future__ import annotations

from typing import Any

import pytest
import shapely

from tests.server.harness import Client, Server

#: y-up WKT (Cytomine's axes) on the 1200 x 900 test image.
SHAPES = [
    # L-shape: its bbox's top-right quarter (x 150-300, y 150-300) is empty.
    "POLYGON ((100 100, 300 100, 300 150, 150 150, 150 300, 100 300, 100 100))",
    # Two parts with a gap (x 450-600): not connected.
    "MULTIPOLYGON (((400 100, 450 100, 450 150, 400 150, 400 100)), "
    "((600 100, 650 100, 650 150, 600 150, 600 100)))",
    "POLYGON ((700 400, 1100 400, 1100 420, 700 420, 700 400))",  # a long bar
    "LINESTRING (100 500, 400 800)",  # a diagonal
    "POINT (1000 800)",
    "POLYGON ((500 500, 800 500, 800 800, 500 800, 500 500), "
    "(550 550, 750 550, 750 750, 550 750, 550 550))",  # a frame (polygon with a hole)
    "POLYGON ((20 20, 60 20, 60 50, 20 50, 20 20))",
    "POLYGON ((1150 850, 1190 850, 1190 890, 1150 890, 1150 850))",
]

#: (minx, miny, maxx, maxy) y-up queries: corner crossings, gaps, touching edges, holes.
BOXES = [
    (200, 200, 400, 400),  # the L's empty corner: no hit
    (120, 250, 400, 400),  # the L's vertical arm: hit
    (300, 100, 500, 200),  # touches the L's right edge, spans the multipolygon's left part
    (500, 0, 550, 900),  # the multipolygon's gap: no hit from it
    (800, 0, 900, 900),  # crosses the bar's middle: hit without a GEOS test
    (300, 500, 500, 600),  # the diagonal's bbox, not the line
    (560, 560, 740, 740),  # inside the frame's hole
    (1000, 800, 1100, 850),  # the point on a corner
    (0, 0, 1200, 900),  # everything
    (0, 0, 10, 10),  # nothing
    (-100, -100, 5000, 5000),  # larger than the image
    (0, 0, 1200, 450),
    (600, 0, 1200, 900),
]


def _reference(c: Client, image: int, query: Any) -> list[int]:
    """Ids whose geometry intersects ``query`` (y-up), newest first: brute force."""
    rows = c.get(
        "/api/annotation.json", params={"image": image, "showWKT": "true", "max": 0}
    ).json()["collection"]
    return sorted(
        (r["id"] for r in rows if shapely.from_wkt(r["location"]).intersects(query)),
        reverse=True,
    )


def _listing(c: Client, params: dict[str, Any]) -> dict[str, Any]:
    r = c.get("/api/annotation.json", params=params)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
def shapes(server: Server, world: dict[str, int]) -> list[int]:
    a = server.client("alice")
    r = a.post("/api/annotation.json", [{"image": world["image"], "location": w} for w in SHAPES])
    assert r.status_code == 200, r.text
    return [x["id"] for x in r.json()["data"]["collection"]]


def _all_users(server: Server) -> str:
    """A ``users`` filter that keeps every row but sends the query down the SQL path."""
    return ",".join(str(k.id) for k in server.users.values())


@pytest.mark.parametrize("box", BOXES)
def test_bbox_rows_size_and_pages_match_brute_force(
    server: Server, world: dict[str, int], shapes: list[int], box: tuple[int, ...]
) -> None:
    c = server.client("alice")
    want = _reference(c, world["image"], shapely.box(*box))
    bbox = ",".join(map(str, box))
    for extra in ({}, {"users": _all_users(server)}):
        for max_, offset in ((0, 0), (3, 0), (3, 2), (2, 100), (50, 0)):
            for order in ("desc", "asc"):
                params = {"image": world["image"], "bbox": bbox, "max": max_, "offset": offset}
                got = _listing(c, {**params, "order": order, **extra})
                rows = want if order == "desc" else want[::-1]
                page = rows[offset : offset + max_] if max_ else rows[offset:]
                assert [r["id"] for r in got["collection"]] == page, (params, order, extra)
                assert got["size"] == len(want)
                pages = -(-len(want) // max_) if max_ else (1 if want else 0)
                assert got["totalPages"] == pages


def test_wkt_bbox_matches_brute_force(
    server: Server, world: dict[str, int], shapes: list[int]
) -> None:
    c = server.client("alice")
    triangle = "POLYGON ((100 100, 1100 100, 100 850, 100 100))"
    want = _reference(c, world["image"], shapely.from_wkt(triangle))
    for extra in ({}, {"users": _all_users(server)}):
        got = _listing(c, {"image": world["image"], "bbox": triangle, "max": 4, **extra})
        assert [r["id"] for r in got["collection"]] == want[:4]
        assert got["size"] == len(want)


def test_bbox_listing_follows_writes_at_once(
    server: Server, world: dict[str, int], shapes: list[int]
) -> None:
    """Create, move, delete: every following read (either worker) sees the change."""
    a, b = server.client("alice"), server.client("bob")
    image = world["image"]
    box = "900,20,1000,80"
    params = {"image": image, "bbox": box, "max": 10}
    before = _listing(a, params)["size"]
    made = a.post(
        "/api/annotation.json",
        {"image": image, "location": "POLYGON ((920 30, 940 30, 940 50, 920 50, 920 30))"},
    ).json()["annotation"]
    for _ in range(4):  # several requests: each worker of the server answers some
        got = _listing(b, params)
        assert got["size"] == before + 1 and got["collection"][0]["id"] == made["id"]
    moved = {**made, "location": "POLYGON ((20 600, 40 600, 40 620, 20 620, 20 600))"}
    assert a.put(f"/api/annotation/{made['id']}.json", moved).status_code == 200
    for _ in range(4):
        got = _listing(b, params)
        assert got["size"] == before and made["id"] not in [r["id"] for r in got["collection"]]
        there = _listing(b, {"image": image, "bbox": "10,590,50,630", "max": 0})
        assert made["id"] in [r["id"] for r in there["collection"]]
    assert a.delete(f"/api/annotation/{made['id']}.json").status_code == 200
    for _ in range(4):
        there = _listing(b, {"image": image, "bbox": "10,590,50,630", "max": 0})
        assert made["id"] not in [r["id"] for r in there["collection"]]


def test_bbox_listing_sees_a_revoked_membership_at_once(
    server: Server, world: dict[str, int]
) -> None:
    """Granted rights are remembered per worker, but a revocation clears them everywhere."""
    a, carol = server.client("alice"), server.client("carol")
    params = {"image": world["image"], "bbox": "0,0,1200,900", "max": 5}
    member = f"/api/project/{world['project']}/user/{server.users['carol'].id}.json"
    for _ in range(4):
        assert carol.get("/api/annotation.json", params=params).status_code == 200
    assert a.delete(member).status_code == 200
    try:
        for _ in range(4):
            assert carol.get("/api/annotation.json", params=params).status_code == 403
    finally:
        assert a.post(member, params={"access": "ro"}).status_code == 200
    assert carol.get("/api/annotation.json", params=params).status_code == 200
