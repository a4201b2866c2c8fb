"""Checkout, push, pull, fallback: the happy paths against a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.sync.helpers import (
    assert_converged,
    draw,
    move,
    outbox,
    server_state,
    settle,
    square,
    toggle,
)


def test_checkout_push_pull_roundtrip(
    server: Any, world: dict[str, Any], devices: Any, tmp_path: Path
) -> None:
    p, img, (t1, t2, _) = world["project"], world["image"], world["terms"]
    bob = server.client("bob")
    r = bob.post(
        "/api/annotation.json",
        {"image": img, "location": "POLYGON ((10 10, 90 10, 90 90, 10 90, 10 10))", "term": [t1]},
    )
    assert r.ok, r.text
    a = devices["new"]("a", "alice")
    rep = a.sync([p])
    assert rep.ok, rep.reason()
    assert rep.pulled >= 1
    ann = draw(a, img, square(100, 100), [t1, t2])
    assert len(outbox(a.store)) == 3
    rep = a.sync([p])
    assert rep.ok, rep.reason()
    assert rep.pushed == 3
    move(a, ann.pk, square(200, 200))
    toggle(a, ann.pk, t1)
    rep = a.sync([p])
    assert rep.ok and rep.pushed == 2, rep
    b = devices["new"]("b", "bob")
    settle([a, b], p)
    state = assert_converged(server, [a, b], p, tmp_path)
    assert len(state) == 2


def test_stock_cytomine_fallback(
    server: Any, world: dict[str, Any], devices: Any, tmp_path: Path
) -> None:
    """No feed, no batch push: one REST call per op and a full (id, updated) comparison."""
    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    a = devices["new"]("a", "alice", use_feed=False)
    b = devices["new"]("b", "bob", use_feed=False)
    assert a.sync([p]).ok and b.sync([p]).ok
    ann = draw(a, img, square(50, 50), [t1])
    assert a.sync([p]).ok
    b.sync([p])
    from tests.sync.helpers import local_ann

    theirs = local_ann(b.store, server_id=local_ann(a.store, uid=ann.uid).server_id)
    assert theirs is not None
    move(b, theirs.pk, square(300, 300))
    assert b.sync([p]).ok
    server.client("alice").delete(f"/api/annotation/{theirs.server_id}.json")
    settle([a, b], p)
    assert server_state(server, p) == {}
    assert_converged(server, [a, b], p, tmp_path)
