"""The deterministic scenarios of sync-design 6.3 that apply to this server."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop_app.model.annotation import Annotation
from desktop_app.model.sync import OpState
from tests.sync.helpers import (
    assert_converged,
    draw,
    local_ann,
    move,
    outbox,
    remove,
    server_state,
    settle,
    square,
    toggle,
)


def _uids_on_server(server: Any, project: int) -> list[str]:
    body = (
        server.client("alice")
        .get(f"/api/project/{project}/annotations/bulk.json", params={"since": 0})
        .json()
    )
    return [r["uid"] for r in body["annotations"]]


def test_response_lost_after_create(
    server: Any, world: dict[str, Any], devices: Any, proxy: Any, tmp_path: Path
) -> None:
    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    a = devices["new"]("a", "alice", proxy.base)
    assert a.sync([p]).ok
    ann = draw(a, img, square(10, 10), [t1])  # parent (annotation) + child (term link)
    proxy.cut_on = b"/api/sync/push.json"
    rep = a.sync([p])
    assert rep.error_kind == "offline"
    assert {op.state for op in outbox(a.store)} == {OpState.NEEDS_RECONCILE, OpState.PENDING}
    assert _uids_on_server(server, p) == [ann.uid]  # the server applied it
    proxy.heal()
    rep = a.sync([p])
    assert rep.ok, rep.reason()
    assert _uids_on_server(server, p) == [ann.uid]  # not duplicated
    state = assert_converged(server, [a], p, tmp_path)
    assert [len(v[2]) for v in state.values()] == [1]  # the child attached to the parent


def test_request_dropped_before_server(
    server: Any, world: dict[str, Any], devices: Any, proxy: Any
) -> None:
    p, img = world["project"], world["image"]
    a = devices["new"]("a", "alice", proxy.base)
    assert a.sync([p]).ok
    draw(a, img, square(10, 10))
    proxy.drop_on = b"/api/sync/push.json"
    assert a.sync([p]).error_kind == "offline"
    assert _uids_on_server(server, p) == []
    proxy.heal()
    assert a.sync([p]).ok
    assert len(_uids_on_server(server, p)) == 1


@pytest.mark.parametrize("order", ["add-first", "remove-first"])
def test_term_add_remove_on_two_devices(
    server: Any, world: dict[str, Any], devices: Any, order: str, tmp_path: Path
) -> None:
    p, img, (t1, t2, _) = world["project"], world["image"], world["terms"]
    a1, a2 = devices["new"]("a1", "alice"), devices["new"]("a2", "alice")
    assert a1.sync([p]).ok
    ann = draw(a1, img, square(10, 10), [t1])
    assert a1.sync([p]).ok and a2.sync([p]).ok
    sid = local_ann(a1.store, uid=ann.uid).server_id
    toggle(a1, ann.pk, t2)  # add t2 on device 1
    toggle(a2, local_ann(a2.store, server_id=sid).pk, t1)  # remove t1 on device 2
    first, second = (a1, a2) if order == "add-first" else (a2, a1)
    assert first.sync([p]).ok and second.sync([p]).ok
    settle([a1, a2], p)
    state = assert_converged(server, [a1, a2], p, tmp_path)
    alice = server.users["alice"].id
    assert state[sid][2] == {(t2, alice)}  # both intents applied, in either order


@pytest.mark.parametrize("choice", ["mine", "theirs", "both"])
def test_two_users_move_same_polygon(
    server: Any, world: dict[str, Any], devices: Any, choice: str, tmp_path: Path
) -> None:
    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    a, b = devices["new"]("a", "alice"), devices["new"]("b", "bob")
    assert a.sync([p]).ok
    ann = draw(a, img, square(10, 10), [t1])
    assert a.sync([p]).ok and b.sync([p]).ok
    sid = local_ann(a.store, uid=ann.uid).server_id
    move(a, ann.pk, square(100, 100))
    move(b, local_ann(b.store, server_id=sid).pk, square(300, 300))
    assert a.sync([p]).ok
    rep = b.sync([p])
    assert rep.conflicts == 1 and not rep.ok
    (conflict,) = b.engine.list_conflicts()
    assert conflict.kind == "geometry"
    assert "300" in conflict.mine["location"] and "100" in conflict.theirs["location"]
    row = local_ann(b.store, server_id=sid)
    assert "100" in __import__("shapely").from_wkb(row.location).wkt  # theirs is in the row
    b.engine.resolve(conflict.pk, choice)
    settle([a, b], p)
    state = assert_converged(server, [a, b], p, tmp_path)
    locs = sorted(v[1] for v in state.values())
    if choice == "mine":
        assert len(state) == 1 and "300" in locs[0]
    elif choice == "theirs":
        assert len(state) == 1 and "100" in locs[0]
    else:
        assert len(state) == 2 and any("300" in loc for loc in locs)
        assert all(v[2] for v in state.values())  # "both" copies the terms


def test_local_delete_vs_server_edit(
    server: Any, world: dict[str, Any], devices: Any, tmp_path: Path
) -> None:
    p, img = world["project"], world["image"]
    a, b = devices["new"]("a", "alice"), devices["new"]("b", "bob")
    assert a.sync([p]).ok
    ann = draw(a, img, square(10, 10))
    assert a.sync([p]).ok and b.sync([p]).ok
    sid = local_ann(a.store, uid=ann.uid).server_id
    remove(a, ann.pk)
    move(b, local_ann(b.store, server_id=sid).pk, square(200, 200))
    assert b.sync([p]).ok
    rep = a.sync([p])
    assert rep.conflicts == 1
    (c,) = a.engine.list_conflicts()
    assert c.kind == "delete_vs_edit" and c.mine["deleted"] is True
    assert len(server_state(server, p)) == 1  # the delete did not silently win
    a.engine.resolve(c.pk, "mine")
    settle([a, b], p)
    assert assert_converged(server, [a, b], p, tmp_path) == {}


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_local_edit_vs_server_delete(
    server: Any, world: dict[str, Any], devices: Any, choice: str, tmp_path: Path
) -> None:
    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    a, b = devices["new"]("a", "alice"), devices["new"]("b", "bob")
    assert a.sync([p]).ok
    ann = draw(a, img, square(10, 10), [t1])
    assert a.sync([p]).ok and b.sync([p]).ok
    sid = local_ann(a.store, uid=ann.uid).server_id
    move(a, ann.pk, square(200, 200))
    remove(b, local_ann(b.store, server_id=sid).pk)
    assert b.sync([p]).ok
    rep = a.sync([p])
    assert rep.conflicts == 1
    (c,) = a.engine.list_conflicts()
    assert c.kind == "edit_vs_delete"
    a.engine.resolve(c.pk, choice)
    settle([a, b], p)
    state = assert_converged(server, [a, b], p, tmp_path)
    if choice == "theirs":
        assert state == {}
    else:  # recreated as a NEW annotation (never the old id) with my geometry and terms
        # (the server's SQLite ids are reused after a delete, so compare uids, not ids)
        ((new_id, (_, loc, pairs)),) = state.items()
        assert local_ann(a.store, server_id=new_id).uid != ann.uid
        assert "200" in loc and pairs


def test_two_reviewers(server: Any, world: dict[str, Any], devices: Any, tmp_path: Path) -> None:
    from desktop_app.store import edits
    from tests.sync.helpers import local_term

    p, img, (t1, t2, _) = world["project"], world["image"], world["terms"]
    a, c, d = (
        devices["new"]("a", "alice"),
        devices["new"]("c", "carol"),
        devices["new"]("d", "dave"),
    )
    assert a.sync([p]).ok
    ann = draw(a, img, square(10, 10), [t1])
    assert a.sync([p]).ok and c.sync([p]).ok and d.sync([p]).ok
    sid = local_ann(a.store, uid=ann.uid).server_id
    for dev, term in ((c, t1), (d, t2)):
        with dev.store.unit_of_work(user_pk=dev.me()) as uow:
            edits.review(
                uow,
                local_ann(dev.store, server_id=sid).pk,
                reviewer_pk=dev.me(),
                accept=True,
                term_pks=[local_term(dev.store, term)],
            )
    assert c.sync([p]).ok
    rep = d.sync([p])
    assert rep.conflicts == 1
    (conf,) = d.engine.list_conflicts()
    assert conf.kind == "review"
    with pytest.raises(ValueError):
        d.engine.resolve(conf.pk, "mine")
    d.engine.resolve(conf.pk, "theirs")
    settle([a, c, d], p)
    state = assert_converged(server, [a, c, d], p, tmp_path)
    reviewed = [v for v in state.values() if v[0] == "reviewed"]
    assert reviewed == [("reviewed", reviewed[0][1], frozenset({(t1, server.users["carol"].id)}))]


class _Garbage(http.server.BaseHTTPRequestHandler):
    answers = [b"<html>proxy error</html>", b'{"unexpected": true}']

    def do_GET(self) -> None:  # http.server API
        body = self.answers[0] if "current" in self.path else self.answers[1]
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.parametrize("which", [0, 1])
def test_malformed_server_response(
    server: Any, world: dict[str, Any], devices: Any, which: int
) -> None:
    p, img = world["project"], world["image"]
    a = devices["new"]("a", "alice")
    assert a.sync([p]).ok
    draw(a, img, square(10, 10))
    before = len(outbox(a.store))
    handler = type("H", (_Garbage,), {"answers": [_Garbage.answers[which]] * 2})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        from desktop_app.sync.engine import SyncEngine
        from desktop_app.sync.transport.http import CytomineClient

        keys = server.users["alice"]
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        bad = SyncEngine(a.store, CytomineClient(url, keys.publicKey, keys.privateKey))
        rep = bad.run([p])
    finally:
        httpd.shutdown()
    assert rep.error_kind == "malformed"
    assert "non-JSON" in rep.error or "unexpected current user" in rep.error
    assert len(outbox(a.store)) == before and all(
        o.state is OpState.PENDING for o in outbox(a.store)
    )
    assert a.sync([p]).ok


def test_server_killed_mid_sync_then_restarted(
    server: Any, world: dict[str, Any], devices: Any, proxy: Any, tmp_path: Path
) -> None:
    p, img = world["project"], world["image"]
    a = devices["new"]("a", "alice", proxy.base)
    assert a.sync([p]).ok
    uids = [draw(a, img, square(5 + (i % 20) * 50, 5 + (i // 20) * 50, 30)).uid for i in range(300)]
    proxy.set_faults(delay=0.01)
    # killed right after the push's bulk create reached it (deterministic, not a timer:
    # a fast push used to finish before a 0.6 s timer fired)
    proxy.after_send = (b"POST /api/annotation.json", server.kill)
    rep = a.sync([p])
    assert rep.error_kind in ("offline", "server"), rep
    server.start()
    proxy.heal()
    rep = a.sync([p])
    assert rep.ok, rep.reason()
    on_server = _uids_on_server(server, p)
    assert sorted(on_server) == sorted(uids)
    with a.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Annotation)) == 300
    assert_converged(server, [a], p, tmp_path)
