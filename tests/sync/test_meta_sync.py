"""Descriptions pulled (and their both-sides conflict), attached files both ways with
a cut connection on upload, and changed review decisions.  Real server, real caches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.model.attachment import AttachedFile, Description
from desktop_app.store import attached_files, edits
from desktop_app.store.attached_files import absolute
from tests.sync.helpers import draw, local_ann, local_image, outbox, server_state, square

CLS = "be.cytomine.domain.ontology.UserAnnotation"


def describe(dev: Any, ann_pk: int, html: str) -> None:
    with dev.store.unit_of_work(user_pk=dev.me(), label="describe") as uow:
        edits.set_description(uow, ann_pk, html)


def text_of(dev: Any, ann_pk: int) -> str | None:
    with dev.store.read() as s:
        d = s.scalar(select(Description).where(Description.domain_pk == ann_pk))
        return d.data if d is not None else None


def test_descriptions_pulled_and_both_sides_conflict(
    server: Any, world: dict[str, Any], devices: Any
) -> None:
    p, img = world["project"], world["image"]
    a, b = devices["new"]("a", "alice"), devices["new"]("b", "bob")
    assert a.sync([p]).ok and b.sync([p]).ok
    ann = draw(a, img, square(10, 10))
    describe(a, ann.pk, "<p>one</p>")
    assert a.sync([p]).ok
    sid = local_ann(a.store, uid=ann.uid).server_id
    assert b.sync([p]).ok
    b_ann = local_ann(b.store, server_id=sid).pk
    assert text_of(b, b_ann) == "<p>one</p>"  # pulled
    describe(b, b_ann, "<p>two</p>")
    assert b.sync([p]).ok and a.sync([p]).ok
    assert text_of(a, ann.pk) == "<p>two</p>"
    assert a.sync([p]).writes == 0 and b.sync([p]).writes == 0
    describe(a, ann.pk, "<p>A</p>")  # both change it offline
    describe(b, b_ann, "<p>B</p>")
    assert a.sync([p]).ok
    rep = b.sync([p])
    assert rep.conflicts == 1, rep
    (c,) = b.engine.list_conflicts()
    assert c.kind == "description" and c.mine["data"] == "<p>B</p>"
    assert c.theirs["data"] == "<p>A</p>" and c.base["data"] == "<p>two</p>"
    assert text_of(b, b_ann) == "<p>A</p>"  # the server's text is shown meanwhile
    b.engine.resolve(c.pk, "mine")
    assert b.sync([p]).ok and a.sync([p]).ok
    alice = server.client("alice")
    url = f"/api/domain/{CLS}/{sid}/description.json"
    assert alice.get(url).json()["data"] == "<p>B</p>"
    assert text_of(a, ann.pk) == "<p>B</p>"
    assert alice.delete(url).ok  # a deletion on the server reaches the cache
    assert b.sync([p]).ok
    assert text_of(b, b_ann) is None
    assert outbox(a.store) == [] and outbox(b.store) == []


def _server_files(server: Any, sid: int) -> list[dict[str, Any]]:
    url = f"/api/domain/{CLS}/{sid}/attachedfile.json"
    return server.client("alice").get(url).json()["collection"]


def _files(dev: Any) -> dict[str, bytes]:
    with dev.store.read() as s:
        rows = list(s.scalars(select(AttachedFile).where(AttachedFile.local_deleted.is_(False))))
    return {f.filename: absolute(dev.store, f.path or "missing").read_bytes() for f in rows}


def test_attached_files_both_ways_no_duplicate_after_cut(
    server: Any, world: dict[str, Any], devices: Any, proxy: Any, tmp_path: Path
) -> None:
    p, img = world["project"], world["image"]
    a = devices["new"]("a", "alice", proxy.base)
    b = devices["new"]("b", "bob")
    assert a.sync([p]).ok
    ann = draw(a, img, square(10, 10))
    src = tmp_path / "report.pdf"
    src.write_bytes(b"%PDF-1.4 pretend\n" * 1000)
    with a.store.unit_of_work(user_pk=a.me(), label="attach") as uow:
        attached_files.attach_file(uow, ann.pk, src, key="report")
    proxy.cut_on = b"/api/attachedfile.json"  # the server stores it, the answer is lost
    rep = a.sync([p])
    assert rep.error_kind == "offline", rep
    sid = local_ann(a.store, uid=ann.uid).server_id
    assert len(_server_files(server, sid)) == 1
    proxy.heal()
    rep = a.sync([p])
    assert rep.ok, rep.reason()
    (on_server,) = _server_files(server, sid)  # the retry with the same uid: no duplicate
    with a.store.read() as s:
        (row,) = s.scalars(select(AttachedFile))
        assert row.server_id == on_server["id"] and row.uid == on_server["uid"]
    assert b.sync([p]).ok  # pulled: record and bytes, into b's data dir
    assert _files(b) == {"report.pdf": src.read_bytes()}
    other = tmp_path / "notes.txt"
    other.write_text("from bob\n")
    b_ann = local_ann(b.store, server_id=sid).pk
    with b.store.unit_of_work(user_pk=b.me(), label="attach") as uow:
        attached_files.attach_file(uow, b_ann, other)
    assert b.sync([p]).ok and a.sync([p]).ok
    assert _files(a) == {"report.pdf": src.read_bytes(), "notes.txt": b"from bob\n"}
    with a.store.read() as s:
        notes = s.scalar(select(AttachedFile).where(AttachedFile.filename == "notes.txt"))
        assert notes is not None
        notes_pk, notes_path = notes.pk, absolute(a.store, notes.path or "")
    with a.store.unit_of_work(user_pk=a.me(), label="detach") as uow:
        attached_files.remove_file(uow, notes_pk)
    assert a.sync([p]).ok and b.sync([p]).ok
    assert [f["filename"] for f in _server_files(server, sid)] == ["report.pdf"]
    assert set(_files(b)) == {"report.pdf"} and not notes_path.exists()
    assert a.sync([p]).writes == 0 and b.sync([p]).writes == 0


def test_image_file_pushed_and_removed(
    server: Any, world: dict[str, Any], devices: Any, tmp_path: Path
) -> None:
    """A file on the image (the GUI's "Attached files" with nothing selected) goes up
    with the image's server id, and its removal follows (pulled back: not yet)."""
    p, img = world["project"], world["image"]
    a = devices["new"]("a", "alice")
    assert a.sync([p]).ok
    src = tmp_path / "slide-notes.txt"
    src.write_text("scanned twice\n")
    with a.store.unit_of_work(user_pk=a.me(), label="attach") as uow:
        pk = attached_files.attach_image_file(uow, local_image(a.store, img), src).pk
    assert a.sync([p]).ok
    url = f"/api/domain/{attached_files.IMAGE_CLASS}/{img}/attachedfile.json"
    alice = server.client("alice")
    (on_server,) = alice.get(url).json()["collection"]
    assert on_server["filename"] == "slide-notes.txt"
    with a.store.unit_of_work(user_pk=a.me(), label="detach") as uow:
        attached_files.remove_file(uow, pk)
    assert a.sync([p]).ok
    assert alice.get(url).json()["collection"] == [] and outbox(a.store) == []


def _decide(dev: Any, parent_pk: int, accept: bool) -> int:
    with dev.store.unit_of_work(user_pk=dev.me()) as uow:
        return edits.review(uow, parent_pk, reviewer_pk=dev.me(), accept=accept).pk


def _withdraw(dev: Any, review_pk: int) -> None:
    with dev.store.unit_of_work(user_pk=dev.me()) as uow:
        edits.delete_annotations(uow, [review_pk])


def _rejections(server: Any, sid: int) -> list[Any]:
    props = server.client("alice").get(f"/api/domain/{CLS}/{sid}/property.json").json()
    return [x for x in props["collection"] if x["key"] == "sync:review.rejected"]


def test_changing_a_review_decision(server: Any, world: dict[str, Any], devices: Any) -> None:
    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    new = devices["new"]
    a, c, d = new("a", "alice"), new("c", "carol"), new("d", "dave")
    assert a.sync([p]).ok
    anns = [draw(a, img, square(10 + 300 * i, 10), [t1]) for i in range(3)]
    assert a.sync([p]).ok and c.sync([p]).ok and d.sync([p]).ok
    sids = [local_ann(a.store, uid=x.uid).server_id for x in anns]
    mine = [local_ann(c.store, server_id=sid).pk for sid in sids]
    # 1. not pushed yet: reject, change my mind, accept -> only the accept is sent
    _withdraw(c, _decide(c, mine[0], accept=False))
    _decide(c, mine[0], accept=True)
    # 2. and 3. pushed first, then changed
    r1 = _decide(c, mine[1], accept=False)
    r2 = _decide(c, mine[2], accept=True)
    rep = c.sync([p])
    assert rep.ok and rep.failed == 0, rep.reason()
    reviewed = {v[0] for k, v in server_state(server, p).items() if k not in sids}
    assert reviewed == {"reviewed"} and len(server_state(server, p)) == 5
    assert _rejections(server, sids[0]) == [] and len(_rejections(server, sids[1])) == 1
    _withdraw(c, r1)  # un-reject, then accept
    _decide(c, mine[1], accept=True)
    _withdraw(c, r2)  # un-accept, then reject
    _decide(c, mine[2], accept=False)
    rep = c.sync([p])
    assert rep.ok and rep.failed == 0 and rep.conflicts == 0, rep.reason()
    assert outbox(c.store) == []
    assert _rejections(server, sids[1]) == [] and len(_rejections(server, sids[2])) == 1
    parents = {
        r["parentIdent"]
        for r in server.client("alice")
        .get(f"/api/project/{p}/annotations/bulk.json", params={"since": 0})
        .json()["annotations"]
        if "Reviewed" in r["class"]
    }
    assert parents == {sids[0], sids[1]}
    assert c.sync([p]).writes == 0
    # across users the first decision stands: dave decided offline on all three
    d_mine = [local_ann(d.store, server_id=sid).pk for sid in sids]
    _decide(d, d_mine[0], accept=False)  # carol accepted it: refused by the server
    _decide(d, d_mine[2], accept=True)  # carol rejected it: refused by the client check
    rep = d.sync([p])
    assert rep.conflicts == 2, rep
    kinds = sorted(x.kind for x in d.engine.list_conflicts())
    assert kinds == ["review", "review"]
    assert len(_rejections(server, sids[2])) == 1 and _rejections(server, sids[0]) == []
    for issue in d.engine.list_conflicts():
        d.engine.resolve(issue.pk, "theirs")
    assert d.sync([p]).ok


def test_two_reviewers_at_the_same_instant_server_refuses_the_second(
    server: Any, world: dict[str, Any], devices: Any, monkeypatch: Any
) -> None:
    """Carol accepts while dave rejects: dave's rejection lands between carol's client
    check (nothing there yet) and her accept, so only the server can refuse it (409
    with the rejection) -- and carol's cache turns that into a ``review`` conflict."""
    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    new = devices["new"]
    a, c, d = new("a", "alice"), new("c", "carol"), new("d", "dave")
    assert a.sync([p]).ok
    ann = draw(a, img, square(1000, 600), [t1])
    assert a.sync([p]).ok and c.sync([p]).ok and d.sync([p]).ok
    sid = local_ann(a.store, uid=ann.uid).server_id
    _decide(d, local_ann(d.store, server_id=sid).pk, accept=False)
    _decide(c, local_ann(c.store, server_id=sid).pk, accept=True)
    real_get = c.client.get
    dave_reports: list[Any] = []

    def get(path: str, *args: Any, **kw: Any) -> Any:
        try:
            return real_get(path, *args, **kw)  # carol's check: no rejection yet (404)
        finally:
            if "sync:review.rejected" in path and not dave_reports:
                dave_reports.append(d.sync([p]))  # dave's rejection lands right now

    monkeypatch.setattr(c.client, "get", get)
    rep = c.sync([p])
    assert dave_reports and dave_reports[0].ok, dave_reports
    assert rep.conflicts == 1, rep
    (issue,) = c.engine.list_conflicts()
    assert issue.kind == "review" and issue.mine["decision"] == "review"
    assert issue.theirs["rejected"] and "already rejected" in issue.message
    assert len(_rejections(server, sid)) == 1
    assert server.client("alice").get(f"/api/annotation/{sid}.json").json()["reviewed"] is False
    c.engine.resolve(issue.pk, "theirs")
    monkeypatch.undo()
    assert c.sync([p]).ok and outbox(c.store) == []
